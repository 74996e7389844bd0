/* Conformance cases: ExchangeRegisters, Schedule, map items. */
#include "suite.h"

static volatile L4_Word_t seen[4];
static volatile char page_src[4096] __attribute__((aligned(4096)));
static volatile char window_area[4 * 4096] __attribute__((aligned(16384)));

static void exreg_query_reads_and_sets_handle_and_pager(void)
{
    L4_ThreadId_t t = suite_thread((void (*)(L4_Word_t))suite_park, 0);
    suite_settle(t);
    L4_Word_t ctl, sp, ip, flags, handle;
    L4_ThreadId_t pager;
    L4_ThreadId_t r = L4_ExchangeRegisters(t, L4_ExReg_SetHandle | L4_ExReg_SetPager, 0, 0, 0, 0xABC, L4_Myself(),
                                           &ctl, &sp, &ip, &flags, &handle, &pager);
    EXPECT_EQ(L4_IsLocalId(r), 1); /* global in, local out */
    EXPECT_EQ(pager.raw, suite_sigma0().raw);
    r = L4_ExchangeRegisters(r, 0, 0, 0, 0, 0, L4_nilthread, &ctl, &sp, &ip, &flags, &handle, &pager);
    EXPECT_EQ(r.raw, t.raw); /* local in, global out */
    EXPECT_EQ(handle, 0xABC);
    EXPECT_EQ(pager.raw, L4_Myself().raw);
    EXPECT_EQ(ctl & 2, 2); /* sleeping = receiving */
    EXPECT_TRUE(sp != 0 && ip != 0);
}

static void exreg_refuses_threads_of_other_spaces(void)
{
    L4_Word_t ctl = 7, sp = 7;
    L4_ThreadId_t r = L4_ExchangeRegisters(suite_sigma0(), 0, 0, 0, 0, 0, L4_nilthread, &ctl, &sp, 0, 0, 0, 0);
    EXPECT_EQ(r.raw, 0);
    EXPECT_EQ(L4_ErrorCode(), 2);
    EXPECT_EQ(ctl, 0);
    EXPECT_EQ(sp, 0);
    r = L4_ExchangeRegisters(L4_GlobalId(L4_ThreadNo(L4_Myself()) + 950, 1), 0, 0, 0, 0, 0, L4_nilthread, 0, 0, 0,
                             0, 0, 0);
    EXPECT_EQ(r.raw, 0);
    EXPECT_EQ(L4_ErrorCode(), 2);
}

static void halt_shows_in_the_state_and_h_alone_resumes(void)
{
    L4_ThreadId_t t = suite_thread((void (*)(L4_Word_t))suite_park, 0);
    L4_Word_t ctl;
    L4_ExchangeRegisters(t, L4_ExReg_Halt | L4_ExReg_HaltFlag, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, 0, 0);
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &ctl, 0, 0, 0, 0, 0);
    EXPECT_EQ(ctl & 1, 1);
    L4_ExchangeRegisters(t, L4_ExReg_HaltFlag, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, 0, 0);
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &ctl, 0, 0, 0, 0, 0);
    EXPECT_EQ(ctl & 1, 0);
}

static void schedule_reports_state_and_refuses_unknown_threads(void)
{
    L4_ThreadId_t t = suite_thread((void (*)(L4_Word_t))suite_park, 0);
    suite_settle(t);
    L4_Word_t all = ~(L4_Word_t)0;
    EXPECT_EQ(L4_Schedule(t, all, all, all, all, 0), 6); /* blocked receiving */
    EXPECT_EQ(L4_Set_Priority(t, 50), 6);
    EXPECT_EQ(L4_Schedule(L4_GlobalId(L4_ThreadNo(L4_Myself()) + 960, 1), all, all, all, all, 0), 0);
    EXPECT_EQ(L4_ErrorCode(), 2);
}

static void receive_map_into_window(L4_Word_t window_log2)
{
    L4_Fpage_t window = window_log2 ? L4_FpageLog2((L4_Word_t)window_area, (int)window_log2) : L4_Nilpage;
    L4_Accept(L4_MapGrantItems(window));
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    seen[0] = L4_IpcFailed(tag) ? L4_ErrorCode() : 0;
    seen[1] = L4_TypedWords(tag);
    L4_StoreMR(1, (L4_Word_t *)&seen[2]);
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_LoadMR(0, 0);
    L4_Reply(from);
}

