/* Conformance cases: page faults served by a user-level pager. */
#include "suite.h"

enum { fault_address = 0x10000000 };

static volatile L4_Word_t faults, fault_label, fault_addr, fault_ip, kept_mr1, kept_mr2, done;
static volatile char frame[4096] __attribute__((aligned(4096)));

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
    suite_settle(p);
    suite_thread(faulter, p.raw);
    suite_wait_for(&done, 1);
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
