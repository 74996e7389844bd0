/* Every system call with arbitrary arguments, thousands of times, from a
   root task with a few helper threads: the box must never crash, hang or
   let anything out, whatever the calls do to the helpers (or to this
   thread's own mappings: sigma0 gives its pages back).  The seed is the
   first line of console input (default 1); prints "storm: N calls made". */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "seed.h"

enum { calls = 3000, helpers = 6 };
static unsigned long long state;
static L4_ThreadId_t me, helper[helpers];
static unsigned long stacks[helpers][512] __attribute__((aligned(16)));

static L4_Word_t rnd(void)
{
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return (L4_Word_t)state;
}

static L4_Word_t some_word(void)
{
    switch (rnd() % 6) {
    case 0: return 0;
    case 1: return ~(L4_Word_t)0;
    case 2: return rnd() & 0xFFF;
    case 3: return rnd() & ~(L4_Word_t)0xFFF;
    default: return rnd();
    }
}

static L4_ThreadId_t some_thread(void)
{
    switch (rnd() % 5) {
    case 0: return helper[rnd() % helpers];
    case 1: return L4_LocalIdOf(helper[rnd() % helpers]);
    case 2: return L4_GlobalId(L4_ThreadNo(me) + 1 + rnd() % 16, 1 + rnd() % 2);
    case 3: return (L4_ThreadId_t){.raw = some_word()};
    default: return L4_GlobalId(rnd() % 64, 1); /* interrupt and kernel threads, sigma0 */
    }
}

/* Short timeouts only: nothing may block this thread for long. */
static L4_Word_t short_timeouts(void)
{
    L4_Time_t snd = (rnd() & 1) ? L4_ZeroTime : L4_TimePeriod(rnd() % 2000);
    L4_Time_t rcv = (rnd() & 1) ? L4_ZeroTime : L4_TimePeriod(rnd() % 2000);
    return L4_Timeouts(snd, rcv);
}

static void helper_loop(void)
{
    for (;;) {
        L4_ThreadId_t from;
        L4_Ipc(me, L4_anythread, L4_Timeouts(L4_ZeroTime, L4_TimePeriod(1000)), &from);
    }
}

static void one_call(void)
{
    for (int i = 0; i < 64; i++) L4_LoadMR(i, (rnd() & 3) ? rnd() & 0xFFFF : some_word());
    L4_LoadMR(0, some_word() & ~(L4_Word_t)0x3F000 /* at most 64 words */);
    L4_Word_t *utcb = __L4_Utcb();
    utcb[L4_TCR_XFER_TIMEOUTS] = short_timeouts();
    if (rnd() & 1) utcb[-16] = some_word(); /* BR0 */
    L4_Word_t all = ~(L4_Word_t)0, o;
    L4_ThreadId_t t = some_thread(), from;
    switch (rnd() % 11) {
    case 0: L4_Ipc(t, some_thread(), short_timeouts(), &from); break;
    case 1: L4_Lipc(t, some_thread(), short_timeouts(), &from); break;
    case 2: {
        L4_Word_t control = some_word() & 0x1FF;
        if (t.raw == me.raw || t.raw == L4_MyLocalId().raw) control &= ~(L4_Word_t)0x13F; /* not ourselves */
        /* New IPs: the helpers' loop, or memory nobody gave (a fault);
           arbitrary bytes could hold an int3, which rightly stops the box. */
        L4_Word_t ip = (rnd() & 1) ? (L4_Word_t)helper_loop : 0x30000000UL + (rnd() & 0xFFFFF);
        L4_ExchangeRegisters(t, control, some_word(), ip, some_word(), some_word(), some_thread(), &o, &o, &o, &o, &o,
                             &from);
        break;
    }
    case 3: {
        /* Only ids it can clean up at the end: its helpers' and others
           near them, and interrupt threads. */
        L4_ThreadId_t dest = (rnd() & 3) ? L4_GlobalId(L4_ThreadNo(me) + 1 + rnd() % 16, 1 + rnd() % 2)
                                         : L4_GlobalId(rnd() % 64, 1);
        if (dest.raw == L4_Pager().raw) break; /* sigma0 serves our faults */
        void *utcb_at = (rnd() & 1) ? (void *)(0xBF000000UL + (rnd() % 64) * 1024) : (void *)some_word();
        L4_ThreadControl(dest, (rnd() & 1) ? me : some_thread(), (rnd() & 1) ? me : some_thread(),
                         (rnd() & 1) ? me : some_thread(), utcb_at);
        break;
    }
    case 4: L4_SpaceControl(t, some_word(), (L4_Fpage_t){.raw = some_word()}, (L4_Fpage_t){.raw = some_word()},
                            some_thread(), &o);
        break;
    case 5: L4_Schedule(t, (rnd() & 1) ? all : some_word(), (rnd() & 1) ? all : some_word() & 0xFFFF,
                        (rnd() & 1) ? all : some_word(), (rnd() & 1) ? all : some_word(), &o);
        break;
    case 6: if (t.raw != me.raw) L4_ThreadSwitch(t); break;
    case 7: L4_Unmap(some_word() & 0x7F); break;
    case 8: (void)L4_SystemClock(); break;
    case 9: L4_ProcessorControl(some_word(), some_word(), some_word(), some_word()); break;
    case 10: {
        L4_Word_t attributes[4] = {some_word(), some_word(), some_word(), some_word()};
        L4_MemoryControl(some_word() & 0x3F, attributes);
        break;
    }
    }
}

int main(void)
{
    unsigned seed = read_seed();
    state = 0x9E3779B97F4A7C15ULL * (seed ? seed : 1);
    me = L4_Myself();
    void *kip = L4_GetKernelInterface();
    extern char __executable_start[], _end[];
    for (volatile char *p = __executable_start; p < _end; p += 4096)
        (void)*p;
    for (int i = 0; i < helpers; i++) {
        helper[i] = L4_GlobalId(L4_ThreadNo(me) + 1 + i, 1);
        void *utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + (i + 1) * L4_UtcbSize(kip);
        L4_ThreadControl(helper[i], me, me, L4_Pager(), utcb);
        L4_Start_SpIp(helper[i], (L4_Word_t)&stacks[i][508], (L4_Word_t)helper_loop);
    }
    for (unsigned n = 0; n < calls; n++) one_call();
    /* Every thread it may have made goes, and every interrupt is detached
       (its pager: itself), so that the box can end. */
    for (L4_Word_t line = 0; line < 64; line++) {
        L4_ThreadId_t irq = L4_GlobalId(line, 1);
        L4_ThreadControl(irq, irq, irq, irq, (void *)-1);
    }
    for (L4_Word_t n = 1; n <= 16; n++)
        for (L4_Word_t v = 1; v <= 2; v++)
            L4_ThreadControl(L4_GlobalId(L4_ThreadNo(me) + n, v), L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
    printf("storm: %u calls made (seed %u)\n", calls, seed ? seed : 1);
    return 0;
}
