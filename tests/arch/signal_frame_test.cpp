// The signal path's frames of x86 tasks (arch/x86/signal_frame64.hpp and
// the arches' Linux facts): registers from an x86_64 signal frame into the
// arch's layout and back, and the values rt_sigreturn would not take.
#include <gtest/gtest.h>

#include <sys/ucontext.h>

#include <cstring>
#include <vector>

#include "arch/regs_bytes.hpp"
#include "core/arch.hpp"
#include "core/host/linux/linux_arch.hpp"
#include "umol4/gen/arch/ia32/syscall_abi.hpp"
#include "umol4/gen/arch/x86_64/syscall_abi.hpp"

namespace umol4 {
namespace {

constexpr std::size_t gregs = 40;  // the ucontext's sigcontext, glibc's REG_* order

struct Frame {
    std::vector<std::byte> bytes;
    explicit Frame(std::size_t n) : bytes(n) {}
    void set(int reg, Word w) { std::memcpy(bytes.data() + gregs + 8 * reg, &w, 8); }
    Word get(int reg) const
    {
        Word w;
        std::memcpy(&w, bytes.data() + gregs + 8 * reg, 8);
        return w;
    }
    void segments(Word cs, Word ss) { set(REG_CSGSFS, cs | ss << 48); }
};

const linux_host::Linux_arch& linux_of(const char* name)
{
    const Arch* a = find_arch(name);
    EXPECT_NE(a, nullptr);
    EXPECT_NE(a->linux, nullptr);
    return *a->linux;
}

TEST(SignalFrames, Ia32RegistersAreTheFramesLowHalvesAndGoBack)
{
    const auto& sp = linux_of("ia32").signal_path;
    ASSERT_NE(sp.from_frame, nullptr);
    Frame f(sp.frame_bytes);
    f.set(REG_RAX, 0x100000005), f.set(REG_RBX, 0xdeadbeef), f.set(REG_RIP, 0x401000), f.set(REG_RSP, 0xbffff000);
    f.set(REG_EFL, 0x246);
    f.segments(0x23, 0x2b);
    arch::ia32::Regs held{};
    held.xgs = 0x63, held.xds = 0x2b, held.xes = 0x2b;
    std::vector<std::byte> held_bytes(sizeof held), regs(sizeof held);
    arch::store_regs(held_bytes.data(), held);
    sp.from_frame(f.bytes.data(), held_bytes.data(), regs.data());
    auto r = arch::load_regs<arch::ia32::Regs>(regs.data());
    EXPECT_EQ(r.eax, 5u);
    EXPECT_EQ(r.orig_eax, 5u);  // the call's number, as at a system-call stop
    EXPECT_EQ(r.ebx, 0xdeadbeefu);
    EXPECT_EQ(r.eip, 0x401000u);
    EXPECT_EQ(r.xcs, 0x23u);
    EXPECT_EQ(r.xgs, 0x63u);  // the thread's own, not the frame's 0

    r.eax = 7, r.eip = 0x401010;
    arch::store_regs(regs.data(), r);
    ASSERT_TRUE(sp.to_frame(regs.data(), held_bytes.data(), f.bytes.data()));
    EXPECT_EQ(f.get(REG_RAX), 7u);
    EXPECT_EQ(f.get(REG_RIP), 0x401010u);
    EXPECT_EQ(f.get(REG_CSGSFS) & 0xffff, 0x23u);
}

TEST(SignalFrames, AnSsTheThreadLoadedItselfGoesBackAndNoOtherOne)
{
    // An ia32 thread may load its TLS data segment into ss; Linux puts it
    // in the frame and rt_sigreturn takes it back.
    const auto& sp = linux_of("ia32").signal_path;
    Frame f(sp.frame_bytes);
    f.segments(0x23, 0x63);
    arch::ia32::Regs held{};
    held.xgs = 0x63;
    std::vector<std::byte> held_bytes(sizeof held), regs(sizeof held);
    arch::store_regs(held_bytes.data(), held);
    sp.from_frame(f.bytes.data(), held_bytes.data(), regs.data());
    auto r = arch::load_regs<arch::ia32::Regs>(regs.data());
    EXPECT_EQ(r.xss, 0x63u);
    EXPECT_TRUE(sp.to_frame(regs.data(), held_bytes.data(), f.bytes.data()));
    r.xss = 0x2b;
    arch::store_regs(regs.data(), r);
    EXPECT_TRUE(sp.to_frame(regs.data(), held_bytes.data(), f.bytes.data()));
    r.xss = 0x6b;
    arch::store_regs(regs.data(), r);
    std::vector<std::byte> before = f.bytes;
    EXPECT_FALSE(sp.to_frame(regs.data(), held_bytes.data(), f.bytes.data()));
    EXPECT_EQ(f.bytes, before);  // nothing written
}

TEST(SignalFrames, X86_64RefusesCodeSegmentsAndSegmentsTheFrameCannotCarry)
{
    const auto& sp = linux_of("x86_64").signal_path;
    Frame f(sp.frame_bytes);
    f.segments(0x33, 0x2b);
    std::vector<std::byte> held(sizeof(arch::x86_64::Regs)), regs(held.size());
    sp.from_frame(f.bytes.data(), held.data(), regs.data());
    auto r = arch::load_regs<arch::x86_64::Regs>(regs.data());
    EXPECT_TRUE(sp.to_frame(regs.data(), held.data(), f.bytes.data()));
    r.cs = 0x23;  // 32-bit code: a far jump's, taken back by rt_sigreturn
    arch::store_regs(regs.data(), r);
    EXPECT_TRUE(sp.to_frame(regs.data(), held.data(), f.bytes.data()));
    r.cs = 0x10;  // a kernel selector
    arch::store_regs(regs.data(), r);
    EXPECT_FALSE(sp.to_frame(regs.data(), held.data(), f.bytes.data()));
    r.cs = 0x33, r.fs_base = 0x1000;  // a base the frame does not carry
    arch::store_regs(regs.data(), r);
    EXPECT_FALSE(sp.to_frame(regs.data(), held.data(), f.bytes.data()));
}

}  // namespace
}  // namespace umol4
