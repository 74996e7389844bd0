/* Conformance cases: encodings, IPC basics and errors, timeouts. */
#include "suite.h"

static L4_ThreadId_t root;
static volatile L4_Word_t shared_word;

static L4_Word_t now_us(void) { return (L4_Word_t)L4_SystemClock().raw; }
/* What a period means in microseconds: m * 2^e (L4_TimePeriod rounds down). */
static L4_Word_t period_us(L4_Time_t t) { return (L4_Word_t)(t.raw & 0x3FF) << ((t.raw >> 10) & 0x1F); }

/* Replies to every message with its words incremented and label + 1. */
static void echo_server(L4_Word_t unused)
{
    (void)unused;
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        shared_word = from.raw;
        L4_Word_t u = L4_UntypedWords(tag);
        L4_Word_t w[64];
        L4_StoreMRs(1, (int)u, w);
        for (L4_Word_t i = 0; i < u; i++)
            w[i]++;
        L4_LoadMR(0, L4_MsgTagMake(L4_Label(tag) + 1, u, 0).raw);
        L4_LoadMRs(1, (int)u, w);
        tag = L4_ReplyWait(from, &from);
    }
}

static void sender_to_root(L4_Word_t label)
{
    L4_LoadMR(0, L4_MsgTagMake(label, 0, 0).raw);
    L4_MsgTag_t tag = L4_Send(root);
    shared_word = L4_IpcFailed(tag) ? L4_ErrorCode() : 0x600D;
}

static void ids_have_their_encodings(void)
{
    EXPECT_EQ(L4_nilthread.raw, 0);
    EXPECT_EQ(L4_anythread.raw, ~(L4_Word_t)0);
    EXPECT_EQ(L4_anylocalthread.raw, ~(L4_Word_t)0 << 6);
    EXPECT_EQ(L4_MyLocalId().raw, (L4_Word_t)__L4_Utcb());
    EXPECT_EQ(L4_LocalIdOf(L4_Myself()).raw, L4_MyLocalId().raw);
    EXPECT_EQ(L4_GlobalIdOf(L4_MyLocalId()).raw, L4_Myself().raw);
}

static void kernel_interface_reports_the_x2_api(void)
{
    L4_Word_t version, flags, id;
    void *kip = L4_KernelInterface(&version, &flags, &id);
    EXPECT_EQ(version, 0x84050000);
    EXPECT_TRUE(L4_KipIsValid(kip));
    EXPECT_EQ(L4_ApiVersion(kip), version);
    EXPECT_EQ(L4_KernelId(kip), id);
    EXPECT_TRUE(L4_UtcbSize(kip) >= 512);
}

static void threadcontrol_refuses_a_local_dest(void)
{
    EXPECT_EQ(L4_ThreadControl(L4_MyLocalId(), L4_Myself(), L4_Myself(), L4_nilthread, (void *)-1), 0);
    EXPECT_EQ(L4_ErrorCode(), 3);
}

static void nil_to_and_from_return_at_once_with_mr0_unchanged(void)
{
    L4_LoadMR(0, 0x12340005);
    L4_MsgTag_t tag = L4_Ipc(L4_nilthread, L4_nilthread, 0, 0);
    EXPECT_EQ(tag.raw, 0x12340005);
}

static void call_returns_the_reply_with_every_untyped_word(void)
{
    L4_ThreadId_t server = suite_thread(echo_server, 0);
    for (L4_Word_t u = 0; u <= 63; u += 21) {
        L4_Word_t w[63];
        for (L4_Word_t i = 0; i < u; i++)
            w[i] = 1000 * u + i;
        L4_LoadMR(0, L4_MsgTagMake(0x42, u, 0).raw);
        L4_LoadMRs(1, (int)u, w);
        L4_MsgTag_t tag = L4_Call(server);
        EXPECT_EQ(L4_IpcFailed(tag), 0);
        EXPECT_EQ(L4_Label(tag), 0x43);
        EXPECT_EQ(L4_UntypedWords(tag), u);
        L4_Word_t r[63];
        L4_StoreMRs(1, (int)u, r);
        for (L4_Word_t i = 0; i < u; i++)
            EXPECT_EQ(r[i], w[i] + 1);
    }
    /* The server saw us by our local id: same space. */
    EXPECT_EQ(shared_word, L4_MyLocalId().raw);
}

