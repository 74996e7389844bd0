// The signal path's frames of riscv64 tasks (arch/riscv64/signal_frame.hpp):
// registers from the kernel's ucontext into user_regs_struct and back, and
// the words rt_sigreturn trusts.
#include <gtest/gtest.h>

#include <sys/ucontext.h>

#include <cstddef>
#include <cstring>
#include <vector>

#include "arch/riscv64/signal_frame.hpp"
#include "arch/regs_bytes.hpp"

namespace umol4 {
namespace {

using arch::riscv64::Regs;
namespace frame = arch::riscv64::frame;
namespace generic_ucontext = arch::generic_ucontext;

// The offsets are the kernel's; glibc's ucontext_t has the same up to the
// sigcontext (its larger mask ends where the kernel's padding does).
static_assert(offsetof(ucontext_t, uc_stack) == generic_ucontext::uc_stack);
static_assert(offsetof(ucontext_t, uc_sigmask) == generic_ucontext::sigmask);
static_assert(offsetof(ucontext_t, uc_mcontext.__gregs) == frame::registers);
static_assert(offsetof(ucontext_t, uc_mcontext.__fpregs) == frame::frame_bytes);  // the FP state stays in place

Word word(const std::vector<std::byte>& f, std::size_t at)
{
    Word w;
    std::memcpy(&w, f.data() + at, 8);
    return w;
}

void set_word(std::vector<std::byte>& f, std::size_t at, Word w) { std::memcpy(f.data() + at, &w, 8); }

TEST(Riscv64SignalFrames, RegistersAreTheSigcontextsPcThenX1ToX31)
{
    std::vector<std::byte> f(frame::frame_bytes);
    for (int i = 0; i < 32; ++i) set_word(f, frame::registers + 8 * i, 0x1000 + i);
    std::vector<std::byte> b(sizeof(Regs));
    frame::to_regs(f.data(), nullptr, b.data());
    auto r = arch::load_regs<Regs>(b.data());
    EXPECT_EQ(r.pc, 0x1000u);
    EXPECT_EQ(r.sp, 0x1002u);
    EXPECT_EQ(r.tp, 0x1004u);
    EXPECT_EQ(r.a0, 0x100au);
    EXPECT_EQ(r.t6, 0x101fu);
    r.tp = 0x3ff0001000, r.pc = 0x400000;
    arch::store_regs(b.data(), r);
    ASSERT_TRUE(frame::from_regs(b.data(), nullptr, f.data()));
    EXPECT_EQ(word(f, frame::registers), 0x400000u);
    EXPECT_EQ(word(f, frame::registers + 4 * 8), 0x3ff0001000u);
}

TEST(Riscv64SignalFrames, TrustedFrameHasTheCoresAlternateStackAndAnEmptyMask)
{
    std::vector<std::byte> f(frame::frame_bytes);
    set_word(f, 0, 0xffff), set_word(f, 8, 0x1234);
    set_word(f, generic_ucontext::uc_stack, 0x1000), set_word(f, generic_ucontext::uc_stack + 16, 0x10);
    set_word(f, generic_ucontext::sigmask, ~Word(0));
    set_word(f, frame::registers, 0x400000);
    generic_ucontext::trust_head(f.data(), 0x3ff2001000, 0x7000);
    EXPECT_EQ(word(f, 0), 0u);
    EXPECT_EQ(word(f, 8), 0u);
    EXPECT_EQ(word(f, generic_ucontext::uc_stack), 0x3ff2001000u);
    EXPECT_EQ(word(f, generic_ucontext::uc_stack + 8), 0u);
    EXPECT_EQ(word(f, generic_ucontext::uc_stack + 16), 0x7000u);
    EXPECT_EQ(word(f, generic_ucontext::sigmask), 0u);
    EXPECT_EQ(word(f, frame::registers), 0x400000u);
}

}  // namespace
}  // namespace umol4
