/* Conformance suite runner: runs every case, prints PASS/FAIL by name and
   ends with "conformance: N passed, N failed". */
#include "suite.h"

extern const struct suite_case suite_ipc_cases[], suite_thread_cases[], suite_fault_cases[], suite_lifecycle_cases[],
    suite_propagation_cases[], suite_sched_cases[], suite_irq_cases[], suite_flags_cases[], suite_more_cases[], suite_quantum_cases[], suite_delay_cases[], suite_wake_cases[],
    suite_string_cases[], suite_mapdb_cases[], suite_smp_cases[], suite_low_memory_cases[], suite_fault_abort_cases[], suite_exreg_space_cases[], suite_kip_cases[], suite_boot_info_cases[], suite_compat_cases[], suite_number_register_cases[], suite_trap_instruction_cases[];
extern const unsigned suite_ipc_case_count, suite_thread_case_count, suite_fault_case_count,
    suite_lifecycle_case_count, suite_propagation_case_count, suite_sched_case_count, suite_irq_case_count, suite_flags_case_count, suite_more_case_count, suite_quantum_case_count, suite_delay_case_count, suite_wake_case_count,
    suite_string_case_count, suite_mapdb_case_count, suite_smp_case_count, suite_low_memory_case_count, suite_fault_abort_case_count, suite_exreg_space_case_count, suite_kip_case_count, suite_boot_info_case_count, suite_compat_case_count, suite_number_register_case_count, suite_trap_instruction_case_count;

unsigned suite_failures_in_case;
static const char *current;
static unsigned next_thread;
/* Helpers are threads +3000+n on UTCB slots 64+n of this space: out of the
   way of the numbers and slots that cases pick themselves (below). */
enum { max_helpers = 128, helper_number = 3000, helper_slot = 64 };
static unsigned long stacks[max_helpers][512] __attribute__((aligned(16)));

void suite_fail(const char *file, int line, const char *what, L4_Word_t got, L4_Word_t want)
{
    suite_failures_in_case++;
    printf("  %s: %s:%d: expected %s (got %#lx, want %#lx)\n", current, file, line, what, got, want);
}

void *suite_kip(void) { return L4_GetKernelInterface(); }

L4_ThreadId_t suite_sigma0(void) { return L4_GlobalId(L4_ThreadIdUserBase(suite_kip()), 1); }

static void trampoline(void)
{
    /* fn and arg are in the thread's UTCB user-defined handle and thread word */
    void (*fn)(L4_Word_t) = (void (*)(L4_Word_t))L4_UserDefinedHandle();
    L4_Word_t arg = __L4_Utcb()[L4_TCR_THREAD_WORD0];
    fn(arg);
    suite_park();
}

void suite_park(void)
{
    for (;;)
        L4_Sleep(L4_Never);
}

/* One line when a wait passes ten seconds of the box's clock: which case
   and what, in case it never ends (the box's --timeout then ends it). */
static void note_long_wait(unsigned *ms, const char *what)
{
    if (++*ms == 10000) printf("  %s: still waiting for %s (10 s)\n", current, what);
    L4_Sleep(L4_TimePeriod(1000));
}

void suite_settle(L4_ThreadId_t t)
{
    for (unsigned ms = 0;; note_long_wait(&ms, "a helper thread to block in IPC")) {
        L4_Word_t ctl, sp, ip, flags, handle;
        L4_ThreadId_t pager;
        L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &ctl, &sp, &ip, &flags, &handle, &pager);
        if (ctl & L4_ExReg_AbortIPC) return; /* state bits: 2 sending, 1 receiving */
    }
}

void suite_wait_for(volatile L4_Word_t *word, L4_Word_t value)
{
    for (unsigned ms = 0; *word != value; note_long_wait(&ms, "a helper's report"))
        ;
}

int suite_wait_for_change(volatile L4_Word_t *word, L4_Word_t from)
{
    for (unsigned ms = 0; *word == from; note_long_wait(&ms, "a word to change"))
        ;
    return 1;
}

int suite_has_feature(const char *name)
{
    const char *f;
    for (L4_Word_t n = 0; (f = L4_Feature(suite_kip(), n)); n++)
        if (!strcmp(f, name)) return 1;
    return 0;
}

