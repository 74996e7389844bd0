/* Escape attempts, each in a thread of its own in this space (so that the
   kernel stopping one leaves the others and this thread running): thread
   number i + 1 above this one, its UTCB slot i + 1, attempt number i in its
   UTCB's thread word 0, started at `fn` on stacks[i].  After 200 ms: how
   many attempts never marked `reached`. */
#ifndef TESTS_L4_ATTEMPTS_H
#define TESTS_L4_ATTEMPTS_H

#include <l4/l4.h>
#include <l4rt/rt.h>

#include "start_thread.h"

static inline L4_Word_t attempt_number(void) { return __L4_Utcb()[L4_TCR_THREAD_WORD0]; }

static inline unsigned run_attempts(unsigned count, void (*fn)(void), unsigned long (*stacks)[512],
                                    volatile unsigned long *reached)
{
    void *kip = L4_GetKernelInterface();
    touch_own_image();
    L4_ThreadId_t me = L4_Myself();
    for (unsigned i = 0; i < count; i++) {
        L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(me) + 1 + i, 1);
        void *utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + (i + 1) * L4_UtcbSize(kip);
        L4_ThreadControl(t, me, me, L4_Pager(), utcb);
        ((L4_Word_t *)((char *)utcb + L4_UTCB_MR0_OFFSET))[L4_TCR_THREAD_WORD0] = (L4_Word_t)i;
        L4_Start_SpIp(t, (L4_Word_t)&stacks[i][508], (L4_Word_t)fn);
    }
    L4_Sleep(L4_TimePeriod(200000));
    unsigned refused = 0;
    for (unsigned i = 0; i < count; i++)
        refused += !reached[i];
    return refused;
}

#endif
