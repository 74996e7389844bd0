/* Conformance cases: thread and space life cycles, propagation. */
#include "suite.h"

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
    suite_settle(victim);
    sender_result = 0;
    L4_ThreadId_t sender = suite_thread(send_to, victim.raw);
    suite_settle(sender); /* the sender now waits for the victim */
    EXPECT_EQ(L4_ThreadControl(victim, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
    suite_wait_for(&sender_result, 0x4);
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

static void running_out_of_thread_resources_is_an_error_not_a_crash(void)
{
    L4_ThreadId_t me = L4_Myself();
    void *kip = suite_kip();
    L4_Word_t size = L4_UtcbSize(kip), base = 0x40000000;
    L4_Word_t first = L4_ThreadNo(me) + 100;
    L4_ThreadId_t t0 = L4_GlobalId(first, 1);
    EXPECT_EQ(L4_ThreadControl(t0, t0, me, L4_nilthread, (void *)-1), 1);
    /* Room for 2048 UTCBs: more threads than the host gives one task. */
    EXPECT_EQ(L4_SpaceControl(t0, 0, L4_FpageLog2(0x3FF00000, 12), L4_FpageLog2(base, 21), L4_nilthread, 0), 1);
    unsigned n = 0;
    L4_Word_t error = 0;
    for (; n < 2048; n++) {
        L4_ThreadId_t t = L4_GlobalId(first + n, 1);
        if (!L4_ThreadControl(t, t0, me, me, (void *)(base + n * size))) {
            error = L4_ErrorCode();
            break;
        }
    }
    EXPECT_TRUE(n >= 64 && n < 2048);
    EXPECT_EQ(error, 8);
    /* Everything can be deleted again, the space with its last thread. */
    for (unsigned i = n; i-- > 0;)
        EXPECT_EQ(L4_ThreadControl(L4_GlobalId(first + i, 1), L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
}

static void an_interrupt_thread_is_no_space(void)
{
    L4_ThreadId_t me = L4_Myself(), irq = L4_GlobalId(3, 1);
    EXPECT_EQ(L4_SpaceControl(irq, 0, L4_FpageLog2(0xC00000, 12), L4_FpageLog2(0x800000, 14), L4_nilthread, 0), 0);
    EXPECT_EQ(L4_ErrorCode(), 3);
    EXPECT_EQ(L4_ThreadControl(L4_GlobalId(L4_ThreadNo(me) + 41, 1), irq, me, me, (void *)0xBF00F000), 0);
    EXPECT_EQ(L4_ErrorCode(), 3);
}

const struct suite_case suite_lifecycle_cases[] = {
    {"SpaceControl.AnInterruptThreadIsNoSpace", an_interrupt_thread_is_no_space},
    {"ThreadControl.RunningOutOfThreadResourcesIsAnErrorNotACrash", running_out_of_thread_resources_is_an_error_not_a_crash},
    {"ThreadControl.DeletingAThreadReleasesItsSenders", deleting_a_thread_releases_its_senders},
    {"SpaceControl.ASpaceIsCreatedInitialisedAndDeleted", a_space_is_created_initialised_and_deleted},
};
const unsigned suite_lifecycle_case_count = sizeof suite_lifecycle_cases / sizeof suite_lifecycle_cases[0];

static volatile L4_Word_t prop_from, prop_actual, prop_flag;
static L4_ThreadId_t final_server;

/* Receives the request and passes it on as if its client had sent it. */
static void forwarder(L4_Word_t unused)
{
    (void)unused;
    L4_ThreadId_t client;
    L4_MsgTag_t tag = L4_Wait(&client);
    L4_Set_VirtualSender(client);
    L4_Set_Propagation(&tag);
    L4_Set_MsgTag(tag);
    L4_Send(final_server);
    suite_park();
}

/* Answers whoever the message says it came from. */
static void answerer(L4_Word_t unused)
{
    (void)unused;
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    prop_from = from.raw;
    prop_flag = L4_IpcPropagated(tag);
    prop_actual = L4_ActualSender().raw;
    L4_LoadMR(0, L4_MsgTagMake(0x99, 0, 0).raw);
    L4_Reply(from);
    suite_park();
}

static void a_propagated_call_is_answered_by_the_final_receiver(void)
{
    final_server = suite_thread(answerer, 0);
    L4_ThreadId_t f = suite_thread(forwarder, 0);
    suite_settle(f);
    L4_LoadMR(0, L4_MsgTagMake(0x55, 0, 0).raw);
    L4_MsgTag_t tag = L4_Call(f);
    EXPECT_EQ(L4_IpcFailed(tag), 0);
    EXPECT_EQ(L4_Label(tag), 0x99);          /* the answer came from the final server */
    EXPECT_EQ(prop_from, L4_MyLocalId().raw); /* it saw us (same space: local id) */
    EXPECT_EQ(prop_flag, 1);
    EXPECT_EQ(prop_actual, f.raw);            /* and who really sent */
}

const struct suite_case suite_propagation_cases[] = {
    {"Propagation.APropagatedCallIsAnsweredByTheFinalReceiver", a_propagated_call_is_answered_by_the_final_receiver},
};
const unsigned suite_propagation_case_count = sizeof suite_propagation_cases / sizeof suite_propagation_cases[0];
