/* Conformance cases of the KIP's processor descriptors: they give the
   host CPU's clock in kHz (programs such as benchmarks turn rdtsc cycle
   counts into time with it), and on x86 rdtsc counts at that rate. */
#include "suite.h"

#if defined(__x86_64__) || defined(__i386__)
static unsigned long long cycles(void)
{
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((unsigned long long)hi << 32) | lo;
}

static unsigned long long now_us(void) { return L4_SystemClock().raw; }

/* rdtsc between two clock reads: the clock brackets the cycle count. */
static unsigned long long bracketed(unsigned long long *before, unsigned long long *after)
{
    *before = now_us();
    unsigned long long c = cycles();
    *after = now_us();
    return c;
}

static void processor_descriptors_give_the_host_clock(void)
{
    void *kip = suite_kip();
    L4_Word_t khz = L4_ProcDescInternalFreq(kip, 0);
    EXPECT_TRUE(khz > 0);
    EXPECT_EQ(L4_ProcDescExternalFreq(kip, 0), khz);
    if (suite_virtual_clock()) return; /* SystemClock is not real time there */
    /* Cycles over 100 ms against the clock.  The brackets bound the real
       interval from both sides, whatever delays a loaded host adds; a
       measurement whose brackets are wide is simply taken again. */
    for (;;) {
        unsigned long long a0, a1, b0, b1;
        unsigned long long c0 = bracketed(&a0, &a1);
        L4_Sleep(L4_TimePeriod(100000));
        unsigned long long c1 = bracketed(&b0, &b1);
        if (a1 - a0 > 1000 || b1 - b0 > 1000) continue;
        unsigned long long longest = b1 - a0, shortest = b0 - a1;
        unsigned long long per_ms = (c1 - c0) * 1000;
        /* khz lies between cycles/longest and cycles/shortest, give or
           take 2% for what "cpu MHz" rounds. */
        EXPECT_TRUE(per_ms / longest <= khz + khz / 50);
        EXPECT_TRUE(per_ms / shortest + khz / 50 >= khz);
        return;
    }
}

const struct suite_case suite_kip_cases[] = {
    {"Kip.ProcessorDescriptorsGiveTheHostClock", processor_descriptors_give_the_host_clock},
};
const unsigned suite_kip_case_count = sizeof suite_kip_cases / sizeof suite_kip_cases[0];
#else
const struct suite_case suite_kip_cases[1];
const unsigned suite_kip_case_count = 0;
#endif
