/* Conformance cases of string items: gather, scatter, compound strings and
   buffers, several buffers, short and missing buffers (overflow with the
   offset), string-copy faults served by the pagers of either side, and
   transfer timeouts and aborts while a copy waits for a fault.

   Three helper threads of this space: S sends the configured message to R,
   R receives it into the configured buffers, P is the pager of both (it
   maps `src_page` at a faulting page, or never answers).  This thread sets
   the stage, starts both, and waits for their reports. */
#include "suite.h"

#define PAGE(name) static volatile char name[4096] __attribute__((aligned(4096)))
PAGE(src_page);  /* what P maps at faulting pages */
PAGE(buf1);
PAGE(buf2);
static char text[512] __attribute__((aligned(64)));

enum { fault_area = 0x30000000UL }; /* never mapped in this space before P maps it */

static struct {
    L4_Word_t mr[64];
    unsigned words;  /* MR0..MR(words-1) */
    L4_Word_t br[34];
    unsigned brs;    /* BR0..BR(brs-1) */
    L4_Word_t s_xfer, r_xfer;
    int serve;
} cfg;
static volatile L4_Word_t s_done, s_error, r_done, r_error, r_mr[4];
static volatile L4_Word_t reports, s_report, r_report; /* which of S and R ran first after the IPC */
static volatile L4_Word_t faults, fault_label, fault_addr;
static L4_ThreadId_t root, s_thread, r_thread, p_thread;

static void sender(L4_Word_t unused)
{
    (void)unused;
    for (;;) {
        L4_Accept(L4_UntypedWordsAcceptor);
        L4_Receive(root);
        L4_LoadMR(0, 0);
        L4_Reply(root);
        L4_Set_XferTimeouts(cfg.s_xfer);
        for (unsigned i = 0; i < cfg.words; i++) L4_LoadMR(i, cfg.mr[i]);
        L4_MsgTag_t tag = L4_Send(r_thread);
        s_error = L4_IpcFailed(tag) ? L4_ErrorCode() : 0;
        s_report = ++reports;
        s_done = 1;
    }
}

static void receiver(L4_Word_t unused)
{
    (void)unused;
    for (;;) {
        L4_Accept(L4_UntypedWordsAcceptor);
        L4_Receive(root);
        L4_LoadMR(0, 0);
        L4_Reply(root);
        for (unsigned i = 0; i < cfg.brs; i++) L4_LoadBR(i, cfg.br[i]);
        L4_Set_XferTimeouts(cfg.r_xfer);
        L4_MsgTag_t tag = L4_Receive(s_thread);
        r_error = L4_IpcFailed(tag) ? L4_ErrorCode() : 0;
        r_report = ++reports;
        for (unsigned i = 0; i < 4; i++) L4_StoreMR(i, (L4_Word_t *)&r_mr[i]);
        r_done = 1;
    }
}

static void pager(L4_Word_t unused)
{
    (void)unused;
    for (;;) {
        L4_ThreadId_t from;
        L4_MsgTag_t tag = L4_Wait(&from);
        L4_Word_t addr;
        L4_StoreMR(1, &addr);
        fault_label = L4_Label(tag);
        fault_addr = addr;
        faults++;
        if (!cfg.serve) continue; /* the faulting thread waits on */
        L4_MapItem_t item =
            L4_MapItem(L4_FpageAddRights(L4_FpageLog2((L4_Word_t)src_page, 12), L4_ReadWriteOnly), addr & ~0xFFFUL);
        L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
        L4_LoadMR(1, item.raw[0]);
        L4_LoadMR(2, item.raw[1]);
        L4_Reply(from);
    }
}

/* A string item's first word: length of each substring, substrings - 1,
   c (the next item continues this string), C (another buffer follows). */
static L4_Word_t item(L4_Word_t len, unsigned subs, int c, int more)
{
    return (len << 10) | ((L4_Word_t)(subs - 1) << 4) | (c ? 0x200 : 0) | (more ? 1 : 0);
}

