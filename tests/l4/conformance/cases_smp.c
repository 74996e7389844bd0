/* Conformance cases: more than one virtual CPU (umol4 run --cpus 2 or more).
   Helpers are made on this thread's CPU 0 and moved with Schedule; the
   ones that spin get endless timeslices, so only a second CPU lets another
   thread run beside them, and each is halted before its case ends. */
#include <l4rt/pager.h>

#include "suite.h"

static const L4_Word_t never_slice = 0; /* L4_Never as slice and quantum */

static volatile L4_Word_t reported_cpu, go;

static void report_cpu_when_told(L4_Word_t arg)
{
    (void)arg;
    while (!go) {
    }
    reported_cpu = L4_ProcessorNo() + 1;
}

/* A helper on `cpu` that runs without ever losing its slice. */
static L4_ThreadId_t spinner_on(unsigned cpu, void (*fn)(L4_Word_t), L4_Word_t arg)
{
    L4_ThreadId_t t = suite_thread(fn, arg);
    EXPECT_EQ(L4_Schedule(t, never_slice, ~(L4_Word_t)0, ~(L4_Word_t)0, ~(L4_Word_t)0, 0), 3);
    if (cpu) EXPECT_EQ(L4_Set_ProcessorNo(t, cpu), 3);
    return t;
}

static void resume(L4_ThreadId_t t)
{
    L4_ExchangeRegisters(t, L4_ExReg_HaltFlag, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, 0, 0);
}

static void kip_utcb_and_schedule_report_processors(void)
{
    EXPECT_TRUE(L4_NumProcessors(suite_kip()) >= 2);
    EXPECT_EQ(L4_ProcessorNo(), 0);
    go = 0;
    reported_cpu = 0;
    L4_ThreadId_t t = suite_thread(report_cpu_when_told, 0);
    /* Created on the creator's CPU... */
    L4_Word_t *their = (L4_Word_t *)((char *)L4_LocalIdOf(t).raw);
    EXPECT_EQ(their[L4_TCR_PROCESSOR_NO], 0);
    /* ...a processor the box does not have is an invalid parameter... */
    EXPECT_EQ(L4_Set_ProcessorNo(t, L4_NumProcessors(suite_kip())), 0);
    EXPECT_EQ(L4_ErrorCode(), 5);
    /* ...and Schedule moves it: it runs there and its UTCB says so. */
    EXPECT_EQ(L4_Set_ProcessorNo(t, 1), 3);
    EXPECT_EQ(their[L4_TCR_PROCESSOR_NO], 1);
    go = 1;
    suite_wait_for(&reported_cpu, 2);
    EXPECT_EQ(reported_cpu, 2);
}

static volatile L4_Word_t turn[2], rounds_done;
enum { handshake_rounds = 100 };

static void handshake(L4_Word_t side)
{
    for (L4_Word_t i = 1; i <= handshake_rounds; i++) {
        if (side == 0) {
            turn[0] = i;
            while (turn[1] != i) {
            }
        } else {
            while (turn[0] != i) {
            }
            turn[1] = i;
        }
    }
    if (side == 1) rounds_done = 1;
    for (;;) {
    }
}

static void two_threads_spin_at_once_on_two_cpus(void)
{
    turn[0] = turn[1] = rounds_done = 0;
    /* Neither ever yields: on one CPU the second would never run. */
    L4_ThreadId_t a = spinner_on(0, handshake, 0), b = spinner_on(1, handshake, 1);
    suite_wait_for(&rounds_done, 1);
    EXPECT_EQ(rounds_done, 1);
    EXPECT_EQ(turn[1], handshake_rounds);
    L4_Stop(a);
    L4_Stop(b);
}

static volatile L4_Word_t spins;

static void count_forever(L4_Word_t arg)
{
    (void)arg;
    for (;;)
        spins++;
}

static L4_Word_t spins_after(L4_Word_t us)
{
    L4_Sleep(L4_TimePeriod(us));
    return spins;
}