static void one_page_lands_at_window_base_plus_send_base_mod_size(void)
{
    page_src[0] = 'M';
    page_src[100] = 'X';
    L4_ThreadId_t t = suite_thread(receive_map_into_window, 14); /* 16 KiB window */
    suite_settle(t);
    /* send base 0x3000 mod 16 KiB: the page lands at window + 0x3000 */
    L4_MapItem_t item = L4_MapItem(L4_FpageAddRights(L4_FpageLog2((L4_Word_t)page_src, 12), L4_Readable), 0x3000);
    L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
    L4_LoadMR(1, item.raw[0]);
    L4_LoadMR(2, item.raw[1]);
    L4_MsgTag_t tag = L4_Call(t);
    EXPECT_EQ(L4_IpcFailed(tag), 0);
    EXPECT_EQ(seen[0], 0);
    EXPECT_EQ(seen[1], 2);
    EXPECT_EQ(seen[2], item.raw[0]); /* receivers see the sender's item words */
    EXPECT_EQ(window_area[0x3000], 'M');
    EXPECT_EQ(window_area[0x3000 + 100], 'X');
}

static void nil_window_overflows_on_both_sides(void)
{
    L4_ThreadId_t t = suite_thread(receive_map_into_window, 0); /* 0: nil window */
    suite_settle(t);
    L4_MapItem_t item = L4_MapItem(L4_FpageAddRights(L4_FpageLog2((L4_Word_t)page_src, 12), L4_Readable), 0);
    L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
    L4_LoadMR(1, item.raw[0]);
    L4_LoadMR(2, item.raw[1]);
    L4_MsgTag_t tag = L4_Send(t);
    EXPECT_TRUE(L4_IpcFailed(tag));
    EXPECT_EQ(L4_ErrorCode(), 0x8);
    suite_wait_for(&seen[0], 0x9);
    EXPECT_EQ(seen[0], 0x9);
}

const struct suite_case suite_thread_cases[] = {
    {"ExchangeRegisters.QueryReadsAndSetsHandleAndPager", exreg_query_reads_and_sets_handle_and_pager},
    {"ExchangeRegisters.RefusesThreadsOfOtherSpaces", exreg_refuses_threads_of_other_spaces},
    {"ExchangeRegisters.HaltShowsInTheStateAndHAloneResumes", halt_shows_in_the_state_and_h_alone_resumes},
    {"Schedule.ReportsStateAndRefusesUnknownThreads", schedule_reports_state_and_refuses_unknown_threads},
    {"MapGrant.OnePageLandsAtWindowBasePlusSendBaseModSize", one_page_lands_at_window_base_plus_send_base_mod_size},
    {"MapGrant.NilWindowOverflowsOnBothSides", nil_window_overflows_on_both_sides},
};
const unsigned suite_thread_case_count = sizeof suite_thread_cases / sizeof suite_thread_cases[0];

static volatile L4_Word_t switched;

static void mark_switched(L4_Word_t v)
{
    switched = v;
}

static void schedule_sets_and_reports_the_timeslice(void)
{
    L4_ThreadId_t t = suite_thread((void (*)(L4_Word_t))suite_park, 0);
    L4_Word_t all = ~(L4_Word_t)0, old = 0;
    L4_Schedule(t, all, all, all, all, &old);
    EXPECT_EQ(L4_PeriodMicroseconds((L4_Time_t){.raw = (L4_Word16_t)(old >> 16)}), 10000 >> 4 << 4);
    L4_Word_t slice = L4_TimePeriod(5000).raw;
    EXPECT_TRUE(L4_Schedule(t, (slice << 16) | 0, all, all, all, &old) != 0);
    L4_Schedule(t, all, all, all, all, &old);
    EXPECT_EQ(old >> 16, slice);
}