static void reset(void)
{
    if (L4_IsNilThread(p_thread)) {
        root = L4_Myself();
        p_thread = suite_thread(pager, 0);
        s_thread = suite_thread(sender, 0);
        r_thread = suite_thread(receiver, 0);
        for (unsigned i = 0; i < 2; i++) {
            L4_ThreadId_t t = i ? s_thread : r_thread;
            L4_ExchangeRegisters(t, L4_ExReg_SetPager, 0, 0, 0, 0, p_thread, 0, 0, 0, 0, 0, 0);
        }
        for (unsigned i = 0; i < sizeof text; i++) text[i] = (char)('a' + i % 26);
    }
    for (unsigned i = 0; i < 4096; i++) buf1[i] = buf2[i] = '.';
    for (unsigned i = 0; i < 4096; i++) src_page[i] = (char)('A' + i % 26);
    cfg.words = cfg.brs = 0;
    cfg.s_xfer = cfg.r_xfer = 0;
    cfg.serve = 1;
    s_done = r_done = 0;
    /* A fault message of an earlier case that timed out was delivered all
       the same; on a loaded host P may count it only now.  P back in its
       Wait has counted everything it got: only then does the count start. */
    suite_settle(p_thread);
    faults = 0;
}

static void mr(L4_Word_t w) { cfg.mr[cfg.words++] = w; }
static void br(L4_Word_t w) { cfg.br[cfg.brs++] = w; }

/* Lets R take its buffers and S send the configured message. */
static void start(unsigned typed)
{
    cfg.mr[0] = L4_MsgTagMake(0x55, 0, typed).raw;
    L4_LoadMR(0, 0);
    L4_Call(r_thread);
    L4_LoadMR(0, 0);
    L4_Call(s_thread);
}

/* Sends the configured message from S to R and waits for both reports. */
static void run(unsigned typed)
{
    start(typed);
    suite_wait_for(&s_done, 1);
    suite_wait_for(&r_done, 1);
    EXPECT_EQ(s_done & r_done, 1);
}

