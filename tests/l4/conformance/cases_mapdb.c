/* Conformance cases of the mapping database: access status, partial rights
   withdrawal, flush, rights upgrades and limits, and a flush of the whole
   space that spares the KIP and the UTCBs.  Mappings go from this thread to
   windows in its own space through the suite's map server. */
#include "suite.h"

#define PAGE(name) static volatile char name[4096] __attribute__((aligned(4096)))
PAGE(a_page);
PAGE(a_window);
PAGE(b_page);
PAGE(b_window);
PAGE(c_page);
PAGE(c_window);
PAGE(d_page);
PAGE(d_window);
PAGE(d_window2);

/* Maps (or grants) the page at `from` to `window` with `rights` (the
   suite's map server); 0: the message arrived. */
static L4_Word_t map_to(volatile char *from, volatile char *window, L4_Word_t rights)
{
    return suite_map_page((L4_Word_t)from, (L4_Word_t)window, rights);
}

static L4_Word_t status_of(volatile char *page, L4_Word_t withdraw, int flush)
{
    L4_Fpage_t f = L4_FpageAddRights(L4_FpageLog2((L4_Word_t)page, 12), withdraw);
    f = flush ? L4_Flush(f) : L4_UnmapFpage(f);
    return L4_Rights(f) & (L4_Readable | L4_Writable);  /* x is r on ia32 */
}

static void written_status_appears_through_a_derived_mapping_then_resets(void)
{
    a_page[0] = 'a';
    EXPECT_EQ(map_to(a_page, a_window, L4_ReadWriteOnly), 0);
    EXPECT_EQ(status_of(a_page, 0, 0), 0);  /* nothing through the window yet */
    EXPECT_EQ(a_window[0], 'a');
    EXPECT_EQ(status_of(a_page, 0, 0), L4_Readable);
    a_window[1] = 'b';
    EXPECT_EQ(status_of(a_page, 0, 0), L4_Readable | L4_Writable);
    EXPECT_EQ(status_of(a_page, 0, 0), 0);  /* read and reset */
    /* GetStatus changed no mapping: the window still shows our frame. */
    a_page[2] = 'c';
    EXPECT_EQ(a_window[2], 'c');
    EXPECT_EQ(a_window[1], 'b');
}

static void withdrawing_write_makes_derived_mappings_read_only(void)
{
    b_page[0] = 'b';
    b_window[0] = 'o';  /* the window's own frame */
    EXPECT_EQ(map_to(b_page, b_window, L4_ReadWriteOnly), 0);
    EXPECT_EQ(b_window[0], 'b');
    status_of(b_page, L4_Writable, 0);
    EXPECT_EQ(b_window[0], 'b');  /* still readable */
    /* A write faults to the pager (sigma0), which maps the window's own
       frame over it: our page never sees the write. */
    b_window[0] = 'Z';
    EXPECT_EQ(b_page[0], 'b');
    EXPECT_EQ(b_window[0], 'Z');
}

static void flush_reports_and_removes_our_own_mapping_too(void)
{
    c_page[0] = 'c';
    c_window[0] = 'o';
    EXPECT_EQ(map_to(c_page, c_window, L4_ReadWriteOnly), 0);
    /* Unmap (f = 0) reports what went through derived mappings only... */
    EXPECT_EQ(status_of(c_page, 0, 0), 0);
    /* ...flush (f = 1) our own accesses too, and takes both mappings. */
    EXPECT_EQ(status_of(c_page, L4_FullyAccessible, 1) & L4_Writable, L4_Writable);
    EXPECT_EQ(c_window[0], 'o');  /* refaulted: the window's own frame */
    EXPECT_EQ(c_page[0], 'c');    /* refaulted: our frame, contents kept */
}

static void remapping_upgrades_rights_only_up_to_the_senders(void)
{
    d_page[0] = 'd';
    d_window[0] = 'o';
    d_window2[0] = 'p';
    EXPECT_EQ(map_to(d_page, d_window, L4_Readable), 0);
    EXPECT_EQ(d_window[0], 'd');
    /* The same frame again with write: extended, no fault to the pager. */
    EXPECT_EQ(map_to(d_page, d_window, L4_ReadWriteOnly), 0);
    d_window[1] = 'W';
    EXPECT_EQ(d_page[1], 'W');
    /* From a read-only holder, rw arrives as read-only. */
    status_of(d_page, L4_Writable, 0);
    EXPECT_EQ(map_to(d_window, d_window2, L4_ReadWriteOnly), 0);
    EXPECT_EQ(d_window2[0], 'd');
    d_window2[0] = 'Z';  /* faults to sigma0: its own frame replaces it */
    EXPECT_EQ(d_page[0], 'd');
}

extern char __executable_start[], _end[];

static void kip_and_utcb_survive_a_flush_of_the_whole_space(void)
{
    L4_ThreadId_t me = L4_MyGlobalId();
    L4_Flush(L4_FpageAddRights(L4_CompleteAddressSpace, L4_FullyAccessible));
    /* Everything else faults back in from sigma0 (this thread owns it). */
    EXPECT_EQ(L4_MyGlobalId().raw, me.raw);
    const unsigned char *kip = suite_kip();
    EXPECT_EQ(kip[0], 'L');
    EXPECT_EQ(kip[1], '4');
    EXPECT_EQ(kip[2], 0xE6);
    EXPECT_EQ(kip[3], 'K');
    EXPECT_EQ(a_window[2], 0);  /* a's mapping went: the window's own (untouched) frame */
    for (volatile char *p = __executable_start; p < _end; p += 4096)
        (void)*p;  /* helper threads must not fault on our pages later */
}

const struct suite_case suite_mapdb_cases[] = {
    {"Unmap.WrittenStatusAppearsThroughADerivedMappingThenResets", written_status_appears_through_a_derived_mapping_then_resets},
    {"Unmap.WithdrawingWriteMakesDerivedMappingsReadOnly", withdrawing_write_makes_derived_mappings_read_only},
    {"Unmap.FlushReportsAndRemovesOurOwnMappingToo", flush_reports_and_removes_our_own_mapping_too},
    {"MapGrant.RemappingUpgradesRightsOnlyUpToTheSenders", remapping_upgrades_rights_only_up_to_the_senders},
    {"Unmap.KipAndUtcbSurviveAFlushOfTheWholeSpace", kip_and_utcb_survive_a_flush_of_the_whole_space},
};
const unsigned suite_mapdb_case_count = sizeof suite_mapdb_cases / sizeof suite_mapdb_cases[0];
