// Linux facts of riscv64 tasks: the seccomp trap (riscv64 Linux has no
// PTRACE_SYSEMU), the reserved range and the UTCB pointer in tp (the calls
// themselves come from the description's [linux]).
#include <linux/audit.h>
#include <sys/syscall.h>

#include "arch/riscv64/linux_facts.hpp"
#include "arch/riscv64/signal_frame.hpp"

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
        .signal_path = {
            .gate_offset = 0x20,
            .handler = 0x100,
            .restorer = 0x1c0,
            .futex_return = 0x144,
            .exit_return = 0x1a4,
            .sigreturn_return = 0x1c8,
            .sigaction_restorer = false,
            .handler_audit_arch = AUDIT_ARCH_RISCV64,
            .handler_word_bytes = 8,
            .handler_nr = {.futex = SYS_futex, .rt_sigreturn = SYS_rt_sigreturn, .exit = SYS_exit,
                           .rt_sigaction = SYS_rt_sigaction},
            .nr = {.sigaltstack = SYS_sigaltstack,
                   .seccomp = SYS_seccomp,
                   .set_tid_address = SYS_set_tid_address,
                   .prctl = SYS_prctl,
                   .trapped = SYS_getpid},
            .blocks = 0x3ff2000000,
            .frame_bytes = frame::frame_bytes,
            .from_frame = frame::to_regs,
            .to_frame = frame::from_regs,
            .trust_frame = frame::trust_frame,
            .set_step = nullptr,  // no stepping flag a frame can carry (nor a step the core needs: no rebasing)
            .back_to_entry = nullptr,
        },
    });
    return a;
}

}  // namespace umol4::arch::riscv64