static void thread_switch_runs_the_destination_at_once(void)
{
    switched = 0;
    L4_ThreadId_t t = suite_thread(mark_switched, 7);
    /* An endless slice: on a loaded host a 10 ms slice could end (wall
       time) before Linux ran it, and we would go on first. */
    L4_Schedule(t, 0, ~(L4_Word_t)0, ~(L4_Word_t)0, ~(L4_Word_t)0, 0);
    L4_ThreadSwitch(t); /* it is ready: it runs before we go on */
    EXPECT_EQ(switched, 7);
    L4_Yield();
}

static volatile L4_Word_t *scribble_page;

static void scribble_then_mark(L4_Word_t v)
{
    *scribble_page = v; /* a first write to a page the space has read only */
    switched = v;
}

/* The destination's first write to a page it may write but has only read:
   on hardware no fault at all (the access status is the kernel's own
   business), so nothing may hand the processor back to us, although we have
   the higher priority, before the destination is done. */
static void thread_switch_destination_keeps_running_past_an_access_status_fault(void)
{
    L4_Fpage_t page = L4_Sigma0_GetAny(suite_sigma0(), 12);
    EXPECT_TRUE(!L4_IsNilFpage(page));
    if (L4_IsNilFpage(page)) return;
    scribble_page = (volatile L4_Word_t *)L4_Address(page);
    EXPECT_EQ(*scribble_page, *scribble_page); /* read: noted as read only */
    switched = 0;
    L4_ThreadId_t t = suite_thread(scribble_then_mark, 9);
    L4_Word_t old;
    /* Lowest priority, endless slice: only the switch runs it. */
    L4_Schedule(t, 0, ~(L4_Word_t)0, 1, ~(L4_Word_t)0, &old);
    L4_ThreadSwitch(t);
    EXPECT_EQ(switched, 9);
    EXPECT_EQ(*scribble_page, 9);
    suite_wait_for(&switched, 9);
}

static volatile L4_Word_t middle_ran, middle_seen_by_server, ticking, ticker_done;

/* Wakes every millisecond at the lowest priority: events that make the
   kernel look at its ready threads while the server works. */
static void low_priority_ticker(L4_Word_t arg)
{
    (void)arg;
    while (ticking) L4_Sleep(L4_TimePeriod(1000));
    ticker_done = 1;
    suite_park();
}

static void middle_priority_mark(L4_Word_t arg)
{
    (void)arg;
    middle_ran = 1;
    suite_park();
}

static void low_priority_server(L4_Word_t arg)
{
    (void)arg;
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    /* Work that takes far longer than the kernel takes to preempt: the
       middle thread, ready all along, must not get the vCPU meanwhile. */
    for (volatile unsigned long i = 0; i < 60000000; i++) {
    }
    middle_seen_by_server = middle_ran;
    (void)tag;
    L4_LoadMR(0, 0);
    L4_Reply(from);
    suite_park();
}

/* We Call a server of low priority that waits for us while a thread of
   middle priority is ready: the call hands our vCPU straight to the
   server, which answers before the middle thread has run (time donation,
   as the reference kernel's direct switch on a blocking send).  Threads
   that were ready before do not preempt it; only woken ones would. */
static void a_call_runs_its_waiting_server_before_a_middle_priority_thread(void)
{
    middle_ran = 0;
    middle_seen_by_server = 2;
    L4_ThreadId_t server = suite_thread(low_priority_server, 0);
    /* Priority 50 and a slice that never ends: only a thread woken later
       could take its vCPU. */
    L4_Schedule(server, 0, ~(L4_Word_t)0, 50, ~(L4_Word_t)0, 0);
    suite_settle(server);
    ticking = 1;
    ticker_done = 0;
    L4_ThreadId_t ticker = suite_thread(low_priority_ticker, 0);
    L4_Schedule(ticker, ~(L4_Word_t)0, ~(L4_Word_t)0, 10, ~(L4_Word_t)0, 0);
    /* Given our time until it sleeps: at its priority it might never get
       the vCPU otherwise (other cases' threads may still be ready). */
    for (;;) {
        L4_Word_t ctl, sp, ip, flags, handle;
        L4_ThreadId_t pager;
        L4_ExchangeRegisters(ticker, 0, 0, 0, 0, 0, L4_nilthread, &ctl, &sp, &ip, &flags, &handle, &pager);
        if (ctl & L4_ExReg_AbortIPC) break;
        L4_ThreadSwitch(ticker);
    }
    L4_ThreadId_t middle = suite_thread(middle_priority_mark, 0);
    L4_Set_Priority(middle, 100); /* below ours: ready, it waits for us */
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Call(server);
    EXPECT_TRUE(L4_IpcSucceeded(tag));
    EXPECT_EQ(middle_seen_by_server, 0);
    suite_wait_for(&middle_ran, 1);
    ticking = 0;
    suite_wait_for(&ticker_done, 1);
}