int suite_virtual_clock(void)
{
    static int known = -1;
    if (known < 0) known = suite_has_feature("virtualclock");
    return known;
}

L4_ThreadId_t suite_thread(void (*fn)(L4_Word_t), L4_Word_t arg)
{
    void *kip = suite_kip();
    L4_ThreadId_t me = L4_Myself();
    unsigned n = ++next_thread;
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(me) + helper_number + n, 1);
    void *utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + (helper_slot + n) * L4_UtcbSize(kip);
    if (n >= max_helpers || !L4_ThreadControl(t, me, me, suite_sigma0(), utcb)) {
        suite_fail(__FILE__, __LINE__, "a helper thread is created", L4_ErrorCode(), 0);
        return L4_nilthread;
    }
    unsigned long *stack = stacks[n];
    stack[508] = 0; /* mapped here: the helper never faults on it */
    /* Hand fn/arg over through its TCRs, then start it at the trampoline. */
    L4_ExchangeRegisters(t, L4_ExReg_SetHandle, 0, 0, 0, (L4_Word_t)fn, L4_nilthread, 0, 0, 0, 0, 0, 0);
    L4_Word_t *their_utcb = (L4_Word_t *)((char *)utcb + L4_UTCB_MR0_OFFSET);
    their_utcb[L4_TCR_THREAD_WORD0] = arg;
    L4_Start_SpIp(t, (L4_Word_t)&stack[508], (L4_Word_t)trampoline);
    return t;
}

extern char __executable_start[], _end[];

int main(void)
{
    /* Map the whole image here first: helper threads must never fault on
       pages this thread owns (sigma0 would refuse them). */
    for (volatile char *p = __executable_start; p < _end; p += 4096)
        (void)*p;
    for (unsigned i = 0; i < max_helpers; i++)
        *(volatile unsigned long *)&stacks[i][0] = 0;
    unsigned passed = 0, failed = 0;
    /* The processor cases need a second virtual CPU (umol4 run --cpus 2). */
    unsigned smp_count = L4_NumProcessors(suite_kip()) > 1 ? suite_smp_case_count : 0;
    if (!smp_count) printf("conformance: one processor: the %u processor cases are not run\n", suite_smp_case_count);
    if (!suite_low_memory_case_count) printf("conformance: no low-memory cases on this arch (no instruction stepping)\n");
    const struct {
        const struct suite_case *cases;
        unsigned count;
    } groups[] = {{suite_kip_cases, suite_kip_case_count},
                  {suite_boot_info_cases, suite_boot_info_case_count},
                  {suite_number_register_cases, suite_number_register_case_count},
                  {suite_trap_instruction_cases, suite_trap_instruction_case_count},
                  {suite_ipc_cases, suite_ipc_case_count},
                  {suite_thread_cases, suite_thread_case_count},
                  {suite_fault_cases, suite_fault_case_count},
                  {suite_fault_abort_cases, suite_fault_abort_case_count},
                  {suite_exreg_space_cases, suite_exreg_space_case_count},
                  {suite_lifecycle_cases, suite_lifecycle_case_count},
                  {suite_propagation_cases, suite_propagation_case_count},
                  {suite_sched_cases, suite_sched_case_count},
                  {suite_irq_cases, suite_irq_case_count},
                  {suite_flags_cases, suite_flags_case_count},
                  {suite_more_cases, suite_more_case_count},
                  {suite_quantum_cases, suite_quantum_case_count},
                  {suite_delay_cases, suite_delay_case_count},
                  {suite_wake_cases, suite_wake_case_count},
                  {suite_string_cases, suite_string_case_count},
                  {suite_smp_cases, smp_count},
                  {suite_low_memory_cases, suite_low_memory_case_count},
                  {suite_compat_cases, suite_compat_case_count},
                  {suite_mapdb_cases, suite_mapdb_case_count}};  /* last: it flushes the whole space */
    for (unsigned g = 0; g < sizeof groups / sizeof groups[0]; g++)
    for (unsigned i = 0; i < groups[g].count; i++) {
        current = groups[g].cases[i].name;
        suite_failures_in_case = 0;
        groups[g].cases[i].run();
        if (suite_failures_in_case) {
            printf("FAIL %s\n", current);
            failed++;
        } else {
            printf("PASS %s\n", current);
            passed++;
        }
    }
    printf("conformance: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