static void unknown_destination_fails_with_code_2(void)
{
    L4_ThreadId_t nobody = L4_GlobalId(L4_ThreadNo(L4_Myself()) + 900, 1);
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Call(nobody);
    EXPECT_EQ(tag.raw, 0x8000);
    EXPECT_EQ(L4_ErrorCode(), 0x4);
    L4_LoadMR(0, 0);
    L4_Send(L4_anythread);
    EXPECT_EQ(L4_ErrorCode(), 0x4);
    L4_Send(L4_anylocalthread);
    EXPECT_EQ(L4_ErrorCode(), 0x4);
}

static void wrong_version_is_an_unknown_thread(void)
{
    L4_ThreadId_t s0 = suite_sigma0();
    L4_LoadMR(0, 0);
    L4_Send_Timeout(L4_GlobalId(L4_ThreadNo(s0), L4_Version(s0) + 1), L4_ZeroTime);
    EXPECT_EQ(L4_ErrorCode(), 0x4);
}

static void closed_receive_from_unknown_fails_at_once(void)
{
    L4_MsgTag_t tag = L4_Receive(L4_GlobalId(L4_ThreadNo(L4_Myself()) + 901, 1));
    EXPECT_TRUE(L4_IpcFailed(tag));
    EXPECT_EQ(L4_ErrorCode(), 0x5);
}

static void zero_send_timeout_to_a_busy_thread_fails_at_once(void)
{
    L4_ThreadId_t sleeper = suite_thread((void (*)(L4_Word_t))suite_park, 0);
    suite_settle(sleeper);
    L4_LoadMR(0, 0);
    L4_Word_t t0 = now_us();
    L4_Send_Timeout(sleeper, L4_ZeroTime);
    EXPECT_EQ(L4_ErrorCode(), 0x2);
    EXPECT_SOON(now_us() - t0, 50000);
    t0 = now_us();
    L4_Send_Timeout(sleeper, L4_TimePeriod(100000));
    EXPECT_EQ(L4_ErrorCode(), 0x2);
    EXPECT_TRUE(now_us() - t0 >= period_us(L4_TimePeriod(100000)));
}

static void zero_receive_timeout_polls(void)
{
    L4_Word_t t0 = now_us();
    L4_MsgTag_t tag = L4_Wait_Timeout(L4_ZeroTime, 0);
    EXPECT_TRUE(L4_IpcFailed(tag));
    EXPECT_EQ(L4_ErrorCode(), 0x3);
    EXPECT_SOON(now_us() - t0, 50000);
}

static void sleep_ends_with_a_receive_timeout_after_its_period(void)
{
    L4_Word_t t0 = now_us();
    L4_Sleep(L4_TimePeriod(100000));
    EXPECT_EQ(L4_ErrorCode(), 0x3);
    EXPECT_TRUE(now_us() - t0 >= period_us(L4_TimePeriod(100000)));
}

static void zero_receive_timeout_takes_a_queued_sender(void)
{
    root = L4_Myself();
    shared_word = 0;
    L4_ThreadId_t s = suite_thread(sender_to_root, 0x77);
    suite_settle(s); /* the sender blocks on us */
    L4_MsgTag_t tag = L4_Receive_Timeout(s, L4_ZeroTime);
    EXPECT_EQ(L4_IpcFailed(tag), 0);
    EXPECT_EQ(L4_Label(tag), 0x77);
    suite_wait_for(&shared_word, 0x600D);
    EXPECT_EQ(shared_word, 0x600D);
}

static void a_call_whose_send_times_out_does_not_receive(void)
{
    L4_ThreadId_t sleeper = suite_thread((void (*)(L4_Word_t))suite_park, 0);
    suite_settle(sleeper);
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Call_Timeouts(sleeper, L4_TimePeriod(10000), L4_Never);
    EXPECT_TRUE(L4_IpcFailed(tag));
    EXPECT_EQ(L4_ErrorCode(), 0x2);
}

