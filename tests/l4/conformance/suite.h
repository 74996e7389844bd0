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
   receiving): how a case lets a helper reach its blocking call.  The waits
   below have no bound of real time (a loaded host may run a helper much
   later); what never happens ends with the box's --timeout, and a wait
   that takes long says so on the console first. */
void suite_settle(L4_ThreadId_t t);
/* Waits until *word holds `value`: a helper's report. */
void suite_wait_for(volatile L4_Word_t *word, L4_Word_t value);
/* Waits until *word no longer holds `from`; returns 1 (it never returns
   otherwise). */
int suite_wait_for_change(volatile L4_Word_t *word, L4_Word_t from);
/* Whether the KIP's kernel descriptor lists the feature string `name`. */
int suite_has_feature(const char *name);
/* Whether the box runs on the virtual clock (umol4 run --deterministic,
   the KIP's feature "virtualclock"): only there does the clock bound how
   late a thread runs, so only there are upper bounds of time checked. */
int suite_virtual_clock(void);
/* EXPECT_TRUE(elapsed < bound), on the virtual clock only. */
#define EXPECT_SOON(elapsed, bound)                                 \
    do {                                                            \
        if (suite_virtual_clock()) EXPECT_TRUE((elapsed) < (bound)); \
    } while (0)
/* Ends a helper thread (it waits forever; ids are not reused). */
void suite_park(void);

/* Maps the page at `from` to the page at `window` of this space with
   `rights`, through the suite's map server; 0: the message arrived, else its IPC error.  Called
   by one thread only (the cases' own). */
L4_Word_t suite_map_page(L4_Word_t from, L4_Word_t window, L4_Word_t rights);

L4_ThreadId_t suite_sigma0(void);
void *suite_kip(void);

#endif
