// Linux facts of riscv64 tasks: the seccomp trap (riscv64 Linux has no
// PTRACE_SYSEMU), the reserved range and the UTCB pointer in tp (the calls
// themselves come from the description's [linux]).
#include <linux/audit.h>

#include "arch/riscv64/linux_facts.hpp"
#include "arch/riscv64/signal_frame.hpp"
#include "arch/generic_signal_path.hpp"

namespace umol4::arch::riscv64 {

const linux_host::Linux_arch& linux_arch()
{
    static const linux_host::Linux_arch a = linux_facts({
        .trap = linux_host::Linux_arch::Trap::seccomp,
        // From the top 256 MiB of Sv39's 256 GiB user range up: Linux puts
        // its stack and vDSO at the top of whichever mode (Sv39, Sv48, Sv57)
        // the kernel runs, so L4 gets the Sv39 range below on every kernel.
        .system_pages = 0x3ff0000000,
        .reserved_low = 0x3ff0000000,
        .reserved_high = Word(1) << 56,
        .low_alias = 0x3ff0800000,
        // A seccomp stop comes before Linux touched any register.
        .fixup_syscall_stop = [](std::byte*) {},
        // Linux decides restarts by the trap cause, which no regset shows:
        // nothing to clear (docs/abi/aarch64-riscv64.md).
        .no_restart = [](int, std::byte*) {},
        .thread_pointer_indirect = false,
        .breakpoint_pc_offset = 4,
        .batch_gate_offset = 8,
        // The filter gate; skip_syscall sets a7 (the binding never uses it) to -1.
        .filter_gate_offset = 0x80,
        // The handler is the stub's own (task_stub.S), in the task's ABI;
        // as on aarch64, no syscall user dispatch (no probe calls that pass
        // seccomp unfiltered).  Its threads get no trace-everything filter.
        .signal_path = generic_signal_path({
            .gate_offset = 0x20,
            .sigaction_restorer = false,
            .handler_audit_arch = AUDIT_ARCH_RISCV64,
            .blocks = 0x3ff2000000,
            .frame_bytes = frame::frame_bytes,
            .from_frame = frame::to_regs,
            .to_frame = frame::from_regs,
        }),
    });
    return a;
}

}  // namespace umol4::arch::riscv64
