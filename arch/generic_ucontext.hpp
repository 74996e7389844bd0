// The head of the ucontext of the arches that use Linux's generic one
// (aarch64, riscv64), from which rt_sigreturn takes the alternate stack and
// the signal mask.  Plain byte offsets: builds and is tested on any host.
#pragma once

#include <cstddef>
#include <cstring>

#include "umol4/gen/syscall_frame.hpp"  // Word

namespace umol4::arch::generic_ucontext {

// ucontext: uc_flags, uc_link, uc_stack {ss_sp, ss_flags, ss_size}, the
// signal mask (8 bytes, then padding to 128), then the arch's sigcontext.
inline constexpr std::size_t uc_stack = 16, sigmask = 40;

// Flags and link mean nothing to these arches' rt_sigreturn; the alternate
// stack and the mask it restores must be the core's.
inline void trust_head(std::byte* f, Word stack, Word stack_bytes)
{
    Word words[] = {0, 0, stack, 0, stack_bytes, 0};  // uc_flags, uc_link, uc_stack {sp, flags, size}, mask
    std::memcpy(f, words, sizeof words);
}

}  // namespace umol4::arch::generic_ucontext
