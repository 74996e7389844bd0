// Tests of the x86 instruction decoder: access types, port I/O, traps, lengths, bad input.
#include "arch/x86/insn_decoder.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <initializer_list>
#include <vector>

namespace x86 = umol4::arch::x86;
using x86::Mode;
using x86::Special;

namespace {

constexpr Mode both_modes[] = {Mode::bits32, Mode::bits64};

std::optional<x86::Insn> decode(std::initializer_list<std::uint8_t> bytes, Mode mode,
                                x86::Text text = x86::Text::include)
{
    std::vector<std::uint8_t> const v(bytes);
    return x86::decode(v, mode, text);
}

// Decodes, checks validity and length, and names the mode in failures.
x86::Insn must_decode(std::initializer_list<std::uint8_t> bytes, Mode mode, unsigned length)
{
    auto const insn = decode(bytes, mode);
    EXPECT_TRUE(insn.has_value()) << "mode " << (mode == Mode::bits64 ? 64 : 32);
    if (!insn) return {};
    EXPECT_EQ(insn->length, length) << insn->text;
    return *insn;
}

void expect_access(const x86::Insn& insn, bool reads, bool writes)
{
    EXPECT_EQ(insn.reads_memory, reads) << insn.text;
    EXPECT_EQ(insn.writes_memory, writes) << insn.text;
    EXPECT_FALSE(insn.port_io) << insn.text;
    EXPECT_EQ(insn.special, Special::none) << insn.text;
}

// Same length and access in both modes.
void expect_access_in_both(std::initializer_list<std::uint8_t> bytes, unsigned length, bool reads, bool writes)
{
    for (Mode m : both_modes) expect_access(must_decode(bytes, m, length), reads, writes);
}

// A port access, the same in both modes; ins writes and outs reads memory.
void expect_port_io_in_both(std::initializer_list<std::uint8_t> bytes, unsigned length, x86::Port_io want)
{
    for (Mode m : both_modes) {
        auto const insn = must_decode(bytes, m, length);
        ASSERT_TRUE(insn.port_io) << insn.text;
        const x86::Port_io& got = *insn.port_io;
        EXPECT_EQ(got.out, want.out) << insn.text;
        EXPECT_EQ(got.size, want.size) << insn.text;
        EXPECT_EQ(got.port_in_dx, want.port_in_dx) << insn.text;
        EXPECT_EQ(got.port, want.port) << insn.text;  // 0 when in DX
        EXPECT_EQ(got.string, want.string) << insn.text;
        EXPECT_EQ(got.rep, want.rep) << insn.text;
        EXPECT_EQ(insn.reads_memory, want.string && want.out) << insn.text;
        EXPECT_EQ(insn.writes_memory, want.string && !want.out) << insn.text;
        EXPECT_EQ(insn.special, Special::none) << insn.text;
    }
}

// A trap, the same in both modes, that reports no memory access: it comes first.
void expect_special_in_both(std::initializer_list<std::uint8_t> bytes, unsigned length, Special special,
                            unsigned vector = 0)
{
    for (Mode m : both_modes) {
        auto const insn = must_decode(bytes, m, length);
        EXPECT_EQ(insn.special, special) << insn.text;
        EXPECT_EQ(insn.int_vector, vector) << insn.text;
        EXPECT_FALSE(insn.reads_memory || insn.writes_memory || insn.port_io) << insn.text;
    }
}

}  // namespace

TEST(X86InsnDecoder, MovToMemoryIsAWrite)
{
    expect_access_in_both({0x89, 0x03}, 2, false, true);  // mov %eax,(%ebx)
    expect_access(must_decode({0x48, 0x89, 0x43, 0x08}, Mode::bits64, 4), false, true);    // mov %rax,8(%rbx)
    expect_access(must_decode({0xc7, 0x00, 1, 0, 0, 0}, Mode::bits32, 6), false, true);     // movl $1,(%eax)
}

TEST(X86InsnDecoder, MovFromMemoryIsARead)
{
    expect_access_in_both({0x8b, 0x03}, 2, true, false);
    expect_access_in_both({0x0f, 0xb6, 0x03}, 3, true, false);  // movzbl
    expect_access_in_both({0x3b, 0x03}, 2, true, false);        // cmp
}

TEST(X86InsnDecoder, ReadModifyWriteIsReadAndWrite)
{
    expect_access_in_both({0x01, 0x03}, 2, true, true);        // add %eax,(%ebx)
    expect_access_in_both({0xff, 0x00}, 2, true, true);        // incl (%eax)
    expect_access_in_both({0x87, 0x03}, 2, true, true);        // xchg
}

