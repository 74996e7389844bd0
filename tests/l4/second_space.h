/* A second address space with one thread, this thread its pager: created
   inactive, its KIP and UTCB areas set (as pingpong's), started at `fn` on
   `stack_top`, and its page faults served with this task's own pages until
   it says it is ready.  Returns the nil thread after printing what failed.
   (The thread's code and stack must be in this program's image.) */
#ifndef TESTS_L4_SECOND_SPACE_H
#define TESTS_L4_SECOND_SPACE_H

#include <l4/l4.h>
#include <l4rt/pager.h>
#include <l4rt/rt.h>

#include "start_thread.h"

static inline L4_ThreadId_t start_in_second_space(unsigned offset, void (*fn)(void), void *stack_top)
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(me) + offset, 1);
    L4_Word_t ok = L4_ThreadControl(t, t, me, L4_nilthread, (void *)~0UL);
    ok = ok && L4_SpaceControl(t, 0, L4_FpageLog2(0xBFF00000, 12), L4_FpageLog2(0xBF000000, 14), L4_nilthread, 0);
    ok = ok && L4_ThreadControl(t, t, me, me, (void *)0xBF000000);
    if (!ok) {
        printf("second space: creating it failed: %lu\n", L4_ErrorCode());
        return L4_nilthread;
    }
    send_startup(t, fn, stack_top);
    return t;
}

/* Its page faults (from any thread that names this one as pager), until
   none comes for `quiet_us`, or `most` were served. */
static inline void serve_faults(unsigned most, L4_Word64_t quiet_us)
{
    for (unsigned n = 0; n < most; n++) {
        L4_ThreadId_t from;
        L4_MsgTag_t tag = L4_Wait_Timeout(L4_TimePeriod(quiet_us), &from);
        if (L4_IpcFailed(tag))
            return;
        L4_Word_t addr;
        L4_StoreMR(1, &addr);
        l4rt_load_same_page_reply(addr);
        L4_Reply(from);
    }
}

/* The label of the message by which a thread says it has touched every
   page it needs from here on: waiting for it, not for a quiet time, keeps
   a slow host from leaving a fault unserved. */
enum { ready_label = 0x5ead };

/* In a thread whose pager is this program's first thread. */
static inline void report_ready(void)
{
    L4_LoadMR(0, L4_MsgTagMake(ready_label, 0, 0).raw);
    (void)L4_Call(L4_Pager());
}

/* Page faults of any thread, until `t` reports ready (answered then).
   Returns 0 after printing what failed. */
static inline int serve_faults_until_ready(L4_ThreadId_t t)
{
    for (;;) {
        L4_ThreadId_t from;
        L4_MsgTag_t tag = L4_Wait(&from);
        if (L4_IpcFailed(tag)) {
            printf("second space: waiting for a fault or ready failed: %lu\n", L4_ErrorCode());
            return 0;
        }
        if (L4_Label(tag) == ready_label && from.raw == t.raw) {
            L4_LoadMR(0, 0);
            L4_Reply(from);
            return 1;
        }
        L4_Word_t addr;
        L4_StoreMR(1, &addr);
        l4rt_load_same_page_reply(addr);
        L4_Reply(from);
    }
}

#endif
