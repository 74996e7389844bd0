/* Conformance cases: queue order, closed and anylocal receives, halted
   receivers, grant, unmap of derived mappings, read-only maps. */
#include "suite.h"

static L4_ThreadId_t root;
static volatile L4_Word_t result[4];
static volatile char g_page[4096] __attribute__((aligned(4096)));
static volatile char u_page[4096] __attribute__((aligned(4096)));
static volatile char window[4096] __attribute__((aligned(4096)));
static volatile char window2[4096] __attribute__((aligned(4096)));

static void send_label(L4_Word_t label)
{
    L4_LoadMR(0, L4_MsgTagMake(label, 0, 0).raw);
    L4_Send(root);
}

static void open_wait_is_fifo_and_closed_receive_skips_others(void)
{
    root = L4_Myself();
    L4_ThreadId_t a = suite_thread(send_label, 0xA);
    suite_settle(a);
    L4_ThreadId_t b = suite_thread(send_label, 0xB);
    suite_settle(b);
    L4_ThreadId_t c = suite_thread(send_label, 0xC);
    suite_settle(c);
    /* Closed receive from c takes c although a and b queued first. */
    L4_MsgTag_t tag = L4_Receive(c);
    EXPECT_EQ(L4_Label(tag), 0xC);
    L4_ThreadId_t from;
    tag = L4_Wait(&from);
    EXPECT_EQ(L4_Label(tag), 0xA);
    EXPECT_EQ(L4_GlobalIdOf(from).raw, a.raw);
    tag = L4_Wait(&from);
    EXPECT_EQ(L4_Label(tag), 0xB);
    EXPECT_EQ(L4_GlobalIdOf(from).raw, b.raw);
}

static void ipc_to_a_halted_thread_blocks(void)
{
    L4_ThreadId_t t = suite_thread((void (*)(L4_Word_t))suite_park, 0);
    suite_settle(t);
    L4_ExchangeRegisters(t, L4_ExReg_Halt | L4_ExReg_HaltFlag, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, 0, 0);
    L4_LoadMR(0, 0);
    L4_Send_Timeout(t, L4_TimePeriod(20000));
    EXPECT_EQ(L4_ErrorCode(), 0x2);
}

/* Accepts one map or grant item into the page at `where`. */
static void receive_into(L4_Word_t where)
{
    volatile char *w = (volatile char *)where;
    L4_Accept(L4_MapGrantItems(L4_FpageLog2(where, 12)));
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    result[0] = L4_IpcFailed(tag) ? L4_ErrorCode() : 0;
    result[1] = (L4_Word_t)w[0];
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_LoadMR(0, 0);
    L4_Reply(from);
}

static void send_item(L4_ThreadId_t t, L4_Word_t w0, L4_Word_t w1)
{
    L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
    L4_LoadMR(1, w0);
    L4_LoadMR(2, w1);
    L4_MsgTag_t tag = L4_Call(t);
    EXPECT_EQ(L4_IpcFailed(tag), 0);
}

static void grant_moves_the_page_to_the_receiver(void)
{
    g_page[0] = 'G';
    window[0] = 'w';
    L4_ThreadId_t t = suite_thread(receive_into, (L4_Word_t)window);
    suite_settle(t);
    L4_GrantItem_t item = L4_GrantItem(L4_FpageAddRights(L4_FpageLog2((L4_Word_t)g_page, 12), L4_ReadWriteOnly), 0);
    send_item(t, item.raw[0], item.raw[1]);
    EXPECT_EQ(result[0], 0);
    EXPECT_EQ(result[1], 'G'); /* the window now shows the granted frame */
    /* The sender's address no longer maps it: a status query finds nothing. */
    L4_Fpage_t status = L4_GetStatus(L4_FpageLog2((L4_Word_t)g_page, 12));
    EXPECT_EQ(L4_Rights(status), 0);
}

static void unmap_removes_derived_mappings_but_keeps_our_own(void)
{
    u_page[0] = 'U';
    window2[0] = 'o'; /* the window's own frame */
    L4_ThreadId_t t = suite_thread(receive_into, (L4_Word_t)window2);
    suite_settle(t);
    L4_MapItem_t item = L4_MapItem(L4_FpageAddRights(L4_FpageLog2((L4_Word_t)u_page, 12), L4_ReadWriteOnly), 0);
    send_item(t, item.raw[0], item.raw[1]);
    EXPECT_EQ(window2[0], 'U'); /* the window maps our page (same space) */
    u_page[1] = 'V';
    EXPECT_EQ(window2[1], 'V');
    /* Unmap (not flush): the derived mapping at the window goes, ours stays. */
    L4_UnmapFpage(L4_FpageAddRights(L4_FpageLog2((L4_Word_t)u_page, 12), L4_FullyAccessible));
    EXPECT_EQ(u_page[0], 'U');
    /* Touching the window now faults to the pager (sigma0), which maps the
       window's own frame again (physical = virtual for this image). */
    EXPECT_EQ(window2[0], 'o');
}

static void thread_awaiting_startup_accepts_only_its_pager(void)
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(me) + 44, 1);
    void *kip = suite_kip();
    void *utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + 45 * L4_UtcbSize(kip);
    EXPECT_EQ(L4_ThreadControl(t, me, me, suite_sigma0(), utcb), 1);
    L4_LoadMR(0, L4_MsgTagMake(0, 2, 0).raw);
    L4_LoadMR(1, 0);
    L4_LoadMR(2, 0);
    L4_Send_Timeout(t, L4_TimePeriod(20000)); /* we are not its pager */
    EXPECT_EQ(L4_ErrorCode(), 0x2);
    EXPECT_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
}

const struct suite_case suite_more_cases[] = {
    {"IpcBasics.OpenWaitIsFifoAndClosedReceiveSkipsOthers", open_wait_is_fifo_and_closed_receive_skips_others},
    {"IpcBasics.IpcToAHaltedThreadBlocks", ipc_to_a_halted_thread_blocks},
    {"IpcBasics.ThreadAwaitingStartupAcceptsOnlyItsPager", thread_awaiting_startup_accepts_only_its_pager},
    {"MapGrant.GrantMovesThePageToTheReceiver", grant_moves_the_page_to_the_receiver},
    {"Unmap.RemovesDerivedMappingsButKeepsOurOwn", unmap_removes_derived_mappings_but_keeps_our_own},
};
const unsigned suite_more_case_count = sizeof suite_more_cases / sizeof suite_more_cases[0];