TEST(X86InsnDecoder, LockPrefixedInstructionKeepsItsSemanticsAndLength)
{
    auto const add32 = must_decode({0xf0, 0x01, 0x03}, Mode::bits32, 3);  // lock add %eax,(%ebx)
    expect_access(add32, true, true);
    EXPECT_EQ(add32.text, "lock addl %eax, (%ebx)");
    auto const add64 = must_decode({0xf0, 0x01, 0x03}, Mode::bits64, 3);
    expect_access(add64, true, true);
    EXPECT_EQ(add64.text, "lock addl %eax, (%rbx)");
    expect_access(must_decode({0xf0, 0x0f, 0xb1, 0x0b}, Mode::bits64, 4), true, true);  // lock cmpxchg
}

TEST(X86InsnDecoder, RegisterOnlyInstructionsTouchNoMemory)
{
    expect_access_in_both({0x01, 0xd8}, 2, false, false);  // add %ebx,%eax
    expect_access_in_both({0x8d, 0x03}, 2, false, false);  // lea (%ebx),%eax
    expect_access_in_both({0x90}, 1, false, false);        // nop
    expect_access_in_both({0x0f, 0x1f, 0x00}, 3, false, false);  // nopl (%eax)
    expect_access_in_both({0xf3, 0x90}, 2, false, false);  // pause: MC says load+store
    expect_access_in_both({0x0f, 0xa2}, 2, false, false);  // cpuid
}

TEST(X86InsnDecoder, PushWritesAndPopReadsTheStack)
{
    expect_access_in_both({0x50}, 1, false, true);           // push %eax
    expect_access_in_both({0x58}, 1, true, false);           // pop %eax
    expect_access_in_both({0xff, 0x30}, 2, true, true);      // push (%eax)
    expect_access_in_both({0x8f, 0x00}, 2, true, true);      // pop (%eax)
    expect_access_in_both({0x6a, 0x01}, 2, false, true);     // push $1
    expect_access_in_both({0x9c}, 1, false, true);           // pushf
    expect_access_in_both({0x9d}, 1, true, false);           // popf
    expect_access_in_both({0xc9}, 1, true, false);           // leave
    expect_access_in_both({0xc8, 0x10, 0, 0}, 4, false, true);  // enter
    expect_access_in_both({0x0f, 0xa0}, 2, false, true);     // push %fs
    expect_access_in_both({0x0f, 0xa1}, 2, true, false);     // pop %fs
    expect_access(must_decode({0x06}, Mode::bits32, 1), false, true);    // push %es
    expect_access(must_decode({0x60}, Mode::bits32, 1), false, true);    // pusha
    expect_access(must_decode({0x61}, Mode::bits32, 1), true, false);    // popa
}

TEST(X86InsnDecoder, CallWritesAndRetReadsTheStack)
{
    expect_access_in_both({0xe8, 0, 0, 0, 0}, 5, false, true);  // call rel32
    expect_access_in_both({0xff, 0xd0}, 2, false, true);        // call *%eax
    expect_access_in_both({0xff, 0x10}, 2, true, true);         // call *(%eax)
    expect_access_in_both({0xc3}, 1, true, false);              // ret
    expect_access_in_both({0xc2, 0x08, 0x00}, 3, true, false);  // ret $8
    expect_access_in_both({0xcb}, 1, true, false);              // lret
    expect_access_in_both({0xcf}, 1, true, false);              // iret
    expect_access(must_decode({0x66, 0xe8, 0, 0}, Mode::bits32, 4), false, true);  // callw rel16
}

TEST(X86InsnDecoder, JumpsTouchNoMemoryUnlessIndirectThroughIt)
{
    expect_access_in_both({0xeb, 0xfe}, 2, false, false);
    expect_access_in_both({0xff, 0xe0}, 2, false, false);  // jmp *%eax
    expect_access_in_both({0xff, 0x20}, 2, true, false);   // jmp *(%eax)
}

