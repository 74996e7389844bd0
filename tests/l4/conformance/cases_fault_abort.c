/* Conformance cases of kernel IPC that ExchangeRegisters aborts
   (x2-semantics.md 2.10): a page-fault IPC ended by its thread's abort
   flags is invisible.  The thread's message registers and ErrorCode are
   intact and it repeats the faulting access, which its pager then sees
   again.  Helpers: F touches a page it lacks; P, F's pager, counts faults
   and serves them only when told to. */
#include "suite.h"

#define PAGE(name) static volatile char name[4096] __attribute__((aligned(4096)))
PAGE(served_page); /* what P maps at the faulting page */

enum { fault_area = 0x31000000UL }; /* never mapped in this space before P maps it */

static L4_ThreadId_t root;
static volatile L4_Word_t faults, fault_addr, serve, touched, value, regs_intact;

static void counting_pager(L4_Word_t unused)
{
    (void)unused;
    for (;;) {
        L4_ThreadId_t from;
        L4_Wait(&from);
        L4_Word_t addr;
        L4_StoreMR(1, &addr);
        fault_addr = addr;
        faults++;
        if (!serve) continue; /* the faulting thread waits in its receive phase */
        L4_MapItem_t item = L4_MapItem(L4_FpageAddRights(L4_FpageLog2((L4_Word_t)served_page, 12), L4_ReadWriteOnly),
                                       addr & ~0xFFFUL);
        L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
        L4_LoadMR(1, item.raw[0]);
        L4_LoadMR(2, item.raw[1]);
        L4_Reply(from);
    }
}

static void toucher(L4_Word_t address)
{
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_Receive(root); /* its pager is set first */
    L4_LoadMR(0, 0x3333);
    L4_LoadMR(1, 0x1111);
    L4_LoadMR(2, 0x2222);
    __L4_Utcb()[L4_TCR_ERROR_CODE] = 0x4444;
    __asm__ volatile("" ::: "memory");
    value = *(volatile char *)address;
    __asm__ volatile("" ::: "memory");
    L4_Word_t mr0, mr1, mr2;
    L4_StoreMR(0, &mr0);
    L4_StoreMR(1, &mr1);
    L4_StoreMR(2, &mr2);
    regs_intact = mr0 == 0x3333 && mr1 == 0x1111 && mr2 == 0x2222 && L4_ErrorCode() == 0x4444;
    touched = 1;
    suite_park();
}

static void an_aborted_page_fault_ipc_is_invisible_and_the_access_repeats(void)
{
    root = L4_Myself();
    faults = serve = touched = value = regs_intact = 0;
    served_page[0x123] = 'q';
    L4_ThreadId_t p = suite_thread(counting_pager, 0);
    L4_ThreadId_t f = suite_thread(toucher, fault_area + 0x123);
    L4_ExchangeRegisters(f, L4_ExReg_SetPager, 0, 0, 0, 0, p, 0, 0, 0, 0, 0, 0);
    suite_settle(f);
    L4_LoadMR(0, 0);
    L4_Send(f);
    suite_wait_for(&faults, 1); /* F waits for P's answer */
    serve = 1;
    L4_Word_t old = 0;
    L4_ExchangeRegisters(f, L4_ExReg_AbortIPC, 0, 0, 0, 0, L4_nilthread, &old, 0, 0, 0, 0, 0);
    EXPECT_EQ(old & L4_ExReg_AbortRecv, L4_ExReg_AbortRecv); /* it was receiving the pager's reply */
    suite_wait_for(&touched, 1);
    EXPECT_EQ(faults, 2); /* the access faulted once more */
    EXPECT_EQ(fault_addr, fault_area + 0x123);
    EXPECT_EQ(value, 'q');
    EXPECT_EQ(regs_intact, 1);
}

const struct suite_case suite_fault_abort_cases[] = {
    {"Faults.AnAbortedPageFaultIpcIsInvisibleAndTheAccessRepeats",
     an_aborted_page_fault_ipc_is_invisible_and_the_access_repeats},
};
const unsigned suite_fault_abort_case_count = sizeof suite_fault_abort_cases / sizeof suite_fault_abort_cases[0];
