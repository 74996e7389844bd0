/* Conformance cases of the lowest pages (below Linux's vm.mmap_min_addr,
   which no task process can map): they are memory like any other (x2-abi.md,
   Boot).  Sigma0 hands them out and serves faults on them, and an
   instruction's loads, stores and read-modify-writes reach them, as do
   string copies.  x86 only: the core reaches these pages by stepping one
   instruction, which the fixed-width arches do not do yet. */
#include "suite.h"

#if defined(__x86_64__) || defined(__i386__)
#ifdef __x86_64__
#define W "q"
#else
#define W "l"
#endif

enum { given = 0x1000, faulted = 0x2000 };

static void sigma0_gives_a_page_below_64_kib(void)
{
    L4_Fpage_t got = L4_Sigma0_GetPage(suite_sigma0(), L4_FpageLog2(given, 12));
    EXPECT_EQ(L4_Address(got), given);
    EXPECT_EQ(L4_SizeLog2(got), 12);
}

static L4_Word_t load(L4_Word_t base)
{
    L4_Word_t v;
    __asm__ volatile("mov" W " 8(%1), %0" : "=r"(v) : "r"(base) : "memory");
    return v;
}

static void loads_stores_and_compares_reach_a_page_below_64_kib(void)
{
    L4_Word_t base = given, v = 0x5A5A1234, eq = 0;
    __asm__ volatile("mov" W " %1, 8(%0)" : : "r"(base), "r"(v) : "memory");
    EXPECT_EQ(load(base), 0x5A5A1234);
    /* A compare with memory (flags), an add to memory, a byte store. */
    __asm__ volatile("cmp" W " %2, 8(%1)\n\tsete %b0" : "=q"(eq) : "r"(base), "r"(v) : "memory", "cc");
    EXPECT_EQ(eq & 0xFF, 1);
    __asm__ volatile("add" W " %1, 8(%0)" : : "r"(base), "r"((L4_Word_t)2) : "memory", "cc");
    __asm__ volatile("movb $0x77, 9(%0)" : : "r"(base) : "memory");
    EXPECT_EQ(load(base), 0x5A5A7736);
    /* A load into the address's own register. */
    L4_Word_t self = base;
    __asm__ volatile("mov" W " 8(%0), %0" : "+r"(self) : : "memory");
    EXPECT_EQ(self, 0x5A5A7736);
    /* An address made from an index register alone. */
    L4_Word_t index = (base + 8) / 4, got;
    __asm__ volatile("mov" W " 0(,%1,4), %0" : "=r"(got) : "r"(index) : "memory");
    EXPECT_EQ(got, 0x5A5A7736);
}

static void an_untouched_page_below_64_kib_faults_to_the_pager_first(void)
{
    L4_Word_t base = faulted;
    EXPECT_EQ(load(base), 0); /* sigma0 mapped it: fresh memory */
    __asm__ volatile("mov" W " %1, 8(%0)" : : "r"(base), "r"((L4_Word_t)0x600D) : "memory");
    EXPECT_EQ(load(base), 0x600D);
}

static volatile L4_Word_t received, received_bytes;
static char buffer[64];

static void string_receiver(L4_Word_t unused)
{
    (void)unused;
    L4_StringItem_t b = L4_StringItem(sizeof buffer, buffer);
    L4_LoadBR(0, L4_StringItemsAcceptor.raw);
    L4_LoadBR(1, b.raw[0]);
    L4_LoadBR(2, b.raw[1]);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    received_bytes = L4_IpcFailed(tag) ? 0 : 8;
    received = 1;
    suite_park();
}