const struct suite_case suite_sched_cases[] = {
    {"Schedule.SetsAndReportsTheTimeslice", schedule_sets_and_reports_the_timeslice},
    {"ThreadSwitch.RunsTheDestinationAtOnce", thread_switch_runs_the_destination_at_once},
    {"ThreadSwitch.TheDestinationKeepsRunningPastAnAccessStatusFault",
     thread_switch_destination_keeps_running_past_an_access_status_fault},
    {"Ipc.ACallRunsItsWaitingServerBeforeAMiddlePriorityThread",
     a_call_runs_its_waiting_server_before_a_middle_priority_thread},
};
const unsigned suite_sched_case_count = sizeof suite_sched_cases / sizeof suite_sched_cases[0];

static void exreg_f_changes_only_user_flags(void)
{
    L4_ThreadId_t t = suite_thread((void (*)(L4_Word_t))suite_park, 0);
    suite_settle(t);
    L4_Word_t before, after;
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, &before, 0, 0);
    /* Ask for every bit: the kernel keeps everything but the user flags. */
    L4_ExchangeRegisters(t, L4_ExReg_SetFlags, 0, 0, ~(L4_Word_t)0, 0, L4_nilthread, 0, 0, 0, 0, 0, 0);
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, &after, 0, 0);
    L4_ExchangeRegisters(t, L4_ExReg_SetFlags, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, 0, 0);
    L4_Word_t cleared;
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, &cleared, 0, 0);
    EXPECT_TRUE(after != ~(L4_Word_t)0);   /* not everything became set */
    EXPECT_EQ(after & ~before & cleared, 0); /* what f set, f cleared again */
    EXPECT_EQ(before | after, after);        /* setting only adds bits */
}

const struct suite_case suite_flags_cases[] = {
    {"ExchangeRegisters.FChangesOnlyUserFlags", exreg_f_changes_only_user_flags},
};
const unsigned suite_flags_case_count = sizeof suite_flags_cases / sizeof suite_flags_cases[0];

static void spin_forever(L4_Word_t unused)
{
    (void)unused;
    for (;;) {
    }
}

static void a_used_up_quantum_is_reported_to_the_scheduler(void)
{
    L4_ThreadId_t t = suite_thread(spin_forever, 0); /* we are its scheduler */
    L4_Word_t all = ~(L4_Word_t)0;
    L4_Word_t q = L4_TimePeriod(30000).raw;
    EXPECT_TRUE(L4_Schedule(t, (all << 16) | q, all, all, all, 0) != 0);
    L4_MsgTag_t tag = L4_Receive(t); /* however late a loaded host runs it */
    EXPECT_EQ(L4_IpcFailed(tag), 0);
    EXPECT_EQ(L4_Label(tag) >> 4, L4_PREEMPTION_LABEL >> 4);
    EXPECT_EQ(L4_UntypedWords(tag), 2);
    L4_Word_t used;
    L4_StoreMR(1, &used);
    EXPECT_TRUE(used >= 25000);
    EXPECT_SOON(used, 1000000); /* microseconds, not a finer unit */
    L4_LoadMR(0, 0);
    L4_Reply(t); /* it goes on with an infinite quantum */
    EXPECT_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
}

const struct suite_case suite_quantum_cases[] = {
    {"Schedule.AUsedUpQuantumIsReportedToTheScheduler", a_used_up_quantum_is_reported_to_the_scheduler},
};
const unsigned suite_quantum_case_count = sizeof suite_quantum_cases / sizeof suite_quantum_cases[0];

static volatile L4_Word_t saw_pending;

/* Asks for delayed preemption and spins until the kernel says a
   preemption is pending; then gives the CPU back with ThreadSwitch. */