static int same(const volatile char *a, const char *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

static int untouched(const volatile char *a, unsigned from, unsigned to)
{
    for (unsigned i = from; i < to; i++)
        if (a[i] != '.') return 0;
    return 1;
}

static void gather_four_send_substrings_into_one_buffer(void)
{
    reset();
    mr(0); /* the tag */
    mr(item(8, 4, 0, 0));
    mr((L4_Word_t)&text[0]);
    mr((L4_Word_t)&text[100]);
    mr((L4_Word_t)&text[200]);
    mr((L4_Word_t)&text[300]);
    br(L4_StringItemsAcceptor.raw);
    br(item(64, 1, 0, 0));
    br((L4_Word_t)buf1);
    run(5);
    EXPECT_EQ(s_error, 0);
    EXPECT_EQ(r_error, 0);
    EXPECT_TRUE(same(buf1, &text[0], 8) && same(buf1 + 8, &text[100], 8) && same(buf1 + 16, &text[200], 8) &&
                same(buf1 + 24, &text[300], 8));
    EXPECT_TRUE(untouched(buf1, 32, 64)); /* a longer buffer: its tail stays */
    /* The receiver's MRs hold the sender's item words. */
    EXPECT_EQ(r_mr[1], cfg.mr[1]);
    EXPECT_EQ(r_mr[2], (L4_Word_t)&text[0]);
    EXPECT_EQ(L4_Label((L4_MsgTag_t){.raw = r_mr[0]}), 0x55);
}

static void scatter_one_send_string_into_four_buffer_substrings(void)
{
    reset();
    mr(0);
    mr(item(32, 1, 0, 0));
    mr((L4_Word_t)text);
    br(L4_StringItemsAcceptor.raw);
    br(item(8, 4, 0, 0));
    br((L4_Word_t)buf1);
    br((L4_Word_t)buf1 + 100);
    br((L4_Word_t)buf2);
    br((L4_Word_t)buf2 + 100);
    run(2);
    EXPECT_EQ(s_error | r_error, 0);
    EXPECT_TRUE(same(buf1, text, 8) && same(buf1 + 100, text + 8, 8) && same(buf2, text + 16, 8) &&
                same(buf2 + 100, text + 24, 8));
    EXPECT_TRUE(untouched(buf1, 8, 100) && untouched(buf2, 108, 200));
}

static void compound_send_into_compound_buffer_of_other_lengths(void)
{
    reset();
    mr(0);
    mr(item(10, 1, 1, 0)); /* c: the next item continues the string */
    mr((L4_Word_t)text);
    mr(item(20, 1, 0, 0));
    mr((L4_Word_t)text + 200);
    br(L4_StringItemsAcceptor.raw);
    br(item(16, 1, 1, 0));
    br((L4_Word_t)buf1);
    br(item(20, 1, 0, 0));
    br((L4_Word_t)buf2);
    run(4);
    EXPECT_EQ(s_error | r_error, 0);
    EXPECT_TRUE(same(buf1, text, 10) && same(buf1 + 10, text + 200, 6));
    EXPECT_TRUE(same(buf2, text + 206, 14) && untouched(buf2, 14, 40));
}

static void two_strings_into_two_linked_buffers_never_spill(void)
{
    reset();
    mr(0);
    mr(item(8, 1, 0, 0));
    mr((L4_Word_t)text);
    mr(item(8, 1, 0, 0));
    mr((L4_Word_t)text + 50);
    br(L4_StringItemsAcceptor.raw);
    br(item(16, 1, 0, 1)); /* C: another buffer follows */
    br((L4_Word_t)buf1);
    br(item(16, 1, 0, 0));
    br((L4_Word_t)buf2);
    run(4);
    EXPECT_EQ(s_error | r_error, 0);
    EXPECT_TRUE(same(buf1, text, 8) && untouched(buf1, 8, 16)); /* the second string is not here */
    EXPECT_TRUE(same(buf2, text + 50, 8) && untouched(buf2, 8, 16));
}

static void a_short_buffer_gets_what_fits_then_overflow_with_the_offset(void)
{
    reset();
    mr(0);
    mr(item(256, 1, 0, 0));
    mr((L4_Word_t)text);
    br(L4_StringItemsAcceptor.raw);
    br(item(252, 1, 0, 0));
    br((L4_Word_t)buf1);
    run(2);
    EXPECT_EQ(s_error, 0x8 | (252 << 4));
    EXPECT_EQ(r_error, 0x9 | (252 << 4));
    EXPECT_TRUE(same(buf1, text, 252) && untouched(buf1, 252, 300));
    EXPECT_EQ(r_mr[0] & 0x8000, 0x8000); /* MR0 carries the error bit */
}

static void without_the_string_acceptor_overflow_at_offset_zero(void)
{
    reset();
    mr(0);
    mr(item(16, 1, 0, 0));
    mr((L4_Word_t)text);
    br(0); /* BR0.s = 0 */
    br(item(64, 1, 0, 0));
    br((L4_Word_t)buf1);
    run(2);
    EXPECT_EQ(s_error, 0x8);
    EXPECT_EQ(r_error, 0x9);
    EXPECT_TRUE(untouched(buf1, 0, 64));
}

static void a_missing_second_buffer_overflows_after_the_first_string(void)
{
    reset();
    mr(0);
    mr(item(8, 1, 0, 0));
    mr((L4_Word_t)text);
    mr(item(8, 1, 0, 0));
    mr((L4_Word_t)text + 50);
    br(L4_StringItemsAcceptor.raw);
    br(item(64, 1, 0, 0)); /* C = 0: no second buffer */
    br((L4_Word_t)buf1);
    run(4);
    EXPECT_EQ(s_error, 0x8 | (8 << 4)); /* the offset sums the strings copied */
    EXPECT_EQ(r_error, 0x9 | (8 << 4));
    EXPECT_TRUE(same(buf1, text, 8) && untouched(buf1, 8, 64));
}

static void a_sender_side_fault_goes_to_the_senders_pager(void)
{
    reset();
    L4_Word_t at = fault_area + 0x10;
    mr(0);
    mr(item(32, 1, 0, 0));
    mr(at);
    br(L4_StringItemsAcceptor.raw);
    br(item(64, 1, 0, 0));
    br((L4_Word_t)buf1);
    run(2);
    EXPECT_EQ(s_error | r_error, 0);
    EXPECT_EQ(faults, 1);
    EXPECT_EQ(fault_label >> 4, L4_PAGEFAULT_LABEL >> 4);
    EXPECT_EQ(fault_label & 0xF, L4_Readable);
    EXPECT_EQ(fault_addr, at);
    EXPECT_TRUE(same(buf1, (const char *)src_page + 0x10, 32));
}

static void a_receiver_side_fault_is_a_write_fault_to_the_receivers_pager(void)
{
    reset();
    L4_Word_t at = fault_area + 0x10000;
    mr(0);
    mr(item(16, 1, 0, 0));
    mr((L4_Word_t)text);
    br(L4_StringItemsAcceptor.raw);
    br(item(16, 1, 0, 0));
    br(at);
    run(2);
    EXPECT_EQ(s_error | r_error, 0);
    EXPECT_EQ(faults, 1);
    EXPECT_EQ(fault_label & 0xF, L4_Writable);
    EXPECT_EQ(fault_addr, at);
    EXPECT_TRUE(same(src_page, text, 16)); /* P mapped src_page's frame there */
}

static void many_faults_on_both_sides_complete_without_error(void)
{
    reset();
    L4_Word_t from = fault_area + 0x20000, to = fault_area + 0x30000;
    mr(0);
    mr(item(3 * 4096, 1, 0, 0));
    mr(from);
    br(L4_StringItemsAcceptor.raw);
    br(item(3 * 4096, 1, 0, 0));
    br(to);
    run(2);
    EXPECT_EQ(s_error | r_error, 0);
    EXPECT_EQ(faults, 6); /* three pages on each side */
}

static void a_zero_receiver_xfer_timeout_aborts_at_the_fault_offset(void)
{
    reset();
    cfg.r_xfer = L4_ZeroTime.raw; /* receive side: bits 0-15 */
    mr(0);
    mr(item(200, 1, 0, 0));
    mr((L4_Word_t)text);
    br(L4_StringItemsAcceptor.raw);
    br(item(100, 2, 0, 0));
    br((L4_Word_t)buf1);
    br(fault_area + 0x40000);
    run(2);
    EXPECT_EQ(r_error, 0xB | (100 << 4)); /* own transfer timeout */
    EXPECT_EQ(s_error, 0xC | (100 << 4)); /* the partner's */
    EXPECT_EQ(faults, 0);
    EXPECT_TRUE(same(buf1, text, 100));
}

static void unserved_fault(L4_Word_t s_xfer, L4_Word_t r_xfer, int sender_side, L4_Word_t at)
{
    reset();
    cfg.serve = 0;
    cfg.s_xfer = s_xfer;
    cfg.r_xfer = r_xfer;
    mr(0);
    mr(item(64, 1, 0, 0));
    mr(sender_side ? at : (L4_Word_t)text);
    br(L4_StringItemsAcceptor.raw);
    br(item(64, 1, 0, 0));
    br(sender_side ? (L4_Word_t)buf1 : at);
    run(2);
}

/* S sends 16 bytes it has, then 16 from `unmapped`, into a 64-byte buffer. */
static void half_mapped_string(L4_Word_t unmapped)
{
    mr(0);
    mr(item(16, 2, 0, 0));
    mr((L4_Word_t)text);
    mr(unmapped);
    br(L4_StringItemsAcceptor.raw);
    br(item(64, 1, 0, 0));
    br((L4_Word_t)buf1);
}

static void the_senders_earlier_xfer_timeout_ends_an_unserved_fault(void)
{
    L4_Word_t t0 = (L4_Word_t)L4_SystemClock().raw;
    unserved_fault(L4_TimePeriod(50000).raw << 16, L4_TimePeriod(2000000).raw, 1, fault_area + 0x50000);
    EXPECT_EQ(s_error, 0xA);
    EXPECT_EQ(r_error, 0xD);
    EXPECT_TRUE((L4_Word_t)L4_SystemClock().raw - t0 >= 50000);
}

/* The reference kernel copies in the sender's context: after a transfer
   that failed, the sender goes on and the receiver runs after it (S and R
   share this thread's processor).  Slices that never end: a real-time
   slice could run out before a loaded host ran S at all. */
static void after_a_timed_out_transfer_the_sender_runs_first(void)
{
    L4_Word_t all = ~(L4_Word_t)0, endless = (L4_Never.raw << 16) | 0xFFFF;
    L4_Word_t usual = (L4_TimePeriod(10000).raw << 16) | 0xFFFF;
    reports = 0;
    reset();
    L4_Schedule(s_thread, endless, all, all, all, 0);
    L4_Schedule(r_thread, endless, all, all, all, 0);
    unserved_fault(L4_TimePeriod(20000).raw << 16, L4_Never.raw, 1, fault_area + 0x58000);
    L4_Schedule(s_thread, usual, all, all, all, 0);
    L4_Schedule(r_thread, usual, all, all, all, 0);
    EXPECT_EQ(s_error, 0xA);
    EXPECT_EQ(r_error, 0xD);
    EXPECT_EQ(s_report, 1);
    EXPECT_EQ(r_report, 2);
}

static void the_receivers_earlier_xfer_timeout_ends_an_unserved_fault(void)
{
    unserved_fault(L4_TimePeriod(2000000).raw << 16, L4_TimePeriod(50000).raw, 0, fault_area + 0x60000);
    EXPECT_EQ(s_error, 0xC);
    EXPECT_EQ(r_error, 0xB);
}

static void both_zero_xfer_timeouts_fail_the_sender_first(void)
{
    unserved_fault(L4_ZeroTime.raw << 16, L4_ZeroTime.raw, 1, fault_area + 0x70000);
    EXPECT_EQ(s_error, 0xA);
    EXPECT_EQ(r_error, 0xD);
    EXPECT_EQ(faults, 0); /* nobody was asked */
}

static void aborting_a_faulting_copy_gives_both_code_7_with_the_offset(void)
{
    reset();
    cfg.serve = 0;
    half_mapped_string(fault_area + 0x80000);
    start(3);
    suite_wait_for(&faults, 1);
    L4_Word_t old = 0;
    L4_ExchangeRegisters(s_thread, L4_ExReg_AbortSend, 0, 0, 0, 0, L4_nilthread, &old, 0, 0, 0, 0, 0);
    EXPECT_EQ(old & 4, 4); /* it was sending */
    suite_wait_for(&s_done, 1);
    suite_wait_for(&r_done, 1);
    EXPECT_EQ(s_error, 0xE | (16 << 4));
    EXPECT_EQ(r_error, 0xF | (16 << 4));
    EXPECT_TRUE(same(buf1, text, 16));
}

static void a_fault_with_no_pager_ends_the_transfer_with_code_7(void)
{
    reset();
    L4_ExchangeRegisters(s_thread, L4_ExReg_SetPager, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, 0, 0);
    half_mapped_string(fault_area + 0xA0000);
    run(3);
    L4_ExchangeRegisters(s_thread, L4_ExReg_SetPager, 0, 0, 0, 0, p_thread, 0, 0, 0, 0, 0, 0);
    EXPECT_EQ(s_error, 0xE | (16 << 4));
    EXPECT_EQ(r_error, 0xF | (16 << 4));
    EXPECT_EQ(faults, 0);
}

static void a_receiver_paging_itself_ends_the_transfer_with_code_7(void)
{
    reset();
    L4_ExchangeRegisters(r_thread, L4_ExReg_SetPager, 0, 0, 0, 0, r_thread, 0, 0, 0, 0, 0, 0);
    mr(0);
    mr(item(32, 1, 0, 0));
    mr((L4_Word_t)text);
    br(L4_StringItemsAcceptor.raw);
    br(item(16, 2, 0, 0));
    br((L4_Word_t)buf1);
    br(fault_area + 0xB0000);
    run(2);
    L4_ExchangeRegisters(r_thread, L4_ExReg_SetPager, 0, 0, 0, 0, p_thread, 0, 0, 0, 0, 0, 0);
    EXPECT_EQ(s_error, 0xE | (16 << 4));
    EXPECT_EQ(r_error, 0xF | (16 << 4));
}

/* Last of the group: it deletes S. */
static void deleting_a_transfer_partner_gives_the_other_side_code_7(void)
{
    reset();
    cfg.serve = 0;
    half_mapped_string(fault_area + 0x90000);
    start(3);
    suite_wait_for(&faults, 1);
    L4_Word_t all = ~(L4_Word_t)0;
    EXPECT_EQ(L4_Schedule(s_thread, all, all, all, all, 0), 5); /* sending, in a transfer */
    EXPECT_EQ(L4_Schedule(r_thread, all, all, all, all, 0), 7); /* receiving, in a transfer */
    EXPECT_EQ(L4_ThreadControl(s_thread, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
    suite_wait_for(&r_done, 1);
    EXPECT_EQ(r_error, 0xF | (16 << 4));
}

const struct suite_case suite_string_cases[] = {
    {"Strings.GatherFourSendSubstringsIntoOneBuffer", gather_four_send_substrings_into_one_buffer},
    {"Strings.ScatterOneSendStringIntoFourBufferSubstrings", scatter_one_send_string_into_four_buffer_substrings},
    {"Strings.CompoundSendIntoCompoundBufferOfOtherLengths", compound_send_into_compound_buffer_of_other_lengths},
    {"Strings.TwoStringsIntoTwoLinkedBuffersNeverSpill", two_strings_into_two_linked_buffers_never_spill},
    {"Strings.AShortBufferGetsWhatFitsThenOverflowWithTheOffset", a_short_buffer_gets_what_fits_then_overflow_with_the_offset},
    {"Strings.WithoutTheStringAcceptorOverflowAtOffsetZero", without_the_string_acceptor_overflow_at_offset_zero},
    {"Strings.AMissingSecondBufferOverflowsAfterTheFirstString", a_missing_second_buffer_overflows_after_the_first_string},
    {"Strings.ASenderSideFaultGoesToTheSendersPager", a_sender_side_fault_goes_to_the_senders_pager},
    {"Strings.AReceiverSideFaultIsAWriteFaultToTheReceiversPager", a_receiver_side_fault_is_a_write_fault_to_the_receivers_pager},
    {"Strings.ManyFaultsOnBothSidesCompleteWithoutError", many_faults_on_both_sides_complete_without_error},
    {"Strings.AZeroReceiverXferTimeoutAbortsAtTheFaultOffset", a_zero_receiver_xfer_timeout_aborts_at_the_fault_offset},
    {"Strings.TheSendersEarlierXferTimeoutEndsAnUnservedFault", the_senders_earlier_xfer_timeout_ends_an_unserved_fault},
    {"Strings.TheReceiversEarlierXferTimeoutEndsAnUnservedFault", the_receivers_earlier_xfer_timeout_ends_an_unserved_fault},
    {"Strings.BothZeroXferTimeoutsFailTheSenderFirst", both_zero_xfer_timeouts_fail_the_sender_first},
    {"Strings.AbortingAFaultingCopyGivesBothCode7WithTheOffset", aborting_a_faulting_copy_gives_both_code_7_with_the_offset},
    {"Strings.AfterATimedOutTransferTheSenderRunsFirst", after_a_timed_out_transfer_the_sender_runs_first},
    {"Strings.AFaultWithNoPagerEndsTheTransferWithCode7", a_fault_with_no_pager_ends_the_transfer_with_code_7},
    {"Strings.AReceiverPagingItselfEndsTheTransferWithCode7", a_receiver_paging_itself_ends_the_transfer_with_code_7},
    {"ThreadControl.DeletingATransferPartnerGivesTheOtherSideCode7", deleting_a_transfer_partner_gives_the_other_side_code_7},
};
const unsigned suite_string_case_count = sizeof suite_string_cases / sizeof suite_string_cases[0];
