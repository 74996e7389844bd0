// The KIP builder against the binary layout of x2-abi.md (amd64 and ia32
// offsets, descriptor encodings, syscall entries absolute vs. KIP-relative).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "core/arch.hpp"
#include "core/objects/kip.hpp"

namespace umol4 {
namespace {

Word word_at(const std::vector<std::byte>& kip, std::size_t offset, unsigned bytes)
{
    Word v = 0;
    std::memcpy(&v, &kip[offset], bytes);
    return v;
}

Kip_config sample()
{
    Kip_config c;
    c.stubs_address = 0x7ff000000000;
    c.sigma0 = {0x20100, 0, 0x20000, 0x2ffff};
    c.root = {0x401000, 0, 0x400000, 0x40ffff};
    c.memory = {{Memory_type::conventional, 0, false, 0, 0x8000000},
                {Memory_type::reserved, 0, false, 0, 0x10000},
                {Memory_type::boot_loader, 0, false, 0x400000, 0x410000},
                {Memory_type::conventional, 0, true, 0, 0x7ff000000000}};
    c.cpu_khz = 2000000;
    return c;
}

struct Layout {
    const char* arch;
    unsigned w;
    std::size_t api_version, kernel_desc, sigma0_ip, root_ip, root_low, memory_info, utcb_info, kip_area_info,
        proc_desc_ptr, thread_info, page_info, processor_info, space_control, ipc, schedule;
};

// Offsets straight from the table in x2-abi.md; aarch64 and riscv64 index
// the same words (docs/abi/aarch64-riscv64.md), so theirs equal amd64's.
constexpr Layout amd64 = {"x86_64", 8, 0x008, 0x018, 0x048, 0x088, 0x090, 0x0A8, 0x150, 0x158, 0x178, 0x188, 0x190,
                          0x198, 0x1A0, 0x1C0, 0x1F0};
const Layout layouts[] = {
    amd64,
    {"ia32", 4, 0x004, 0x00C, 0x024, 0x044, 0x048, 0x054, 0x0A8, 0x0AC, 0x0BC, 0x0C4, 0x0C8, 0x0CC, 0x0D0, 0x0E0, 0x0F8},
    [] { Layout l = amd64; l.arch = "aarch64"; return l; }(),
    [] { Layout l = amd64; l.arch = "riscv64"; return l; }(),
};

// The layouts of the arches this core has: every case runs (none skips).
std::vector<Layout> layouts_of_this_core()
{
    std::vector<Layout> v;
    for (const Layout& l : layouts)
        if (find_arch(l.arch)) v.push_back(l);
    return v;
}

TEST(Kip_layouts, EveryArchOfThisCoreHasItsLayoutChecked)
{
    for (const Arch& arch : arches()) {
        const Arch_plugin* a = &arch.abi;
        bool known = false;
        for (const Layout& l : layouts) known = known || a->name == l.arch;
        EXPECT_TRUE(known) << a->name << " has no KIP layout in this test";
    }
    EXPECT_FALSE(layouts_of_this_core().empty());
}

class Kip_layout : public ::testing::TestWithParam<Layout> {};

TEST_P(Kip_layout, FieldsSitAtTheirX2Offsets)
{
    const Layout& l = GetParam();
    const Arch* found = find_arch(l.arch);
    ASSERT_NE(found, nullptr);
    const Arch_plugin* arch = &found->abi;
    auto kip = build_kip(*arch, sample());
    ASSERT_EQ(kip.size(), 4096u);
    EXPECT_EQ(char(kip[0]), 'L');
    EXPECT_EQ(char(kip[1]), '4');
    EXPECT_EQ(std::uint8_t(kip[2]), 0xE6);
    EXPECT_EQ(char(kip[3]), 'K');
    EXPECT_EQ(word_at(kip, l.api_version, l.w), 0x84050000u);
    EXPECT_EQ(word_at(kip, l.sigma0_ip, l.w), 0x20100u);
    EXPECT_EQ(word_at(kip, l.root_ip, l.w), 0x401000u);
    EXPECT_EQ(word_at(kip, l.root_low, l.w), 0x400000u);
    Word utcb = word_at(kip, l.utcb_info, l.w);
    EXPECT_EQ(utcb & 0x3FF, arch->utcb_m);
    EXPECT_EQ((utcb >> 10) & 0x3F, arch->utcb_a);
    EXPECT_EQ((utcb >> 16) & 0x3F, 12u);
    EXPECT_EQ(word_at(kip, l.kip_area_info, l.w), 12u);
    Word ti = word_at(kip, l.thread_info, l.w);
    EXPECT_EQ(ti & 0xFF, arch->thread_bits);
    EXPECT_EQ((ti >> 8) & 0xFFF, 32u);
    EXPECT_EQ((ti >> 20) & 0xFFF, 64u);
    EXPECT_EQ(word_at(kip, l.page_info, l.w) & 0x1000, 0x1000u) << "4 KiB pages";
    // Processor descriptors where Pistachio has them (0x240 / 0x120).
    Word proc = word_at(kip, l.proc_desc_ptr, l.w);
    EXPECT_EQ(proc, l.w == 8 ? 0x240u : 0x120u);
    EXPECT_EQ(word_at(kip, proc + l.w, l.w), 2000000u);
    EXPECT_EQ(word_at(kip, l.processor_info, l.w) & 0xFFFF, 0u) << "one processor";
    // Kernel descriptor: version string first.
    Word kd = word_at(kip, l.kernel_desc, l.w);
    EXPECT_EQ(word_at(kip, kd, l.w), kip_kernel_id);
    std::string version(reinterpret_cast<const char*>(&kip[kd + 4 * l.w]));
    EXPECT_EQ(version.rfind("UMOL4", 0), 0u);
}

TEST_P(Kip_layout, MemoryDescriptorsKeepTheirOrderAndEncoding)
{
    const Layout& l = GetParam();
    const Arch* found = find_arch(l.arch);
    ASSERT_NE(found, nullptr);
    const Arch_plugin* arch = &found->abi;
    Kip_config c = sample();
    if (l.w == 4) c.memory.back().end = 0xC0000000;
    auto kip = build_kip(*arch, c);
    Word info = word_at(kip, l.memory_info, l.w);
    unsigned half = l.w * 4;
    ASSERT_EQ(info & ((Word(1) << half) - 1), 4u);
    std::size_t md = info >> half;
    EXPECT_EQ(word_at(kip, md, l.w), 0x1u);                       // conventional, low 0
    EXPECT_EQ(word_at(kip, md + l.w, l.w) | 0x3FF, 0x7FFFFFFu);   // high: last byte
    EXPECT_EQ(word_at(kip, md + 2 * l.w, l.w), 0x2u);             // reserved
    EXPECT_EQ(word_at(kip, md + 4 * l.w, l.w), 0x400000u | 0xE);  // boot loader
    EXPECT_EQ(word_at(kip, md + 6 * l.w, l.w), (1u << 9) | 0x1u); // virtual conventional
}

TEST_P(Kip_layout, SyscallEntriesPointAtTheStubSlots)
{
    const Layout& l = GetParam();
    const Arch* found = find_arch(l.arch);
    ASSERT_NE(found, nullptr);
    const Arch_plugin* arch = &found->abi;
    auto kip = build_kip(*arch, sample());
    Word ipc = word_at(kip, l.ipc, l.w), sc = word_at(kip, l.space_control, l.w), sched = word_at(kip, l.schedule, l.w);
    if (arch->kip_entries_relative) {
        EXPECT_EQ(ipc, kip_stubs_offset + arch->stub_offset_of(Syscall::Ipc));
        EXPECT_LT(sched, kip_size) << "ia32 entries are offsets inside the KIP page";
    } else {
        EXPECT_EQ(ipc, 0x7ff000000000u + arch->stub_offset_of(Syscall::Ipc));
        EXPECT_EQ(sc, 0x7ff000000000u + arch->stub_offset_of(Syscall::SpaceControl));
    }
    EXPECT_EQ(arch->call_at_stub_offset((arch->kip_entries_relative ? sched - kip_stubs_offset : sched - 0x7ff000000000)),
              Syscall::Schedule);
}

INSTANTIATE_TEST_SUITE_P(X2, Kip_layout, ::testing::ValuesIn(layouts_of_this_core()),
                         [](const auto& info) { return std::string(info.param.arch); });

}  // namespace
}  // namespace umol4
