// The hand-written X.2 convenience layer over the generated constants: the
// encodings of thread ids, fpages, time values, tags, items and messages for
// this build's word size.
#include <gtest/gtest.h>

#include <cstring>

#include "l4/l4.h"

namespace {

TEST(ConvenienceThreadIds, GlobalIdsSplitIntoNumberAndVersion)
{
    L4_ThreadId_t t = L4_GlobalId(0x123, 0x45);
    EXPECT_EQ(L4_ThreadNo(t), 0x123u);
    EXPECT_EQ(L4_Version(t), 0x45u);
    EXPECT_EQ(t.raw, (L4_Word_t(0x123) << (L4_WORD_BITS == 64 ? 32 : 14)) | 0x45);
    EXPECT_TRUE(L4_IsGlobalId(t));
    EXPECT_FALSE(L4_IsLocalId(t));
    EXPECT_TRUE(L4_IsNilThread(L4_nilthread));
    EXPECT_EQ(L4_anythread.raw, ~L4_Word_t(0));
    EXPECT_EQ(L4_anylocalthread.raw, ~L4_Word_t(0) << 6);
    L4_ThreadId_t local{.raw = 0x10000 + L4_UTCB_MR0_OFFSET};
    EXPECT_TRUE(L4_IsLocalId(local));
}

TEST(ConvenienceFpages, BaseSizeAndRightsEncode)
{
    L4_Fpage_t f = L4_FpageLog2(0x12345678, 12);
    EXPECT_EQ(L4_Address(f), 0x12345000u);
    EXPECT_EQ(L4_Size(f), 0x1000u);
    EXPECT_EQ(L4_SizeLog2(f), 12);
    EXPECT_EQ(L4_Rights(f), 0u);
    f = L4_FpageAddRights(f, L4_ReadWriteOnly);
    EXPECT_EQ(L4_Rights(f), 6u);
    EXPECT_EQ(f.raw, 0x12345000u | (12 << 4) | 6);
    EXPECT_EQ(L4_Fpage(0x400000, 0x300000).raw, L4_FpageLog2(0x400000, 21).raw);
    EXPECT_EQ(L4_CompleteAddressSpace.raw, 0x10u);
    EXPECT_TRUE(L4_IsNilFpage(L4_Nilpage));
}

TEST(ConvenienceTime, PeriodsUseTheSmallestExponent)
{
    EXPECT_EQ(L4_Never.raw, 0u);
    EXPECT_EQ(L4_ZeroTime.raw, 0x400u);
    EXPECT_EQ(L4_TimePeriod(0).raw, L4_ZeroTime.raw);
    EXPECT_EQ(L4_TimePeriod(1000).raw, 1000u);
    EXPECT_EQ(L4_TimePeriod(1024).raw, (1u << 10) | 512);
    for (L4_Word64_t us : {1ull, 999ull, 1023ull, 5000ull, 1000000ull, 3600000000ull}) {
        L4_Time_t t = L4_TimePeriod(us);
        L4_Word64_t back = L4_PeriodMicroseconds(t);
        EXPECT_LE(back, us);
        EXPECT_GT(back * 2, us) << us;  // at most one bit of precision lost per exponent step
    }
    EXPECT_EQ(L4_Timeouts(L4_ZeroTime, L4_Never), L4_Word_t(0x400) << 16);
}

TEST(ConvenienceTags, FieldsAndErrorBit)
{
    L4_MsgTag_t t = L4_MsgTagMake(0x1234, 3, 2);
    EXPECT_EQ(L4_Label(t), 0x1234u);
    EXPECT_EQ(L4_UntypedWords(t), 3u);
    EXPECT_EQ(L4_TypedWords(t), 2u);
    EXPECT_FALSE(L4_IpcFailed(t));
    t.raw |= 1 << 15;
    EXPECT_TRUE(L4_IpcFailed(t));
    // Kernel labels are -n<<4 sign-extended to the label field.
    EXPECT_EQ(L4_PAGEFAULT_LABEL & 0xFFFF, 0xFFE0u);
    EXPECT_EQ(L4_SIGMA0_LABEL & 0xFFFF, 0xFFA0u);
    EXPECT_EQ(L4_MsgTagMake(L4_PAGEFAULT_LABEL, 2, 0).raw >> 16, L4_PAGEFAULT_LABEL);
    EXPECT_EQ(L4_Word_t(L4_MsgTagMake(L4_SIGMA0_LABEL, 2, 0).raw) >> (L4_WORD_BITS - 1), 1u);
}

TEST(ConvenienceMessages, UntypedWordsGoBeforeTypedItems)
{
    L4_Msg_t m;
    L4_MsgClear(&m);
    L4_Set_MsgLabel(&m, 0x42);
    L4_MsgAppendWord(&m, 11);
    L4_MsgAppendMapItem(&m, L4_MapItem(L4_FpageLog2(0x200000, 12), 0x200000));
    L4_MsgAppendWord(&m, 22);
    EXPECT_EQ(L4_UntypedWords(m.tag), 2u);
    EXPECT_EQ(L4_TypedWords(m.tag), 2u);
    EXPECT_EQ(L4_MsgLabel(&m), 0x42u);
    EXPECT_EQ(L4_MsgWord(&m, 0), 11u);
    EXPECT_EQ(L4_MsgWord(&m, 1), 22u);
    EXPECT_EQ(m.raw[3], 0x200000u | 0x8);
    EXPECT_EQ(m.raw[4], L4_FpageLog2(0x200000, 12).raw);
    L4_MapItem_t item{{m.raw[3], m.raw[4]}};
    EXPECT_TRUE(L4_IsMapItem(item));
    EXPECT_EQ(L4_MapItemSndBase(item), 0x200000u);
    EXPECT_TRUE(L4_IsGrantItem(L4_GrantItem(L4_FpageLog2(0, 12), 0)));
}

TEST(ConvenienceItems, StringItemsAndAcceptors)
{
    char buf[16];
    L4_StringItem_t s = L4_StringItem(sizeof buf, buf);
    EXPECT_EQ(L4_StringItemLength(s), sizeof buf);
    EXPECT_TRUE(L4_IsStringItem(&s));
    EXPECT_EQ(s.raw[1], reinterpret_cast<L4_Word_t>(buf));
    EXPECT_EQ(L4_MapGrantItems(L4_CompleteAddressSpace).raw, 0x10u);
    EXPECT_EQ(L4_AddAcceptor(L4_MapGrantItems(L4_CompleteAddressSpace), L4_StringItemsAcceptor).raw, 0x11u);
}

TEST(ConvenienceKip, FieldsAreReadAtTheirWords)
{
    alignas(16) L4_Word_t kip[256] = {};
    auto* bytes = reinterpret_cast<unsigned char*>(kip);
    bytes[0] = 'L'; bytes[1] = '4'; bytes[2] = 0xE6; bytes[3] = 'K';
    kip[L4_KIP_THREAD_INFO] = (L4_Word_t(48) << 20) | (16 << 8) | 18;
    kip[L4_KIP_UTCB_AREA_INFO] = (12 << 16) | (10 << 10) | 1;
    kip[L4_KIP_PROCESSOR_INFO] = 1;
    kip[L4_KIP_MEMORY_INFO] = (L4_Word_t(100 * sizeof(L4_Word_t)) << (L4_WORD_BITS / 2)) | 2;
    kip[100] = 0x100000 | L4_ConventionalMemoryType;
    kip[101] = 0x4000000 - 1;
    kip[102] = 0x0 | L4_ReservedMemoryType;
    kip[103] = 0xFFFFF;
    kip[L4_KIP_KERNEL_DESC_PTR] = 120 * sizeof(L4_Word_t);
    const char strings[] = "UMOL4\0featA\0featB\0";
    std::memcpy(&kip[124], strings, sizeof strings);
    EXPECT_TRUE(L4_KipIsValid(kip));
    EXPECT_EQ(L4_ThreadIdBits(kip), 18u);
    EXPECT_EQ(L4_ThreadIdSystemBase(kip), 16u);
    EXPECT_EQ(L4_ThreadIdUserBase(kip), 48u);
    EXPECT_EQ(L4_UtcbSize(kip), 1024u);
    EXPECT_EQ(L4_UtcbAreaSizeLog2(kip), 12u);
    EXPECT_EQ(L4_NumProcessors(kip), 2u);
    ASSERT_EQ(L4_NumMemoryDescriptors(kip), 2u);
    EXPECT_EQ(L4_MemoryDescType(L4_MemoryDesc(kip, 0)), unsigned(L4_ConventionalMemoryType));
    EXPECT_EQ(L4_MemoryDescLow(L4_MemoryDesc(kip, 0)), 0x100000u);
    EXPECT_EQ(L4_MemoryDescHigh(L4_MemoryDesc(kip, 0)), 0x3FFFFFFu);
    EXPECT_EQ(L4_MemoryDesc(kip, 2), nullptr);
    EXPECT_STREQ(L4_KernelVersionString(kip), "UMOL4");
    EXPECT_STREQ(L4_Feature(kip, 0), "featA");
    EXPECT_STREQ(L4_Feature(kip, 1), "featB");
    EXPECT_EQ(L4_Feature(kip, 2), nullptr);
}

}  // namespace

