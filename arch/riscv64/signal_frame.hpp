// The signal path's frames of riscv64 tasks: the kernel's rt_sigframe
// ucontext as the stub's handler reports it, and its registers to and from
// the NT_PRSTATUS layout (user_regs_struct: pc, then x1-x31, as the frame
// has them).  Plain byte offsets (riscv's uapi ucontext.h and
// sigcontext.h), so the conversions build and are tested on any host.
#pragma once

#include <cstddef>
#include <cstring>

#include "arch/generic_ucontext.hpp"
#include "arch/regs_bytes.hpp"
#include "umol4/gen/arch/riscv64/syscall_abi.hpp"

namespace umol4::arch::riscv64::frame {

// After the generic ucontext's head (arch/generic_ucontext.hpp), the
// sigcontext, 16-byte aligned: user_regs_struct, then the FP state (or the
// header of the extensions' records), which rt_sigreturn checks itself.
// The core copies and writes back the frame up to the FP state only
// (frame_bytes): it stays in the block as Linux wrote it, the thread's own.
inline constexpr std::size_t registers = 176;
inline constexpr std::size_t frame_bytes = registers + 32 * 8;

static_assert(sizeof(Regs) == 32 * 8, "user_regs_struct: pc, x1-x31");

inline void to_regs(const std::byte* f, const std::byte*, std::byte* b) { std::memcpy(b, f + registers, sizeof(Regs)); }

// Every value is the thread's to have: user mode has no register beyond these.
inline bool from_regs(const std::byte* b, const std::byte*, std::byte* f)
{
    std::memcpy(f + registers, b, sizeof(Regs));
    return true;
}

}  // namespace umol4::arch::riscv64::frame
