// The signal path's frames of aarch64 tasks: the kernel's rt_sigframe
// ucontext as the stub's handler reports it, its registers to and from the
// NT_PRSTATUS layout (user_pt_regs), and the words rt_sigreturn must be able
// to trust.  Plain byte offsets (arm64's uapi ucontext.h and sigcontext.h),
// so the conversions build and are tested on any host.
#pragma once

#include <cstddef>
#include <cstring>

#include "arch/regs_bytes.hpp"
#include "umol4/gen/arch/aarch64/syscall_abi.hpp"

namespace umol4::arch::aarch64::frame {

// ucontext: uc_flags, uc_link, uc_stack {ss_sp, ss_flags, ss_size}, the
// signal mask (8 bytes, then padding to 128), then the sigcontext, 16-byte
// aligned: fault_address, regs[31], sp, pc, pstate (user_pt_regs' order),
// and 4096 bytes of records (FP/SIMD state and others), which rt_sigreturn
// parses and checks itself.
inline constexpr std::size_t uc_stack = 16, sigmask = 40, registers = 184, pstate = registers + 33 * 8;
inline constexpr std::size_t frame_bytes = 464 + 4096;
// What a thread may change of pstate: the condition flags.  Anything else
// (exception level, masks, single step) rt_sigreturn refuses or ignores.
inline constexpr Word nzcv = 0xF0000000;

static_assert(sizeof(Regs) == 34 * 8, "user_pt_regs: x0-x30, sp, pc, pstate");

inline void to_regs(const std::byte* f, const std::byte*, std::byte* b)
{
    std::memcpy(b, f + registers, sizeof(Regs));
}

inline bool from_regs(const std::byte* b, const std::byte*, std::byte* f)
{
    Word now;
    std::memcpy(&now, f + pstate, 8);
    if ((load_regs<Regs>(b).pstate ^ now) & ~nzcv) return false;
    std::memcpy(f + registers, b, sizeof(Regs));
    return true;
}

// Flags and link mean nothing to arm64's rt_sigreturn; the alternate stack
// and the mask it restores must be the core's.
inline void trust_frame(std::byte* f, Word stack, Word stack_bytes)
{
    Word words[] = {0, 0, stack, 0, stack_bytes, 0};  // uc_flags, uc_link, uc_stack {sp, flags, size}, mask
    std::memcpy(f, words, sizeof words);
}

}  // namespace umol4::arch::aarch64::frame