static void a_string_item_carries_bytes_from_a_page_below_64_kib(void)
{
    received = 0;
    L4_ThreadId_t r = suite_thread(string_receiver, 0);
    suite_settle(r);
    L4_StringItem_t s = L4_StringItem(8, (void *)(given + 8));
    L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
    L4_LoadMR(1, s.raw[0]);
    L4_LoadMR(2, s.raw[1]);
    L4_MsgTag_t tag = L4_Send(r);
    EXPECT_EQ(L4_IpcFailed(tag), 0);
    suite_wait_for(&received, 1);
    EXPECT_EQ(received_bytes, 8);
    L4_Word_t copied;
    __builtin_memcpy(&copied, buffer, sizeof copied);
    EXPECT_EQ(copied, 0x5A5A7736);
    /* Gone from this space again: the rest of the suite finds them unmapped. */
    L4_Flush(L4_FpageAddRights(L4_FpageLog2(0, 16), L4_FullyAccessible));
}

/* Page 0 and page 0xF000 are memory as well: a map item places a page
   there, a fault there goes to the pager, a string item is sent from
   there (hostile-code finding 6: page 0 ended the box, 0xF000 was mapped
   by Linux directly). */
static void page_0_and_page_0xf000_take_map_items_faults_and_strings(void)
{
    enum { source = 0x3000, top = 0xF000 };
    L4_Fpage_t got = L4_Sigma0_GetPage(suite_sigma0(), L4_FpageLog2(source, 12));
    EXPECT_EQ(L4_Address(got), source);
    __asm__ volatile("mov" W " %1, 8(%0)" : : "r"((L4_Word_t)source), "r"((L4_Word_t)0x0A11CE) : "memory");
    EXPECT_EQ(suite_map_page(source, 0, L4_ReadWriteOnly), 0);
    EXPECT_EQ(suite_map_page(source, top, L4_ReadWriteOnly), 0);
    EXPECT_EQ(load(0), 0x0A11CE);
    EXPECT_EQ(load(top), 0x0A11CE);
    /* One frame behind all three addresses. */
    __asm__ volatile("mov" W " %1, 8(%0)" : : "r"((L4_Word_t)0), "r"((L4_Word_t)0xB0B) : "memory");
    EXPECT_EQ(load(source), 0xB0B);
    EXPECT_EQ(load(top), 0xB0B);

    received = 0;
    L4_ThreadId_t r = suite_thread(string_receiver, 0);
    suite_settle(r);
    L4_StringItem_t s = L4_StringItem(8, (void *)8);
    L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
    L4_LoadMR(1, s.raw[0]);
    L4_LoadMR(2, s.raw[1]);
    EXPECT_EQ(L4_IpcFailed(L4_Send(r)), 0);
    suite_wait_for(&received, 1);
    L4_Word_t copied;
    __builtin_memcpy(&copied, buffer, sizeof copied);
    EXPECT_EQ(copied, 0xB0B);

    /* Gone, and page 0 again through a fault: sigma0 maps physical page 0,
       fresh memory. */
    L4_Flush(L4_FpageAddRights(L4_FpageLog2(0, 16), L4_FullyAccessible));
    EXPECT_EQ(load(0), 0);
    EXPECT_EQ(load(top), 0);
    L4_Flush(L4_FpageAddRights(L4_FpageLog2(0, 16), L4_FullyAccessible));
}

const struct suite_case suite_low_memory_cases[] = {
    {"LowMemory.SigmaZeroGivesAPageBelow64KiB", sigma0_gives_a_page_below_64_kib},
    {"LowMemory.LoadsStoresAndComparesReachAPageBelow64KiB", loads_stores_and_compares_reach_a_page_below_64_kib},
    {"LowMemory.AnUntouchedPageBelow64KiBFaultsToThePagerFirst", an_untouched_page_below_64_kib_faults_to_the_pager_first},
    {"LowMemory.AStringItemCarriesBytesFromAPageBelow64KiB", a_string_item_carries_bytes_from_a_page_below_64_kib},
    {"LowMemory.Page0AndPage0xF000TakeMapItemsFaultsAndStrings", page_0_and_page_0xf000_take_map_items_faults_and_strings},
};
const unsigned suite_low_memory_case_count = sizeof suite_low_memory_cases / sizeof suite_low_memory_cases[0];
#else
const struct suite_case suite_low_memory_cases[1];
const unsigned suite_low_memory_case_count = 0;
#endif