static void reply_wait_to_a_client_that_does_not_wait_fails(void)
{
    L4_ThreadId_t sleeper = suite_thread((void (*)(L4_Word_t))suite_park, 0);
    suite_settle(sleeper);
    L4_LoadMR(0, 0);
    L4_Word_t t0 = now_us();
    L4_MsgTag_t tag = L4_ReplyWait(sleeper, 0);
    EXPECT_TRUE(L4_IpcFailed(tag));
    EXPECT_EQ(L4_ErrorCode(), 0x2);
    EXPECT_SOON(now_us() - t0, 50000); /* no wait followed */
}

static void aborting_a_blocked_sender_cancels_its_send(void)
{
    root = L4_Myself();
    shared_word = 0;
    L4_ThreadId_t s = suite_thread(sender_to_root, 1);
    suite_settle(s);
    L4_Word_t old_control = 0;
    L4_ExchangeRegisters(s, L4_ExReg_AbortSend, 0, 0, 0, 0, L4_nilthread, &old_control, 0, 0, 0, 0, 0);
    EXPECT_EQ(old_control & 4, 4); /* it was sending */
    suite_wait_for(&shared_word, 0x6);
    EXPECT_EQ(shared_word, 0x6); /* canceled in the send phase */
}

static void overflowing_tags_fail_on_both_sides(void)
{
    L4_ThreadId_t server = suite_thread(echo_server, 0);
    L4_LoadMR(0, L4_MsgTagMake(0, 60, 4).raw); /* 1 + 60 + 4 > 64 */
    L4_MsgTag_t tag = L4_Call(server);
    EXPECT_TRUE(L4_IpcFailed(tag));
    EXPECT_EQ(L4_ErrorCode() & 0xF, 0x8);
}

const struct suite_case suite_ipc_cases[] = {
    {"Encodings.IdsHaveTheirEncodings", ids_have_their_encodings},
    {"Encodings.KernelInterfaceReportsTheX2Api", kernel_interface_reports_the_x2_api},
    {"Encodings.ThreadControlRefusesALocalDest", threadcontrol_refuses_a_local_dest},
    {"IpcBasics.NilToAndFromReturnAtOnce", nil_to_and_from_return_at_once_with_mr0_unchanged},
    {"IpcBasics.CallReturnsTheReplyWithEveryUntypedWord", call_returns_the_reply_with_every_untyped_word},
    {"IpcErrors.UnknownDestinationFailsWithCode2", unknown_destination_fails_with_code_2},
    {"IpcErrors.WrongVersionIsAnUnknownThread", wrong_version_is_an_unknown_thread},
    {"IpcErrors.ClosedReceiveFromUnknownFailsAtOnce", closed_receive_from_unknown_fails_at_once},
    {"IpcErrors.ZeroSendTimeoutToABusyThreadFailsAtOnce", zero_send_timeout_to_a_busy_thread_fails_at_once},
    {"IpcErrors.ZeroReceiveTimeoutPolls", zero_receive_timeout_polls},
    {"IpcErrors.SleepEndsWithAReceiveTimeout", sleep_ends_with_a_receive_timeout_after_its_period},
    {"IpcErrors.ZeroReceiveTimeoutTakesAQueuedSender", zero_receive_timeout_takes_a_queued_sender},
    {"IpcErrors.ACallWhoseSendTimesOutDoesNotReceive", a_call_whose_send_times_out_does_not_receive},
    {"IpcErrors.ReplyWaitToANonWaitingClientFails", reply_wait_to_a_client_that_does_not_wait_fails},
    {"IpcErrors.AbortingABlockedSenderCancelsItsSend", aborting_a_blocked_sender_cancels_its_send},
    {"MapGrant.OverflowingTagsFailOnBothSides", overflowing_tags_fail_on_both_sides},
};
const unsigned suite_ipc_case_count = sizeof suite_ipc_cases / sizeof suite_ipc_cases[0];
