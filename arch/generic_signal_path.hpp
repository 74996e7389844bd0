// The signal path's facts that aarch64 and riscv64 share: the handler's
// offsets in their task stubs (the same layout in each arch's code), Linux's
// generic call numbers (asm-generic/unistd.h, which both use: the host's
// own, as their cores run on their own arch) and the trusted head of the
// generic ucontext.  The arch adds its audit arch, its blocks' place and
// its frame's registers.
#pragma once

#include <sys/syscall.h>

#include "arch/generic_ucontext.hpp"
#include "core/host/linux/linux_arch.hpp"

namespace umol4::arch {


#if defined(__x86_64__) || defined(__i386__)
#error "asm-generic call numbers: for aarch64 and riscv64 cores"
#endif

inline linux_host::Linux_arch::Signal_path generic_signal_path(linux_host::Linux_arch::Signal_path own)
{
    own.handler = 0x100, own.restorer = 0x1c0;
    own.futex_return = 0x144, own.exit_return = 0x1a4, own.sigreturn_return = 0x1c8;
    own.handler_word_bytes = 8;
    own.handler_nr = {.futex = SYS_futex, .rt_sigreturn = SYS_rt_sigreturn, .exit = SYS_exit,
                      .rt_sigaction = SYS_rt_sigaction};
    own.nr = {.sigaltstack = SYS_sigaltstack,
              .seccomp = SYS_seccomp,
              .set_tid_address = SYS_set_tid_address,
              .prctl = SYS_prctl,
              .trapped = SYS_getpid};
    own.trust_frame = generic_ucontext::trust_head;
    own.set_step = nullptr;       // no stepping flag a frame can carry (nor a step the core needs: no rebasing)
    own.back_to_entry = nullptr;  // no vsyscall page
    return own;
}

}  // namespace umol4::arch