static void delay_preemption(L4_Word_t unused)
{
    (void)unused;
    volatile L4_Word_t *flags = &__L4_Utcb()[L4_TCR_FLAGS];
    *flags |= 0x40;
    while (!(*flags & 0x80)) {
    }
    saw_pending = 1;
    /* No more delays asked for: on a loaded host a new slice could end
       (and set p again) before this thread reads the flags below. */
    *flags &= ~(L4_Word_t)0x40;
    L4_Yield();
    saw_pending = (*flags & 0x80) ? 2 : 3; /* ThreadSwitch cleared p */
    suite_park();
}

static void delayed_preemption_sets_the_pending_flag(void)
{
    saw_pending = 0;
    L4_ThreadId_t t = suite_thread(delay_preemption, 0);
    L4_Word_t all = ~(L4_Word_t)0;
    L4_Schedule(t, all, all, all, 20000, 0); /* 20 ms of delay budget */
    L4_Sleep(L4_TimePeriod(100000));
    suite_wait_for(&saw_pending, 3); /* a loaded host runs it later */
    EXPECT_EQ(saw_pending, 3);
}

/* The same spinner, but we wake every millisecond from the start: each
   wake-up preempts it, and only if it goes on with what is left of its
   slice (not a new one each time) does the slice ever end and set p. */
static void a_preempted_thread_keeps_what_is_left_of_its_slice(void)
{
    saw_pending = 0;
    L4_ThreadId_t t = suite_thread(delay_preemption, 0);
    L4_Word_t all = ~(L4_Word_t)0;
    L4_Schedule(t, all, all, all, 20000, 0);
    suite_wait_for(&saw_pending, 3); /* polls with 1 ms sleeps */
    EXPECT_EQ(saw_pending, 3);
}

const struct suite_case suite_delay_cases[] = {
    {"Schedule.DelayedPreemptionSetsThePendingFlag", delayed_preemption_sets_the_pending_flag},
    {"Schedule.APreemptedThreadKeepsWhatIsLeftOfItsSlice", a_preempted_thread_keeps_what_is_left_of_its_slice},
};
const unsigned suite_delay_case_count = sizeof suite_delay_cases / sizeof suite_delay_cases[0];

static void a_waking_higher_priority_thread_preempts_at_once(void)
{
    L4_ThreadId_t t = suite_thread(spin_forever, 0); /* priority 100, below ours */
    L4_Word_t all = ~(L4_Word_t)0;
    /* A slice that never ends: only preemption on the wake-up lets this
       thread run again (without it the box hangs until its --timeout). */
    L4_Schedule(t, (L4_Never.raw << 16) | 0xFFFF, all, all, all, 0);
    L4_Word_t t0 = (L4_Word_t)L4_SystemClock().raw;
    L4_Sleep(L4_TimePeriod(20000));
    L4_Word_t slept = (L4_Word_t)L4_SystemClock().raw - t0;
    EXPECT_TRUE(slept >= 20000);
    EXPECT_SOON(slept, 250000);
    EXPECT_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
}

/* Each KernelInterface instruction stops the thread for the kernel, which
   serves it unseen: the thread goes on in its slice, and a thread that
   wakes meanwhile still preempts it. */
static void kernel_interface_forever(L4_Word_t arg)
{
    (void)arg;
    for (;;) (void)L4_GetKernelInterface();
}

static void a_waking_thread_preempts_one_the_kernel_keeps_serving(void)
{
    L4_ThreadId_t t = suite_thread(kernel_interface_forever, 0); /* priority 100, below ours */
    L4_Word_t all = ~(L4_Word_t)0;
    L4_Schedule(t, (L4_Never.raw << 16) | 0xFFFF, all, all, all, 0);
    L4_Sleep(L4_TimePeriod(20000)); /* without the preemption: until --timeout */
    EXPECT_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
}

const struct suite_case suite_wake_cases[] = {
    {"Scheduling.AWakingHigherPriorityThreadPreemptsAtOnce", a_waking_higher_priority_thread_preempts_at_once},
    {"Scheduling.AWakingThreadPreemptsOneTheKernelKeepsServing", a_waking_thread_preempts_one_the_kernel_keeps_serving},
};
const unsigned suite_wake_case_count = sizeof suite_wake_cases / sizeof suite_wake_cases[0];
