// Linux facts of aarch64 tasks: the reserved range, the registers at
// system-call stops and the UTCB pointer (the calls themselves come from
// the description's [linux]).
#include <elf.h>
#include <linux/audit.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include <cstring>

#include "arch/aarch64/linux_facts.hpp"
#include "arch/aarch64/signal_frame.hpp"
#include "arch/generic_signal_path.hpp"
#include "core/host/linux/ptrace_calls.hpp"

namespace umol4::arch::aarch64 {

namespace {
// tpidr_el0 is not in NT_PRSTATUS: it has a regset of its own.
void set_tpidr(int tid, Word value)
{
    iovec io{&value, sizeof value};
    linux_host::ptrace_checked(PTRACE_SETREGSET, tid, reinterpret_cast<void*>(NT_ARM_TLS), &io, "set tpidr_el0");
}

// After SYSEMU skipped a call Linux still holds its number, and a signal
// taken on the way back to user mode (the core's interrupt) would restart
// it if x0 looked like -ERESTARTSYS & co: the PC would step back onto the
// svc.  Only then is the number cleared (one more ptrace request).
void no_restart(int tid, std::byte* b)
{
    auto x0 = static_cast<long>(load_regs<Regs>(b).x0);
    if (x0 < -516 || x0 > -512) return;
    int none = -1;
    iovec io{&none, sizeof none};
    linux_host::ptrace_checked(PTRACE_SETREGSET, tid, reinterpret_cast<void*>(NT_ARM_SYSTEM_CALL), &io, "clear the call number");
}
}  // namespace

const linux_host::Linux_arch& linux_arch()
{
    static const linux_host::Linux_arch a = linux_facts({
        .system_pages = 0x7ff000000000,
        // Up to the end of the 48-bit user range: Linux's stack and vDSO
        // sit at its top.
        .reserved_low = 0x7ff000000000,
        .reserved_high = 0x1000000000000,
        .low_alias = 0x7ff000800000,
        // SYSEMU skips the call without touching x0-x6; x7 reads as the
        // entry/exit marker and is restored by Linux (the ABI never uses it).
        .fixup_syscall_stop = [](std::byte*) {},
        .no_restart = &no_restart,
        .thread_pointer_indirect = false,
        .set_thread_pointer = nullptr,
        .set_thread_register = &set_tpidr,
        .breakpoint_pc_offset = 4,
        .batch_gate_offset = 8,
        // The handler is the stub's own (task_stub.S), in the task's ABI.
        // No syscall user dispatch (arm64 Linux before generic entry lacks
        // it): the filter alone decides, and arm64 has none of the probe
        // calls that pass seccomp unfiltered on x86_64.
        .signal_path = generic_signal_path({
            .gate_offset = 4,
            .handler_audit_arch = AUDIT_ARCH_AARCH64,
            .blocks = 0x7ff002000000,
            .frame_bytes = frame::frame_bytes,
            .from_frame = frame::to_regs,
            .to_frame = frame::from_regs,
        }),
    });
    return a;
}

}  // namespace umol4::arch::aarch64