static void exchange_registers_reads_and_halts_a_thread_on_another_cpu(void)
{
    spins = 0;
    L4_ThreadId_t t = spinner_on(1, count_forever, 0);
    suite_wait_for_change(&spins, 0);
    L4_Word_t ctl = ~(L4_Word_t)0, sp, ip = 0, flags;
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &ctl, &sp, &ip, &flags, 0, 0);
    EXPECT_EQ(ctl, 0); /* running: neither halted nor in IPC */
    EXPECT_TRUE(ip != 0);
    EXPECT_TRUE(suite_wait_for_change(&spins, spins)); /* reading did not stop it */
    L4_Stop(t);
    L4_Word_t halted = spins;
    EXPECT_EQ(spins_after(10000), halted);
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &ctl, 0, 0, 0, 0, 0);
    EXPECT_EQ(ctl, 1);
    resume(t);
    EXPECT_TRUE(suite_wait_for_change(&spins, halted));
    L4_Stop(t);
}

static volatile L4_Word_t calls, bad_results;

/* System calls and KernelInterface (a trapping instruction) back to back:
   being stopped from another CPU in the middle must never show. */
static void call_the_kernel_forever(L4_Word_t arg)
{
    (void)arg;
    L4_Word_t version0;
    L4_KernelInterface(&version0, 0, 0);
    L4_Word64_t last = 0;
    for (;;) {
        L4_Word64_t now = L4_SystemClock().raw;
        L4_Word_t version = 0;
        void *kip = L4_KernelInterface(&version, 0, 0);
        if (now < last || version != version0 || kip != suite_kip() || L4_ProcessorNo() != 1) bad_results++;
        last = now;
        calls++;
    }
}

static void halting_a_thread_that_calls_the_kernel_keeps_its_results_right(void)
{
    calls = bad_results = 0;
    L4_ThreadId_t t = spinner_on(1, call_the_kernel_forever, 0);
    L4_Word_t progress = 0;
    for (unsigned round = 0; round < 200; round++) {
        L4_Word_t ctl;
        L4_Stop(t);
        L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &ctl, 0, 0, 0, 0, 0);
        if (ctl != 1) bad_results++;
        L4_Word_t at_halt = calls;
        resume(t);
        if (round % 8 == 0) {
            progress += suite_wait_for_change(&calls, at_halt);
        }
    }
    EXPECT_EQ(progress, 25);
    EXPECT_EQ(bad_results, 0);
    L4_Stop(t);
}

static char flushed_page[4096] __attribute__((aligned(4096)));
static volatile L4_Word_t reads;

static void read_forever(L4_Word_t arg)
{
    (void)arg;
    for (;;) {
        (void)*(volatile char *)flushed_page;
        reads++;
    }
}

static void flush_takes_the_page_from_a_thread_running_on_another_cpu(void)
{
    reads = 0;
    flushed_page[0] = 1;
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = suite_thread(read_forever, 0);
    /* Its page faults come here. */
    L4_ExchangeRegisters(t, L4_ExReg_SetPager, 0, 0, 0, 0, me, 0, 0, 0, 0, 0, 0);
    EXPECT_EQ(L4_Schedule(t, never_slice, 1, ~(L4_Word_t)0, ~(L4_Word_t)0, 0), 3);
    EXPECT_TRUE(suite_wait_for_change(&reads, 0));
    /* It never stops for the kernel: the flush must reach it as it runs. */
    L4_Flush(L4_FpageAddRights(L4_FpageLog2((L4_Word_t)flushed_page, 12), L4_FullyAccessible));
    L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(5000000));
    EXPECT_EQ(L4_IpcFailed(tag), 0);
    EXPECT_EQ(L4_Label(tag) >> 4, L4_PAGEFAULT_LABEL >> 4);
    L4_Word_t address;
    L4_StoreMR(1, &address);
    EXPECT_EQ(address, (L4_Word_t)flushed_page);
    EXPECT_TRUE(tag.raw & (1 << 14)); /* from another CPU */
    /* Back from sigma0 by touching it, then an empty reply: it reads on. */
    flushed_page[0] = 2;
    L4_Word_t at_fault = reads;
    L4_LoadMR(0, 0);
    L4_Reply(t);
    EXPECT_TRUE(suite_wait_for_change(&reads, at_fault));
    L4_Stop(t);
}

/* A space of its own that runs this image: its pager (a helper here) maps
   it our pages at the same addresses, so both share the frames. */
