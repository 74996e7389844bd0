/* Conformance cases: page faults served by a user-level pager. */
#include "suite.h"

enum { fault_address = 0x10000000 };

static volatile L4_Word_t faults, fault_label, fault_addr, fault_ip, kept_mr1, kept_mr2, done;
static char frame[4096] __attribute__((aligned(4096)));

/* Serves page faults: the first with an empty reply (the thread faults
   again), then with a map item of `frame`. */
static void pager(L4_Word_t unused)
{
    (void)unused;
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        faults++;
        fault_label = L4_Label(tag);
        L4_StoreMR(1, (L4_Word_t *)&fault_addr);
        L4_StoreMR(2, (L4_Word_t *)&fault_ip);
        if (faults == 1) {
            L4_LoadMR(0, 0);
        } else {
            L4_MapItem_t item = L4_MapItem(L4_FpageAddRights(L4_FpageLog2((L4_Word_t)frame, 12), L4_ReadWriteOnly),
                                           fault_address);
            L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
            L4_LoadMR(1, item.raw[0]);
            L4_LoadMR(2, item.raw[1]);
        }
        tag = L4_ReplyWait(from, &from);
    }
}

static void faulter(L4_Word_t pager_id)
{
    L4_ThreadId_t p = {.raw = pager_id};
    L4_Set_Pager(p);
    L4_LoadMR(1, 111);
    L4_LoadMR(2, 222);
    *(volatile char *)fault_address = 'Z';
    L4_StoreMR(1, (L4_Word_t *)&kept_mr1);
    L4_StoreMR(2, (L4_Word_t *)&kept_mr2);
    done = 1;
}

static void a_write_fault_is_resolved_by_the_pagers_map_item(void)
{
    L4_ThreadId_t p = suite_thread(pager, 0);
    L4_Sleep(L4_TimePeriod(2000));
    suite_thread(faulter, p.raw);
    L4_Sleep(L4_TimePeriod(20000));
    EXPECT_EQ(done, 1);
    EXPECT_EQ(faults, 2); /* the empty reply led to a second fault */
    EXPECT_EQ(fault_label >> 4, L4_PAGEFAULT_LABEL >> 4);
    EXPECT_EQ(fault_label & 0xF, L4_Writable);
    EXPECT_EQ(fault_addr, fault_address);
    EXPECT_TRUE(fault_ip != 0);
    EXPECT_EQ(frame[0], 'Z'); /* the faulter wrote into our frame */
    EXPECT_EQ(kept_mr1, 111); /* MR1, MR2 survive the served fault */
    EXPECT_EQ(kept_mr2, 222);
}

const struct suite_case suite_fault_cases[] = {
    {"Faults.AWriteFaultIsResolvedByThePagersMapItem", a_write_fault_is_resolved_by_the_pagers_map_item},
};
const unsigned suite_fault_case_count = sizeof suite_fault_cases / sizeof suite_fault_cases[0];

static volatile L4_Word_t sender_result;

static void send_to(L4_Word_t dest)
{
    L4_ThreadId_t d = {.raw = dest};
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Send(d);
    sender_result = L4_IpcFailed(tag) ? L4_ErrorCode() : 0x600D;
}

static void deleting_a_thread_releases_its_senders(void)
{
    L4_ThreadId_t victim = suite_thread((void (*)(L4_Word_t))suite_park, 0);
    L4_Sleep(L4_TimePeriod(2000));
    sender_result = 0;
    suite_thread(send_to, victim.raw);
    L4_Sleep(L4_TimePeriod(2000)); /* the sender now waits for the victim */
    EXPECT_EQ(L4_ThreadControl(victim, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
    L4_Sleep(L4_TimePeriod(2000));
    EXPECT_EQ(sender_result, 0x4); /* [R] woken: non-existent partner */
    L4_LoadMR(0, 0);
    L4_Send_Timeout(victim, L4_ZeroTime);
    EXPECT_EQ(L4_ErrorCode(), 0x4);
    /* Deleting what does not exist succeeds; deleting oneself does not. */
    EXPECT_EQ(L4_ThreadControl(victim, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
    EXPECT_EQ(L4_ThreadControl(L4_Myself(), L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 0);
    EXPECT_EQ(L4_ErrorCode(), 2);
}

static void a_space_is_created_initialised_and_deleted(void)
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(me) + 40, 1);
    EXPECT_EQ(L4_ThreadControl(t, t, me, L4_nilthread, (void *)-1), 1);
    /* Activation needs an initialised space. */
    EXPECT_EQ(L4_ThreadControl(t, t, me, me, (void *)0x80000000), 0);
    /* Areas: too small a UTCB area (E 6), a KIP area on top of it (E 7). */
    EXPECT_EQ(L4_SpaceControl(t, 0, L4_FpageLog2(0xC00000, 12), L4_FpageLog2(0x800000, 10), L4_nilthread, 0), 0);
    EXPECT_EQ(L4_ErrorCode(), 6);
    EXPECT_EQ(L4_SpaceControl(t, 0, L4_FpageLog2(0x800000, 12), L4_FpageLog2(0x800000, 14), L4_nilthread, 0), 0);
    EXPECT_EQ(L4_ErrorCode(), 7);
    EXPECT_EQ(L4_SpaceControl(t, 0, L4_FpageLog2(0xC00000, 12), L4_FpageLog2(0x800000, 14), L4_nilthread, 0), 1);
    /* A UTCB outside the area (E 6), then a good one. */
    EXPECT_EQ(L4_ThreadControl(t, t, me, me, (void *)0x900000), 0);
    EXPECT_EQ(L4_ErrorCode(), 6);
    EXPECT_EQ(L4_ThreadControl(t, t, me, me, (void *)0x800000), 1);
    L4_Word_t all = ~(L4_Word_t)0;
    EXPECT_EQ(L4_Schedule(t, all, all, all, all, 0), 6); /* waits for its startup message */
    EXPECT_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
    EXPECT_EQ(L4_Schedule(t, all, all, all, all, 0), 0);
    EXPECT_EQ(L4_ErrorCode(), 2);
}

const struct suite_case suite_lifecycle_cases[] = {
    {"ThreadControl.DeletingAThreadReleasesItsSenders", deleting_a_thread_releases_its_senders},
    {"SpaceControl.ASpaceIsCreatedInitialisedAndDeleted", a_space_is_created_initialised_and_deleted},
};
const unsigned suite_lifecycle_case_count = sizeof suite_lifecycle_cases / sizeof suite_lifecycle_cases[0];
