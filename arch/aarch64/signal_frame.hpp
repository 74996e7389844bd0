// The signal path's frames of aarch64 tasks: the kernel's rt_sigframe
// ucontext as the stub's handler reports it, and its registers to and from
// the NT_PRSTATUS layout (user_pt_regs).  Plain byte offsets (arm64's uapi
// ucontext.h and sigcontext.h), so the conversions build and are tested on
// any host.
#pragma once

#include <cstddef>
#include <cstring>

#include "arch/generic_ucontext.hpp"
#include "arch/regs_bytes.hpp"
#include "umol4/gen/arch/aarch64/syscall_abi.hpp"

namespace umol4::arch::aarch64::frame {

// After the generic ucontext's head (arch/generic_ucontext.hpp), the
// sigcontext, 16-byte aligned: fault_address, regs[31], sp, pc, pstate
// (user_pt_regs' order), then 4096 bytes of records (FP/SIMD state and
// others), which rt_sigreturn parses and checks itself.  The core copies
// and writes back the frame up to the records only (frame_bytes): they stay
// in the block as Linux wrote them, the thread's own.
inline constexpr std::size_t registers = 184, pstate = registers + 33 * 8;
inline constexpr std::size_t frame_bytes = 464;
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

}  // namespace umol4::arch::aarch64::frame
