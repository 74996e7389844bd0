/* Conformance cases: interrupt threads (line 0: the virtual 10 ms timer). */
#include "suite.h"

static void timer_interrupts_arrive_after_each_acknowledgement(void)
{
    L4_ThreadId_t irq = L4_GlobalId(0, 1);
    L4_ThreadId_t me = L4_Myself();
    L4_Word_t associated = (L4_Word_t)L4_SystemClock().raw;
    EXPECT_EQ(L4_ThreadControl(irq, irq, irq, me, (void *)-1), 1);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Receive(irq);
    EXPECT_EQ(L4_IpcFailed(tag), 0);
    EXPECT_EQ(L4_Label(tag) >> 4, L4_INTERRUPT_LABEL >> 4);
    EXPECT_EQ(L4_UntypedWords(tag), 0);
    for (int i = 0; i < 3; i++) {
        L4_LoadMR(0, 0);
        tag = L4_Ipc(irq, irq, L4_Timeouts(L4_Never, L4_Never), &from); /* ack, wait for the next */
        EXPECT_EQ(L4_IpcFailed(tag), 0);
        EXPECT_EQ(from.raw, irq.raw);
    }
    /* Each interrupt is a tick of its own (ticks missed while one was
       pending are one interrupt): the fourth comes 40 ms after the
       association at the earliest, however late this thread ran. */
    L4_Word_t elapsed = (L4_Word_t)L4_SystemClock().raw - associated;
    EXPECT_TRUE(elapsed >= 40000);
    /* Detach (pager = the interrupt thread itself): no more interrupts. */
    EXPECT_EQ(L4_ThreadControl(irq, irq, irq, irq, (void *)-1), 1);
    tag = L4_Receive_Timeout(irq, L4_TimePeriod(30000));
    EXPECT_EQ(L4_ErrorCode(), 0x3);
    /* Association needs an existing handler and version 1. */
    EXPECT_EQ(L4_ThreadControl(L4_GlobalId(0, 2), irq, irq, me, (void *)-1), 0);
    EXPECT_EQ(L4_ErrorCode(), 2);
    EXPECT_EQ(L4_ThreadControl(irq, irq, irq, L4_GlobalId(L4_ThreadNo(me) + 999, 1), (void *)-1), 0);
    EXPECT_EQ(L4_ErrorCode(), 2);
}

const struct suite_case suite_irq_cases[] = {
    {"Interrupts.TimerInterruptsArriveAfterEachAcknowledgement", timer_interrupts_arrive_after_each_acknowledgement},
};
const unsigned suite_irq_case_count = sizeof suite_irq_cases / sizeof suite_irq_cases[0];