static char unmapped_page[4096] __attribute__((aligned(4096)));
static unsigned long child_stack[512] __attribute__((aligned(16)));
static volatile L4_Word_t child_reads, child_faults, child_fault_address;
static L4_ThreadId_t child;

static void child_reads_forever(void)
{
    for (;;) {
        (void)*(volatile char *)unmapped_page;
        child_reads++;
    }
}

static void child_pager(L4_Word_t unused)
{
    (void)unused;
    L4_LoadMR(0, L4_MsgTagMake(0, 2, 0).raw);
    L4_LoadMR(1, (L4_Word_t)child_reads_forever);
    L4_LoadMR(2, (L4_Word_t)&child_stack[508]);
    L4_Send(child);
    L4_ThreadId_t from;
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        L4_Word_t address;
        L4_StoreMR(1, &address);
        if ((L4_Label(tag) >> 4) == (L4_PAGEFAULT_LABEL >> 4) && from.raw == child.raw) {
            if ((address & ~(L4_Word_t)4095) == (L4_Word_t)unmapped_page) {
                child_fault_address = address;
                child_faults++;
            }
            l4rt_load_same_page_reply(address);
        } else {
            L4_LoadMR(0, 0);
        }
        tag = L4_ReplyWait(from, &from);
    }
}

static void unmap_reaches_another_space_running_on_another_cpu(void)
{
    child_reads = child_faults = child_fault_address = 0;
    unmapped_page[0] = 1;
    L4_ThreadId_t me = L4_Myself();
    child = L4_GlobalId(L4_ThreadNo(me) + 70, 1);
    EXPECT_EQ(L4_ThreadControl(child, child, me, L4_nilthread, (void *)-1), 1);
    EXPECT_EQ(L4_SpaceControl(child, 0, L4_FpageLog2(0xC00000, 12), L4_FpageLog2(0x800000, 14), L4_nilthread, 0), 1);
    L4_ThreadId_t pager = suite_thread(child_pager, 0);
    EXPECT_EQ(L4_ThreadControl(child, child, me, pager, (void *)0x800000), 1);
    EXPECT_EQ(L4_Schedule(child, never_slice, 1, ~(L4_Word_t)0, ~(L4_Word_t)0, 0), 6);
    EXPECT_TRUE(suite_wait_for_change(&child_reads, 0));
    EXPECT_EQ(child_faults, 1); /* its first read */
    /* Only the child's mapping goes (not ours, f = 0), and the child never
       stops for the kernel: its task must lose the page at once. */
    L4_UnmapFpage(L4_FpageAddRights(L4_FpageLog2((L4_Word_t)unmapped_page, 12), L4_FullyAccessible));
    suite_wait_for(&child_faults, 2);
    EXPECT_EQ(child_faults, 2);
    EXPECT_EQ(child_fault_address, (L4_Word_t)unmapped_page);
    L4_Word_t at_fault = child_reads;
    EXPECT_TRUE(suite_wait_for_change(&child_reads, at_fault)); /* mapped again, it reads on */
    EXPECT_EQ(L4_ThreadControl(child, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
    L4_Stop(pager);
}

static void deleting_a_thread_running_on_another_cpu_stops_it(void)
{
    spins = 0;
    L4_ThreadId_t t = spinner_on(1, count_forever, 0);
    suite_wait_for_change(&spins, 0);
    EXPECT_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
    L4_Word_t gone = spins;
    EXPECT_EQ(spins_after(10000), gone);
    L4_Word_t ctl;
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &ctl, 0, 0, 0, 0, 0);
    EXPECT_EQ(L4_ErrorCode(), 2); /* no such thread any more */
}

static volatile L4_Word_t rr_counts[2], yields;

static void count_in_slot(L4_Word_t slot)
{
    for (;;)
        rr_counts[slot]++;
}

static void yield_forever(L4_Word_t arg)
{
    (void)arg;
    for (;;) {
        L4_Yield();
        yields++;
    }
}

static void slices_end_on_one_cpu_while_another_keeps_the_core_busy(void)
{
    rr_counts[0] = rr_counts[1] = yields = 0;
    /* Two spinners with 10 ms slices share vCPU 1 round robin, while a
       thread on vCPU 0 stops for the kernel all the time. */
    L4_ThreadId_t a = suite_thread(count_in_slot, 0), b = suite_thread(count_in_slot, 1);
    L4_ThreadId_t y = suite_thread(yield_forever, 0);
    EXPECT_EQ(L4_Set_ProcessorNo(a, 1), 3);
    EXPECT_EQ(L4_Set_ProcessorNo(b, 1), 3);
    while (!rr_counts[0] || !rr_counts[1] || !yields)
        L4_Sleep(L4_TimePeriod(1000));
    EXPECT_TRUE(yields != 0);
    EXPECT_TRUE(rr_counts[0] != 0);
    EXPECT_TRUE(rr_counts[1] != 0);
    L4_Stop(a);
    L4_Stop(b);
    L4_Stop(y);
    /* An interrupt thread (a kernel object) moves too, without harm. */
    EXPECT_TRUE(L4_Set_ProcessorNo(L4_GlobalId(0, 1), 1) != 0);
    EXPECT_TRUE(L4_Set_ProcessorNo(L4_GlobalId(0, 1), 0) != 0);
}

static volatile L4_Word_t reply_tag, reply_word;

static void call_across(L4_Word_t to)
{
    L4_ThreadId_t dest = {.raw = to};
    L4_LoadMR(0, L4_MsgTagMake(0x55, 1, 0).raw);
    L4_LoadMR(1, 42);
    L4_MsgTag_t tag = L4_Call(dest);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    reply_word = w;
    reply_tag = tag.raw | 1; /* never 0 */
}

static void ipc_between_cpus_is_marked_cross_cpu(void)
{
    reply_tag = reply_word = 0;
    L4_ThreadId_t t = suite_thread(call_across, L4_Myself().raw);
    EXPECT_EQ(L4_Set_ProcessorNo(t, 1), 3);
    L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(5000000));
    EXPECT_EQ(L4_IpcFailed(tag), 0);
    EXPECT_EQ(L4_Label(tag), 0x55);
    EXPECT_EQ(L4_UntypedWords(tag), 1);
    EXPECT_TRUE(tag.raw & (1 << 14));
    L4_Word_t w;
    L4_StoreMR(1, &w);
    EXPECT_EQ(w, 42);
    L4_LoadMR(0, L4_MsgTagMake(0x66, 1, 0).raw);
    L4_LoadMR(1, 43);
    EXPECT_EQ(L4_IpcFailed(L4_Reply(t)), 0);
    suite_wait_for(&reply_word, 43);
    EXPECT_EQ(reply_word, 43);
    EXPECT_EQ((reply_tag >> 16) & 0xFFFF, 0x66);
    EXPECT_TRUE(reply_tag & (1 << 14));
}