TEST(X86InsnDecoder, StringInstructionsHaveTheirOwnSemantics)
{
    expect_access_in_both({0xf3, 0xa4}, 2, true, true);   // rep movsb
    expect_access_in_both({0xa5}, 1, true, true);         // movsl
    expect_access_in_both({0xaa}, 1, false, true);        // stosb
    expect_access_in_both({0xac}, 1, true, false);        // lodsb
    expect_access_in_both({0xa6}, 1, true, false);        // cmpsb
    expect_access_in_both({0xf3, 0xa6}, 2, true, false);  // repe cmpsb
    expect_access_in_both({0xae}, 1, true, false);        // scasb
    expect_access_in_both({0xf2, 0xae}, 2, true, false);  // repne scasb
    expect_access_in_both({0x67, 0xf3, 0xa4}, 3, true, true);  // address-size rep movsb
    auto const stosq = must_decode({0xf3, 0x48, 0xab}, Mode::bits64, 3);
    expect_access(stosq, false, true);
    EXPECT_EQ(stosq.text, "rep stosq %rax, %es:(%rdi)");
    expect_access(must_decode({0x48, 0xa5}, Mode::bits64, 2), true, true);  // movsq
}

TEST(X86InsnDecoder, XlatAndMaskmovAccessMemoryImplicitly)
{
    expect_access_in_both({0xd7}, 1, true, false);                   // xlat
    expect_access_in_both({0x66, 0x0f, 0xf7, 0xc1}, 4, false, true);  // maskmovdqu
}

TEST(X86InsnDecoder, RipRelativeOperandIsAMemoryAccess)
{
    auto const load = must_decode({0x8b, 0x05, 0x10, 0, 0, 0}, Mode::bits64, 6);
    expect_access(load, true, false);
    EXPECT_EQ(load.text, "movl 0x10(%rip), %eax");
    expect_access(must_decode({0x89, 0x05, 0x10, 0, 0, 0}, Mode::bits64, 6), false, true);
    // The same bytes are an absolute address in 32-bit mode.
    auto const absolute = must_decode({0x8b, 0x05, 0x10, 0, 0, 0}, Mode::bits32, 6);
    expect_access(absolute, true, false);
    EXPECT_EQ(absolute.text, "movl 0x10, %eax");
}

TEST(X86InsnDecoder, InAlImm8IsPortInput)
{
    expect_port_io_in_both({0xe4, 0x60}, 2, {.out = false, .size = 1, .port = 0x60});
}

TEST(X86InsnDecoder, OperandSizePrefixMakesPortAccessWordSized)
{
    expect_port_io_in_both({0x66, 0xe5, 0x60}, 3, {.size = 2, .port = 0x60});  // in $0x60,%ax
    expect_port_io_in_both({0xe5, 0x60}, 2, {.size = 4, .port = 0x60});        // in $0x60,%eax
    expect_port_io_in_both({0x66, 0xef}, 2, {.out = true, .size = 2, .port_in_dx = true});  // out %ax,%dx
}

TEST(X86InsnDecoder, InEaxDxIsPortInputFromDx)
{
    expect_port_io_in_both({0xed}, 1, {.size = 4, .port_in_dx = true});
    expect_port_io_in_both({0xec}, 1, {.size = 1, .port_in_dx = true});
}

TEST(X86InsnDecoder, OutbToDxIsPortOutput)
{
    expect_port_io_in_both({0xee}, 1, {.out = true, .size = 1, .port_in_dx = true});
    for (Mode m : both_modes) EXPECT_EQ(must_decode({0xee}, m, 1).text, "outb %al, %dx");
}

TEST(X86InsnDecoder, OutImm8EaxIsPortOutputToImmediatePort)
{
    // 0xf8 has the top bit set: MC sign-extends the immediate, the port must not be.
    expect_port_io_in_both({0xe7, 0xf8}, 2, {.out = true, .size = 4, .port = 0xf8});
    expect_port_io_in_both({0xe6, 0x80}, 2, {.out = true, .size = 1, .port = 0x80});
}

TEST(X86InsnDecoder, InsbIsStringPortInputThatWritesMemory)
{
    expect_port_io_in_both({0x6c}, 1, {.size = 1, .port_in_dx = true, .string = true});
    expect_port_io_in_both({0xf3, 0x6d}, 2, {.size = 4, .port_in_dx = true, .string = true, .rep = true});
}

TEST(X86InsnDecoder, RepOutswIsRepeatedStringPortOutputThatReadsMemory)
{
    x86::Port_io const outsw{.out = true, .size = 2, .port_in_dx = true, .string = true, .rep = true};
    expect_port_io_in_both({0xf3, 0x66, 0x6f}, 3, outsw);
    expect_port_io_in_both({0x66, 0xf3, 0x6f}, 3, outsw);  // prefix order does not matter
    expect_port_io_in_both({0x66, 0x6f}, 2, {.out = true, .size = 2, .port_in_dx = true, .string = true});
}

