// The signal path's frames of aarch64 tasks (arch/aarch64/signal_frame.hpp):
// registers from the kernel's ucontext into user_pt_regs and back, the
// pstate bits a frame may not change, and the words rt_sigreturn trusts.
#include <gtest/gtest.h>

#include <sys/ucontext.h>

#include <cstddef>
#include <cstring>
#include <vector>

#include "arch/aarch64/signal_frame.hpp"
#include "arch/regs_bytes.hpp"

namespace umol4 {
namespace {

using arch::aarch64::Regs;
namespace frame = arch::aarch64::frame;
namespace generic_ucontext = arch::generic_ucontext;

// The offsets are the kernel's; glibc's ucontext_t has the same up to the
// sigcontext (its larger mask ends where the kernel's padding does).
static_assert(offsetof(ucontext_t, uc_stack) == generic_ucontext::uc_stack);
static_assert(offsetof(ucontext_t, uc_sigmask) == generic_ucontext::sigmask);
static_assert(offsetof(ucontext_t, uc_mcontext.regs) == frame::registers);
static_assert(offsetof(ucontext_t, uc_mcontext.pstate) == frame::pstate);
static_assert(offsetof(ucontext_t, uc_mcontext.__reserved) == frame::frame_bytes);  // the records stay in place

Word word(const std::vector<std::byte>& f, std::size_t at)
{
    Word w;
    std::memcpy(&w, f.data() + at, 8);
    return w;
}

void set_word(std::vector<std::byte>& f, std::size_t at, Word w) { std::memcpy(f.data() + at, &w, 8); }

std::vector<std::byte> frame_with_registers()
{
    std::vector<std::byte> f(frame::frame_bytes);
    for (int i = 0; i < 34; ++i) set_word(f, frame::registers + 8 * i, 0x1000 + i);
    set_word(f, frame::pstate, 0x60000000);  // EL0t, Z and C set
    return f;
}

TEST(Aarch64SignalFrames, RegistersAreTheSigcontextsInUserPtRegsOrder)
{
    auto f = frame_with_registers();
    std::vector<std::byte> b(sizeof(Regs));
    frame::to_regs(f.data(), nullptr, b.data());
    auto r = arch::load_regs<Regs>(b.data());
    EXPECT_EQ(r.x0, 0x1000u);
    EXPECT_EQ(r.x30, 0x1000u + 30);
    EXPECT_EQ(r.sp, 0x1000u + 31);
    EXPECT_EQ(r.pc, 0x1000u + 32);
    EXPECT_EQ(r.pstate, 0x60000000u);
}

TEST(Aarch64SignalFrames, RegistersAndConditionFlagsGoBackIntoTheFrame)
{
    auto f = frame_with_registers();
    std::vector<std::byte> b(sizeof(Regs));
    frame::to_regs(f.data(), nullptr, b.data());
    auto r = arch::load_regs<Regs>(b.data());
    r.x8 = 0xdead, r.pc = 0x400000, r.pstate = 0x90000000;  // N and V
    arch::store_regs(b.data(), r);
    ASSERT_TRUE(frame::from_regs(b.data(), nullptr, f.data()));
    EXPECT_EQ(word(f, frame::registers + 8 * 8), 0xdeadu);
    EXPECT_EQ(word(f, frame::registers + 32 * 8), 0x400000u);
    EXPECT_EQ(word(f, frame::pstate), 0x90000000u);
}

TEST(Aarch64SignalFrames, PstateBitsBeyondTheConditionFlagsAreRefusedAndNothingIsWritten)
{
    for (Word bad : {Word(0x5) /* EL1h */, Word(0x3c0) /* DAIF masked */, Word(1) << 21 /* single step */,
                     Word(0x10) /* AArch32 */}) {
        auto f = frame_with_registers();
        auto before = f;
        std::vector<std::byte> b(sizeof(Regs));
        frame::to_regs(f.data(), nullptr, b.data());
        auto r = arch::load_regs<Regs>(b.data());
        r.pstate |= bad, r.x0 = 0xbad;
        arch::store_regs(b.data(), r);
        EXPECT_FALSE(frame::from_regs(b.data(), nullptr, f.data())) << std::hex << bad;
        EXPECT_EQ(f, before);
    }
}

TEST(Aarch64SignalFrames, TrustedFrameHasTheCoresAlternateStackAndAnEmptyMask)
{
    auto f = frame_with_registers();
    set_word(f, 0, 0xffff), set_word(f, 8, 0x1234);                  // flags, link
    set_word(f, generic_ucontext::uc_stack, 0x1000), set_word(f, generic_ucontext::uc_stack + 16, 0x10);  // a stack of the thread's
    set_word(f, generic_ucontext::sigmask, ~Word(0));                           // every signal blocked
    generic_ucontext::trust_head(f.data(), 0x7ff002001000, 0x7000);
    EXPECT_EQ(word(f, 0), 0u);
    EXPECT_EQ(word(f, 8), 0u);
    EXPECT_EQ(word(f, generic_ucontext::uc_stack), 0x7ff002001000u);
    EXPECT_EQ(word(f, generic_ucontext::uc_stack + 8), 0u);
    EXPECT_EQ(word(f, generic_ucontext::uc_stack + 16), 0x7000u);
    EXPECT_EQ(word(f, generic_ucontext::sigmask), 0u);
    EXPECT_EQ(word(f, frame::registers), 0x1000u);  // the registers untouched
}

}  // namespace
}  // namespace umol4