#include "l4/l4.hpp"

namespace {

TEST(ConvenienceCxx, ValueTypesMatchTheCEncodings)
{
    EXPECT_EQ(l4::Thread_id::global(7, 1).raw(), L4_GlobalId(7, 1).raw);
    EXPECT_EQ(l4::Thread_id::global(7, 1), l4::Thread_id(L4_GlobalId(7, 1)));
    EXPECT_TRUE(l4::Thread_id::nil().nil_thread());
    EXPECT_EQ(l4::Fpage::log2(0x5000, 12, L4_Readable).raw(), L4_FpageLog2(0x5000, 12).raw | 4);
    EXPECT_EQ(l4::Fpage::complete().raw(), L4_CompleteAddressSpace.raw);
    EXPECT_EQ(l4::timeouts(l4::Time::zero(), l4::Time::never()), L4_Timeouts(L4_ZeroTime, L4_Never));
    l4::Msg m(0x77);
    m.word(1).word(2).map(l4::Fpage::log2(0x1000, 12, 7), 0x1000);
    EXPECT_EQ(m.tag().label(), 0x77u);
    EXPECT_EQ(m.tag().untyped(), 2u);
    EXPECT_EQ(m.tag().typed(), 2u);
    EXPECT_EQ(m[1], 2u);
}

}  // namespace
