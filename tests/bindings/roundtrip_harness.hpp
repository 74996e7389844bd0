// Round-trip harness: an in-process "kernel" behind the test-variant KIP stubs.
//
// The generated test (roundtrip_<arch>.cpp) defines A (the arch namespace) and
// the stub symbols, then includes this file.  A call goes: user binding ->
// test stub -> capture trampoline (capture/<arch>.S, saves every register in
// regset order) -> umol4_test_kernel, which decodes the registers with the
// core's generated decoder, answers through the generated encoder and lets the
// trampoline load the register file back.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>

#include "umol4/gen/syscall_frame.hpp"

struct Harness {
    using Syscall = umol4::Syscall;
    using Word = umol4::Word;
    static constexpr Word word_mask = A::word_bits == 64 ? ~Word(0) : Word(0xFFFFFFFFu);

    static Harness* current;
    static const char* const stub_base;
    static void (*const scribble_fn)(Syscall, A::Regs&);
    static void (*const install_fn)();

    Syscall call;
    std::array<Word, umol4::max_inputs> ins{};
    std::array<Word, umol4::max_outputs> outs{};
    std::array<Word, umol4::max_mr_regs> mr_reply{};
    std::array<L4_Word_t, 64> mr_before{};
    umol4::Syscall_frame seen{};
    bool trapped_ = false;
    bool slot_ok = true;

    explicit Harness(Syscall c) : call(c)
    {
        static bool installed = (install_fn(), true);
        (void)installed;
        std::mt19937_64 rng(0x4C34u + static_cast<unsigned>(c));
        for (auto& v : ins) v = draw(rng);
        for (auto& v : mr_reply) v = draw(rng);
        const auto& info = umol4::info_of(c);
        for (std::size_t i = 0; i < outs.size(); ++i)
            outs[i] = (i < info.outputs && info.out[i].clock) ? rng() | 1 : draw(rng);
        current = this;
    }
    ~Harness() { current = nullptr; }

    static Word draw(std::mt19937_64& rng) { return (rng() & word_mask) | 1; }

    L4_Word_t in(std::size_t i) const { return static_cast<L4_Word_t>(ins[i]); }
    L4_Word_t out(std::size_t i) const { return static_cast<L4_Word_t>(outs[i]); }
    L4_Word64_t out64(std::size_t i) const { return outs[i]; }
    bool trapped() const { return trapped_; }

    void init_mrs(L4_Word_t* mr)
    {
        std::mt19937_64 rng(0x6D72u + static_cast<unsigned>(call));
        for (std::size_t i = 0; i < 64; ++i) mr_before[i] = mr[i] = static_cast<L4_Word_t>(draw(rng));
    }

    void expect_inputs(std::initializer_list<bool> passed) const
    {
        EXPECT_EQ(seen.call, call);
        EXPECT_TRUE(slot_ok) << "trap address is not inside the stub slot of " << umol4::name_of(call);
        const auto& info = umol4::info_of(call);
        std::size_t i = 0;
        for (bool p : passed) {
            if (p) EXPECT_EQ(seen.in[i], ins[i]) << "input " << info.in[i].name;
            ++i;
        }
    }

    void expect_mr_in(unsigned mr_in, unsigned mr_out) const
    {
        EXPECT_EQ(seen.mr_in, mr_in);
        EXPECT_EQ(seen.mr_out, mr_out);
        for (unsigned i = 0; i < mr_in; ++i) EXPECT_EQ(seen.mr[i], mr_before[i]) << "MR" << i << " in";
    }

    void expect_mrs_after(const L4_Word_t* mr, unsigned mr_out) const
    {
        for (unsigned i = 0; i < 64; ++i) {
            Word want = i < mr_out ? (mr_reply[i] & word_mask) : mr_before[i];
            EXPECT_EQ(Word(mr[i]), want) << "MR" << i << " out";
        }
    }

    void kernel(A::Regs& r)
    {
        trapped_ = true;
        Syscall c = call;
        if (umol4::info_of(call).kip_word >= 0) {
            auto at = A::call_at_stub_offset(Word(A::pc(r)) - Word(reinterpret_cast<std::uintptr_t>(stub_base)));
            slot_ok = at && *at == call;
            if (at) c = *at;
        }
        A::decode(c, r, seen);
        umol4::Syscall_frame reply = seen;
        reply.out = outs;
        reply.mr = mr_reply;
        scribble_fn(c, r);
        A::encode(reply, r);
    }
};

extern "C" A::Regs umol4_test_regs;
A::Regs umol4_test_regs;

extern "C" void umol4_test_kernel(A::Regs* r)
{
    if (Harness::current) Harness::current->kernel(*r);
}

TEST(BindingRoundTrip, SameArchOnBothSides)
{
    EXPECT_STREQ(L4_ARCH_NAME, UMOL4_TEST_ARCH_NAME);
    EXPECT_EQ(unsigned(L4_WORD_BITS), A::word_bits);
    EXPECT_EQ(sizeof(L4_Word_t) * 8, A::word_bits);
}
