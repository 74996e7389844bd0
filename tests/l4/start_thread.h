/* A second thread in a test program's own space: thread number `offset`
   above this one, its UTCB `offset` slots above this one's, this thread
   its pager and scheduler, started by a startup message at `fn` on
   `stack_top`.  Every page of the program is touched first: the new thread
   may fault while this thread waits for something else from it (a reply,
   an exception message), and sigma0 gives the image's pages to this
   thread alone.  Prints what failed and returns the nil thread. */
#ifndef TESTS_L4_START_THREAD_H
#define TESTS_L4_START_THREAD_H

#include <l4/l4.h>
#include <l4rt/rt.h>

static inline void touch_own_image(void)
{
    extern char __executable_start[], _end[];
    for (volatile char *p = __executable_start; p < _end; p += 4096)
        (void)*p;
}

/* The startup message of a new thread whose pager we are: IP and SP. */
static inline void send_startup(L4_ThreadId_t t, void (*fn)(void), void *stack_top)
{
    L4_LoadMR(0, L4_MsgTagMake(0, 2, 0).raw);
    L4_LoadMR(1, (L4_Word_t)fn);
    L4_LoadMR(2, (L4_Word_t)stack_top);
    L4_Send(t);
}

static inline L4_ThreadId_t start_thread(unsigned offset, void (*fn)(void), void *stack_top)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(me) + offset, 1);
    touch_own_image();
    void *utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + offset * L4_UtcbSize(kip);
    if (!L4_ThreadControl(t, me, me, me, utcb)) {
        printf("start thread: ThreadControl failed: %lu\n", L4_ErrorCode());
        return L4_nilthread;
    }
    send_startup(t, fn, stack_top);
    return t;
}

#endif
