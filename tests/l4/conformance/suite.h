/* The conformance suite's harness: named cases, checks, helper threads. */
#ifndef UMOL4_CONFORMANCE_SUITE_H
#define UMOL4_CONFORMANCE_SUITE_H

#include <l4/l4.h>
#include <l4rt/rt.h>

struct suite_case {
    const char *name;
    void (*run)(void);
};

extern unsigned suite_failures_in_case;

/* Records a failed expectation of the current case (and goes on). */
void suite_fail(const char *file, int line, const char *what, L4_Word_t got, L4_Word_t want);

#define EXPECT_EQ(got, want)                                                                 \
    do {                                                                                     \
        L4_Word_t g_ = (L4_Word_t)(got), w_ = (L4_Word_t)(want);                             \
        if (g_ != w_)                                                                        \
            suite_fail(__FILE__, __LINE__, #got " == " #want, g_, w_);                       \
    } while (0)
#define EXPECT_TRUE(cond) EXPECT_EQ(!!(cond), 1)

/* A helper thread in this space, running fn(arg) on its own stack; its
   pager is sigma0 and it starts at once (ExchangeRegisters). */
L4_ThreadId_t suite_thread(void (*fn)(L4_Word_t), L4_Word_t arg);
/* Waits until thread t of this space is blocked in IPC (sending or
   receiving): how a case lets a helper reach its blocking call, on a
   loaded machine too.  Fails the case after about two seconds. */
void suite_settle(L4_ThreadId_t t);
/* Waits (up to about two seconds) until *word holds `value`: a helper's
   report.  The case checks the word itself afterwards. */
void suite_wait_for(volatile L4_Word_t *word, L4_Word_t value);
/* Ends a helper thread (it waits forever; ids are not reused). */
void suite_park(void);

L4_ThreadId_t suite_sigma0(void);
void *suite_kip(void);

#endif