TEST(X86InsnDecoder, SyscallAndSysenterAreSpecial)
{
    expect_special_in_both({0x0f, 0x05}, 2, Special::syscall);
    expect_special_in_both({0x0f, 0x34}, 2, Special::sysenter);
}

TEST(X86InsnDecoder, SoftwareInterruptsCarryTheirVector)
{
    // MC reports int and int3 as load+store; the trap comes first.
    expect_special_in_both({0xcd, 0x80}, 2, Special::int80, 0x80);
    expect_special_in_both({0xcd, 0x30}, 2, Special::int_n, 0x30);
    expect_special_in_both({0xcd, 0xff}, 2, Special::int_n, 0xff);
    expect_special_in_both({0xcc}, 1, Special::int3, 3);
    auto const into = must_decode({0xce}, Mode::bits32, 1);
    EXPECT_EQ(into.special, Special::int_n);
    EXPECT_EQ(into.int_vector, 4u);
}

TEST(X86InsnDecoder, LockNopIsTheKernelInterfaceTrap)
{
    expect_special_in_both({0xf0, 0x90}, 2, Special::kernel_interface);
    expect_special_in_both({0xf0, 0x90, 0x90, 0x90}, 2, Special::kernel_interface);  // stops after F0 90
    for (Mode m : both_modes) {
        EXPECT_EQ(must_decode({0xf0, 0x90}, m, 2).text, "lock nop");
        EXPECT_EQ(must_decode({0x66, 0xf0, 0x90}, m, 3).special, Special::none);
    }
    // With REX.B it is xchg %r8d,%eax, not a nop.
    EXPECT_EQ(must_decode({0xf0, 0x41, 0x90}, Mode::bits64, 3).special, Special::none);
}

TEST(X86InsnDecoder, HltIsSpecial)
{
    expect_special_in_both({0xf4}, 1, Special::hlt);
}

TEST(X86InsnDecoder, PrivilegedInstructionsAreReportedAsSuch)
{
    expect_special_in_both({0xfa}, 1, Special::privileged);              // cli
    expect_special_in_both({0xfb}, 1, Special::privileged);              // sti
    expect_special_in_both({0x0f, 0x22, 0xd8}, 3, Special::privileged);  // mov %eax,%cr3
    expect_special_in_both({0x0f, 0x20, 0xd8}, 3, Special::privileged);  // mov %cr3,%eax
    expect_special_in_both({0x0f, 0x30}, 2, Special::privileged);        // wrmsr
    expect_special_in_both({0x0f, 0x09}, 2, Special::privileged);        // wbinvd
    expect_special_in_both({0x0f, 0x01, 0x10}, 3, Special::privileged);  // lgdt (%eax): no read
    expect_special_in_both({0x0f, 0x01, 0x38}, 3, Special::privileged);  // invlpg (%eax)
    EXPECT_EQ(must_decode({0x0f, 0x01, 0xf8}, Mode::bits64, 3).special, Special::privileged);  // swapgs
    EXPECT_EQ(must_decode({0x0f, 0x31}, Mode::bits64, 2).special, Special::none);  // rdtsc stays plain
}

TEST(X86InsnDecoder, InstructionLengthsIncludePrefixesDisplacementsAndImmediates)
{
    for (Mode m : both_modes) {
        must_decode({0xc7, 0x84, 0x88, 1, 0, 0, 0, 2, 0, 0, 0}, m, 11);  // movl $2,1(%eax,%ecx,4)
        must_decode({0x64, 0x8b, 0x03}, m, 3);                           // mov %fs:(%ebx),%eax
        must_decode({0x66, 0x81, 0x00, 0x34, 0x12}, m, 5);               // addw $0x1234,(%eax)
        must_decode({0xe9, 0, 0, 0, 0, 0xcc}, m, 5);                     // jmp rel32, then int3
        must_decode({0xf2, 0x90}, m, 2);                                 // xacquire nop
        must_decode({0xf3, 0x88, 0x03}, m, 3);                           // xrelease mov
    }
    must_decode({0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8}, Mode::bits64, 10);  // movabs $imm64,%rax
    expect_access(must_decode({0xf3, 0x88, 0x03}, Mode::bits64, 3), false, true);
}

TEST(X86InsnDecoder, FifteenBytesIsTheLimit)
{
    // 14 operand-size prefixes + nop = 15 bytes: valid; one more prefix is not.
    std::vector<std::uint8_t> bytes(14, 0x66);
    bytes.push_back(0x90);
    for (Mode m : both_modes) {
        auto const insn = x86::decode(bytes, m);
        ASSERT_TRUE(insn);
        EXPECT_EQ(insn->length, 15u);
    }
    bytes.insert(bytes.begin(), 0x66);
    for (Mode m : both_modes) EXPECT_FALSE(x86::decode(bytes, m));
}

