// The arch plugins of this build's core, through the core's type-erased view.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "core/arch.hpp"

namespace umol4 {
namespace {

TEST(ArchPlugins, RegistryHasThisBuildsArch)
{
    ASSERT_NE(find_arch(UMOL4_TARGET_ARCH_NAME), nullptr);
    EXPECT_EQ(find_arch("pdp11"), nullptr);
    for (const Arch& a : arches()) {
        EXPECT_EQ(find_arch(a.name()), &a);
        if (a.traps) {
            EXPECT_EQ(a.traps->arch, a.name());
        }
    }
}

TEST(ArchPlugins, EveryStubSlotMapsBackToItsCall)
{
    for (const Arch& a : arches()) {
        const Arch_plugin* p = &a.abi;
        unsigned stubs = 0;
        for (std::size_t i = 0; i < syscall_count; ++i) {
            auto call = static_cast<Syscall>(i);
            if (info_of(call).kip_word < 0) {
                EXPECT_EQ(p->stub_offset_of(call), ~Word(0)) << p->name;
                continue;
            }
            ++stubs;
            Word off = p->stub_offset_of(call);
            EXPECT_EQ(off % p->stub_slot_bytes, 0u);
            for (Word inside : {off, off + 1, off + p->stub_slot_bytes - 1}) {
                auto back = p->call_at_stub_offset(inside);
                ASSERT_TRUE(back) << p->name;
                EXPECT_EQ(*back, call) << p->name << " offset " << inside;
            }
        }
        EXPECT_EQ(stubs, p->stub_slots);
        EXPECT_FALSE(p->call_at_stub_offset(Word(p->stub_slots) * p->stub_slot_bytes));
        EXPECT_FALSE(p->call_at_stub_offset(~Word(0)));
    }
}

TEST(ArchPlugins, EncodeChangesOnlyOutputRegisters)
{
    std::mt19937_64 rng(11);
    for (const Arch& a : arches()) {
        const Arch_plugin* p = &a.abi;
        for (std::size_t i = 0; i < syscall_count; ++i) {
            auto call = static_cast<Syscall>(i);
            std::vector<std::byte> regs(p->regset_bytes);
            for (auto& b : regs) b = std::byte(rng());
            Syscall_frame in;
            p->decode(call, regs.data(), in);
            EXPECT_EQ(in.call, call);
            // Encoding back exactly what the registers hold changes nothing
            // only if each output register is written with its own value:
            // read those by encoding distinct values and decoding nothing.
            Syscall_frame out = in;
            for (auto& w : out.out) w = rng() & p->word_mask();
            for (auto& w : out.mr) w = rng() & p->word_mask();
            std::vector<std::byte> after = regs;
            p->encode(out, after.data());
            EXPECT_EQ(p->pc(after.data()), p->pc(regs.data())) << p->name << " " << name_of(call);
            EXPECT_EQ(p->sp(after.data()), p->sp(regs.data())) << p->name << " " << name_of(call);
            std::size_t changed = 0;
            for (std::size_t b = 0; b < regs.size(); ++b) changed += regs[b] != after[b];
            std::size_t max_bytes = (info_of(call).outputs * 2 + out.mr_out) * (p->word_bits / 8);
            EXPECT_LE(changed, max_bytes) << p->name << " " << name_of(call);
        }
    }
}

TEST(ArchPlugins, PcAndSpRoundTripAndFormatNamesThem)
{
    for (const Arch& a : arches()) {
        const Arch_plugin* p = &a.abi;
        std::vector<std::byte> regs(p->regset_bytes);
        p->set_pc(regs.data(), 0x1234);
        p->set_sp(regs.data(), 0x5678);
        EXPECT_EQ(p->pc(regs.data()), 0x1234u);
        EXPECT_EQ(p->sp(regs.data()), 0x5678u);
        std::string text = p->format_regs(regs.data());
        EXPECT_NE(text.find("=0x1234"), std::string::npos) << text;
        EXPECT_NE(text.find("=0x5678"), std::string::npos) << text;
    }
}

}  // namespace
}  // namespace umol4