const struct suite_case suite_smp_cases[] = {
    {"Processors.KipUtcbAndScheduleReportProcessors", kip_utcb_and_schedule_report_processors},
    {"Processors.TwoThreadsSpinAtOnceOnTwoCpus", two_threads_spin_at_once_on_two_cpus},
    {"Processors.ExchangeRegistersReadsAndHaltsAThreadOnAnotherCpu",
     exchange_registers_reads_and_halts_a_thread_on_another_cpu},
    {"Processors.HaltingAThreadThatCallsTheKernelKeepsItsResultsRight",
     halting_a_thread_that_calls_the_kernel_keeps_its_results_right},
    {"Processors.FlushTakesThePageFromAThreadRunningOnAnotherCpu",
     flush_takes_the_page_from_a_thread_running_on_another_cpu},
    {"Processors.UnmapReachesAnotherSpaceRunningOnAnotherCpu", unmap_reaches_another_space_running_on_another_cpu},
    {"Processors.DeletingAThreadRunningOnAnotherCpuStopsIt", deleting_a_thread_running_on_another_cpu_stops_it},
    {"Processors.SlicesEndOnOneCpuWhileAnotherKeepsTheCoreBusy",
     slices_end_on_one_cpu_while_another_keeps_the_core_busy},
    {"Processors.IpcBetweenCpusIsMarkedCrossCpu", ipc_between_cpus_is_marked_cross_cpu},
};
const unsigned suite_smp_case_count = sizeof suite_smp_cases / sizeof suite_smp_cases[0];