TEST(X86InsnDecoder, InvalidBytesAreNotAnInstruction)
{
    for (Mode m : both_modes) {
        EXPECT_FALSE(decode({0x0f, 0xff}, m));  // ud0 without ModRM
        EXPECT_FALSE(decode({0xff, 0xff}, m));  // ff /7
        EXPECT_FALSE(decode({0xfe, 0x38}, m));  // fe /7
        EXPECT_FALSE(decode({0xf0}, m));        // prefixes only
        EXPECT_FALSE(decode({0xf0, 0xf0, 0xf0}, m));
        EXPECT_FALSE(decode({0x2e}, m));
        EXPECT_FALSE(decode({0x66}, m));
        EXPECT_FALSE(decode({}, m));
    }
    // Opcodes that x86_64 dropped.
    for (std::uint8_t b : {0x06, 0x07, 0x1e, 0x27, 0x60, 0x61, 0xce, 0xd4})
        EXPECT_FALSE(decode({b}, Mode::bits64)) << int(b);
    EXPECT_FALSE(decode({0x48}, Mode::bits64));  // a lone REX prefix
    EXPECT_TRUE(decode({0x48}, Mode::bits32));   // dec %eax
}

TEST(X86InsnDecoder, TruncatedInstructionsAreNotAnInstruction)
{
    for (Mode m : both_modes) {
        EXPECT_FALSE(decode({0x8b}, m));                    // ModRM missing
        EXPECT_FALSE(decode({0x8b, 0x05, 0x10, 0x00}, m));  // disp32 cut short
        EXPECT_FALSE(decode({0xcd}, m));                    // int without vector
        EXPECT_FALSE(decode({0xe4}, m));                    // in without port
        EXPECT_FALSE(decode({0xe8, 0, 0}, m));              // call rel32 cut short
        EXPECT_FALSE(decode({0x0f}, m));
        EXPECT_FALSE(decode({0xf0, 0x01}, m));              // lock add without ModRM
        EXPECT_FALSE(decode({0x66, 0xe5}, m));
    }
}

TEST(X86InsnDecoder, EveryPrefixOfEveryInputDecodesWithoutCrashing)
{
    // Cheap robustness sweep: every 1- and 2-byte sequence, and a pseudo-random
    // 15-byte stream cut at every offset.
    std::uint32_t seed = 12345;
    std::vector<std::uint8_t> stream(4096);
    for (auto& b : stream) b = static_cast<std::uint8_t>((seed = seed * 1103515245 + 12345) >> 16);
    for (Mode m : both_modes) {
        for (unsigned a = 0; a < 256; ++a)
            for (unsigned b = 0; b < 256; ++b) {
                std::uint8_t const two[2] = {std::uint8_t(a), std::uint8_t(b)};
                auto const insn = x86::decode(two, m);
                if (insn) {
                    EXPECT_LE(insn->length, 2u);
                }
            }
        for (std::size_t at = 0; at + 15 <= stream.size(); ++at) {
            auto const insn = x86::decode(std::span(stream).subspan(at, 15), m, x86::Text::include);
            if (insn) {
                EXPECT_LE(insn->length, 15u);
            }
        }
    }
}

TEST(X86InsnDecoder, TextIsOnlyMadeWhenAskedFor)
{
    auto const insn = decode({0xee}, Mode::bits64, x86::Text::omit);
    ASSERT_TRUE(insn);
    EXPECT_TRUE(insn->text.empty());
}

TEST(X86InsnDecoder, DecodingIsCheapEnoughForThePageFaultPath)
{
    const std::vector<std::vector<std::uint8_t>> samples = {
        {0x89, 0x03}, {0x48, 0x8b, 0x05, 0x10, 0, 0, 0}, {0xf3, 0xa4}, {0xee}, {0xf0, 0x90}, {0xe8, 0, 0, 0, 0}};
    constexpr int rounds = 20000;
    auto const start = std::chrono::steady_clock::now();
    unsigned sum = 0;
    for (int r = 0; r < rounds; ++r)
        for (const auto& s : samples) sum += x86::decode(s, Mode::bits64)->length;
    auto const ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    double const per_insn = ns / (rounds * samples.size());
    std::printf("decode: %.0f ns per instruction (checksum %u)\n", per_insn, sum);
    EXPECT_LT(per_insn, 20000.0);  // generous: catches per-call MC set-up, not noise
}
