// Tests of the trap decoders of aarch64 and riscv64 tasks (Arch::traps):
// access types of faulting instructions, KernelInterface, kernel-debugger
// requests and their ends, exception numbers, descriptions.  Built for the
// arch the core runs on; the instruction words are those the binding's
// description (syscall-bindings/arch/<arch>.toml) and the compilers emit.
#include "core/arch.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "arch/regs_bytes.hpp"

namespace {

using namespace umol4;

const Arch_traps& traps()
{
    const Arch* a = find_arch(UMOL4_TARGET_ARCH_NAME);
    const Arch_traps* t = a ? a->traps : nullptr;
    if (!t) throw std::runtime_error("no trap decoder for " UMOL4_TARGET_ARCH_NAME);
    return *t;
}

// Little-endian bytes of 16- and 32-bit instruction parcels.
std::vector<std::uint8_t> code(std::initializer_list<std::uint32_t> words, std::initializer_list<unsigned> sizes = {})
{
    std::vector<std::uint8_t> out;
    auto size = sizes.begin();
    for (std::uint32_t w : words) {
        unsigned const n = size != sizes.end() ? *size++ : 4;
        for (unsigned i = 0; i < n; ++i) out.push_back(static_cast<std::uint8_t>(w >> (8 * i)));
    }
    return out;
}

std::vector<std::byte> regs_with_pc(Word pc)
{
    const Arch_plugin& p = find_arch(UMOL4_TARGET_ARCH_NAME)->abi;
    std::vector<std::byte> r(p.regset_bytes);
    p.set_pc(r.data(), pc);
    return r;
}

Word pc_of(const std::vector<std::byte>& r) { return find_arch(UMOL4_TARGET_ARCH_NAME)->abi.pc(r.data()); }

struct Arch_words {
    std::vector<std::uint8_t> store, store_pair, load, atomic, kernel_interface, print_char, enter_message, plain_break,
        undecodable;
    unsigned break_length;  // bytes the core steps over after a kdebug op
    const char* store_text;
};

Arch_words words()
{
    std::string const arch = UMOL4_TARGET_ARCH_NAME;
    if (arch == "aarch64")
        return {
            .store = code({0xf9000001}),             // str x1, [x0]
            .store_pair = code({0xa9bf7bfd}),        // stp x29, x30, [sp, #-16]!
            .load = code({0xf9400001}),              // ldr x1, [x0]
            .atomic = code({0xf8200020}),            // ldadd x0, x0, [x1]
            .kernel_interface = code({0x00004c34}),  // udf #0x4c34
            .print_char = code({0xd4296000}),        // brk #0x4b00
            .enter_message = code({0xd4297fe0}),     // brk #0x4bff
            .plain_break = code({0xd4207d00}),       // brk #0x3e8 (__builtin_trap)
            .undecodable = code({0xffffffff}),
            .break_length = 4,
            .store_text = "str x1, [x0]",
        };
    return {
        .store = code({0x00b53023}),                            // sd a1, 0(a0)
        .store_pair = code({0xe10c}, {2}),                      // c.sd a1, 0(a0)
        .load = code({0x00053583}),                             // ld a1, 0(a0)
        .atomic = code({0x00b5302f}),                           // amoadd.d zero, a1, (a0)
        .kernel_interface = code({0x4c40000b}),                 // custom-0 'L4'
        .print_char = code({0x9002, 0x00000013}, {2, 4}),       // c.ebreak; addi zero, zero, 0
        .enter_message = code({0x00100073, 0x7ff00013}),       // ebreak; addi zero, zero, 0x7ff
        .plain_break = code({0x00100073, 0x00000513}),          // ebreak; li a0, 0
        .undecodable = code({0xffffffff}),
        .break_length = 2,
        .store_text = "sd a1, 0x0(a0)",
    };
}

TEST(Traps, StoresFaultAsWritesAndLoadsAsReads)
{
    auto w = words();
    EXPECT_EQ(traps().fault_access(w.store), Access::write);
    EXPECT_EQ(traps().fault_access(w.store_pair), Access::write);
    EXPECT_EQ(traps().fault_access(w.atomic), Access::write);
    EXPECT_EQ(traps().fault_access(w.load), Access::read);
}

TEST(Traps, AnUndecodableOrCutInstructionFaultsAsARead)
{
    auto w = words();
    EXPECT_EQ(traps().fault_access(w.undecodable), Access::read);
    EXPECT_EQ(traps().fault_access({}), Access::read);
    EXPECT_EQ(traps().fault_access(std::span(w.store).first(1)), Access::read);
}

TEST(Traps, KernelInterfaceIsItsOwnWordOnly)
{
    auto w = words();
    EXPECT_EQ(traps().kernel_interface_length(w.kernel_interface), 4u);
    EXPECT_EQ(traps().kernel_interface_length(w.store), 0u);
    EXPECT_EQ(traps().kernel_interface_length(std::span(w.kernel_interface).first(2)), 0u);
}

TEST(Traps, AKdebugOpIsDecodedAndTheCoreStepsPastTheBreakpoint)
{
    auto w = words();
    auto r = regs_with_pc(0x400000);
    traps().set_kdebug_result(r.data(), 'x');
    Kdebug_request q = traps().kdebug_request(w.print_char, r.data());
    EXPECT_EQ(q.kind, Kdebug_request::Kind::op);
    EXPECT_EQ(q.op, 0u);
    EXPECT_EQ(q.argument, Word('x'));  // the argument register is the result register
    traps().finish_kdebug(r.data(), q);
    EXPECT_EQ(pc_of(r), 0x400000 + w.break_length);
}

TEST(Traps, EnterWithAMessageAndAPlainBreakpoint)
{
    auto w = words();
    auto r = regs_with_pc(0x400000);
    traps().set_kdebug_result(r.data(), 0x1234);
    Kdebug_request q = traps().kdebug_request(w.enter_message, r.data());
    EXPECT_EQ(q.kind, Kdebug_request::Kind::enter_message);
    EXPECT_EQ(q.message, 0x1234u);
    EXPECT_EQ(traps().kdebug_request(w.plain_break, r.data()).kind, Kdebug_request::Kind::enter);
    EXPECT_EQ(traps().kdebug_request(w.store, r.data()).kind, Kdebug_request::Kind::enter);
    EXPECT_EQ(traps().kdebug_request({}, r.data()).kind, Kdebug_request::Kind::enter);
}

TEST(Traps, ThereIsNoPortIo)
{
    struct Bus : Port_device {
        bool claims(unsigned) const override { return true; }
        std::uint32_t in(unsigned, unsigned) override { return 0; }
        void out(unsigned, unsigned, std::uint32_t) override {}
    } bus;
    auto r = regs_with_pc(0x400000);
    EXPECT_FALSE(traps().emulate_port_io(words().store, r.data(), bus));
}

TEST(Traps, ExceptionNumbersAreTheHardwaresCauseCodes)
{
    std::string const arch = UMOL4_TARGET_ARCH_NAME;
    EXPECT_EQ(traps().exception_number(Exception::system_call), arch == "aarch64" ? 0x15u : 8u);
    EXPECT_EQ(traps().exception_number(Exception::breakpoint), arch == "aarch64" ? 0x3Cu : 3u);
    EXPECT_EQ(traps().exception_number(Exception::invalid_opcode), arch == "aarch64" ? 0x00u : 2u);
}

TEST(Traps, DescriptionsAreTheInstructionsText)
{
    auto w = words();
    EXPECT_EQ(traps().describe(w.store), w.store_text);
    EXPECT_EQ(traps().describe(w.undecodable), "(undecodable)");
}

}  // namespace
