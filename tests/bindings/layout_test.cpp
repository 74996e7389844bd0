// The bit layouts generated from the description (x2.toml [[layout]]):
// the core's accessors and the C library's give the words X.2 defines, and
// agree with each other, for this build's word size.
#include <gtest/gtest.h>

#include "core/ipc/ipc_codes.hpp"
#include "l4/l4.h"
#include "umol4/gen/syscall_frame.hpp"

namespace {

using namespace umol4;
constexpr Word word_mask = L4_WORD_BITS == 64 ? ~Word(0) : 0xFFFFFFFFu;

TEST(Layouts, APageFaultTagHasTheKernelLabelWithTheAccessAndTwoWords)
{
    Word tag = ipc::kernel_tag(word_mask, 2, 4, 2);
    Word label = (Word(0) - (Word(2) << 4) + 4) & (word_mask >> 16);  // -2<<4 | r
    EXPECT_EQ(tag, (label << 16) | 2);
    EXPECT_EQ(layout::Msg_tag{tag}.label(), label);
    EXPECT_EQ(__L4_msg_tag_label(static_cast<L4_Word_t>(tag)), static_cast<L4_Word_t>(label));
    EXPECT_EQ(L4_UntypedWords(L4_MsgTag_t{.raw = static_cast<L4_Word_t>(tag)}), 2u);
}

TEST(Layouts, MessageTagFieldsSitWhereX2PutsThem)
{
    layout::Msg_tag t;
    t.set_untyped(3).set_typed(4).set_propagated(1).set_error(1).set_label(0x1234);
    EXPECT_EQ(t.raw, (Word(0x1234) << 16) | (1u << 15) | (1u << 12) | (4u << 6) | 3u);
    L4_MsgTag_t c = L4_MsgTagMake(0x1234, 3, 4);
    EXPECT_EQ(c.raw, (0x1234ul << 16) | (4u << 6) | 3u);
    EXPECT_EQ(ipc::received_tag(t.raw, true), (Word(0x1234) << 16) | (1u << 14) | (4u << 6) | 3u)
        << "the receiver sees r, x and e as the kernel sets them";
}

TEST(Layouts, TimePeriodsAreMantissaTimesTwoToTheExponent)
{
    EXPECT_EQ(layout::Time_period{0x0400}.exponent(), 1u) << "zero: m 0, e 1";
    EXPECT_EQ(layout::Time_period{0x0400}.mantissa(), 0u);
    L4_Time_t t = L4_TimePeriod(5000);
    EXPECT_EQ(L4_PeriodMicroseconds(t), (5000u >> 3) << 3);
    EXPECT_EQ(layout::Time_period{t.raw}.mantissa() << layout::Time_period{t.raw}.exponent(), (5000u >> 3) << 3);
    EXPECT_EQ(L4_Timeouts(L4_Never, t), static_cast<L4_Word_t>(t.raw));
    EXPECT_EQ(layout::Ipc_timeouts{L4_Timeouts(t, L4_ZeroTime)}.send(), t.raw);
}

TEST(Layouts, IpcErrorCodesCarryPhaseCodeAndOffset)
{
    EXPECT_EQ(ipc::error_word(Ipc_error::aborted, true, 3), 0xFu + (3u << 4));
    EXPECT_EQ(ipc::error_word(Ipc_error::timeout, false), 0x2u);
    EXPECT_EQ(ipc::code_of(0xD), Ipc_error::xfer_timeout_partner);
}

TEST(Layouts, FpagesAndItemsAgreeBetweenCoreAndLibrary)
{
    L4_Fpage_t f = L4_FpageLog2(0x12345000, 12);
    L4_Set_Rights(&f, 6);
    EXPECT_EQ(layout::Fpage{f.raw}.size_log2(), 12u);
    EXPECT_EQ(layout::Fpage{f.raw}.rights(), 6u);
    EXPECT_EQ(f.raw & layout::Fpage::base_mask, 0x12345000u);
    EXPECT_EQ(L4_CompleteAddressSpace.raw, layout::Fpage{}.set_size_log2(1).raw);
    L4_GrantItem_t g = L4_GrantItem(f, 0x40000);
    EXPECT_EQ(layout::Map_item{g.raw[0]}.kind(), ipc::grant_kind);
    EXPECT_TRUE(ipc::is_map_item(g.raw[0]));
    L4_StringItem_t s = L4_StringItem(100, nullptr);
    EXPECT_EQ(layout::String_item{s.raw[0]}.length(), 100u);
    EXPECT_FALSE(ipc::is_map_item(s.raw[0]));
}

TEST(Layouts, ControlWordsOfExchangeRegistersUnmapAndSchedule)
{
    // Start a thread waiting for its startup message: S R s i h (H = 0).
    Word start = L4_ExReg_AbortIPC | L4_ExReg_SetSp | L4_ExReg_SetIp | L4_ExReg_HaltFlag;
    EXPECT_EQ(start, 0x11Eu);
    layout::Exregs_control c{start};
    EXPECT_TRUE(c.cancel_send() && c.cancel_receive() && c.set_sp() && c.set_ip() && c.apply_halt());
    EXPECT_FALSE(c.halt());
    EXPECT_EQ(layout::Unmap_control{__L4_UNMAP_FLUSH | 5}.count(), 5u);
    EXPECT_EQ(layout::Time_control{}.set_timeslice(0x1234).set_quantum(0x0400).raw, 0x12340400u);
    EXPECT_EQ(layout::Preemption_flags{0xC0}.delay(), 1u);
}

}  // namespace
