/* One Unmap over some hundred thousand mappings must not hold the core
   (hostile-code finding 10: 64 whole-space fpages over two million
   mappings took 8 s in one call, and timeouts, slices and signals waited).
   A 4 MB region is mapped into 192 windows of this space; a thread of
   higher priority wakes from short sleeps while one Flush withdraws them
   all: it must wake again and again during that single call. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "map_window.h"
#include "start_thread.h"

enum { region_log2 = 22, windows = 192 };
#define WINDOWS 0x40000000UL /* 192 x 4 MB = 768 MB of windows in the 1 GB fpage from here */

static L4_ThreadId_t root;
static unsigned long stacks[2][512] __attribute__((aligned(16)));
static volatile unsigned long wakeups;

static void sleeper(void)
{
    for (;;) {
        L4_Sleep(L4_TimePeriod(200));
        wakeups++;
    }
}

int main(void)
{
    void *kip = L4_GetKernelInterface();
    root = map_window_root = L4_Myself();
    L4_ThreadId_t s0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    L4_Fpage_t region = L4_Sigma0_GetAny(s0, region_log2);
    if (L4_IsNilFpage(region)) {
        printf("unmap preemption: sigma0 has no 4 MB region\n");
        return 1;
    }
    L4_ThreadId_t helper = start_thread(1, map_window_receiver, &stacks[0][508]);
    if (L4_IsNilThread(helper))
        return 1;
    for (unsigned w = 0; w < windows; w++)
        if (map_into_window(helper, region, WINDOWS + ((L4_Word_t)w << region_log2))) {
            printf("unmap preemption: map item %u refused: %#lx\n", w, L4_ErrorCode());
            return 1;
        }
    /* The sleeper keeps the priority of new threads (100); this thread
       goes below it, so the sleeper runs whenever its timeout ends. */
    L4_ThreadId_t t = start_thread(2, sleeper, &stacks[1][508]);
    if (L4_IsNilThread(t) || !L4_Set_Priority(root, 50))
        return 1;
    while (!wakeups)
        L4_Sleep(L4_TimePeriod(1000));

    /* One call: every window at once (1 GB holds them). */
    unsigned long before = wakeups;
    L4_Fpage_t all = L4_FpageAddRights(L4_FpageLog2(WINDOWS, 30), L4_FullyAccessible);
    L4_Flush(all);
    unsigned long during = wakeups - before;
    unsigned long mappings = (unsigned long)windows << (region_log2 - 12);
    printf("unmap preemption: %lu mappings flushed in one call; a thread of higher priority woke %lu times meanwhile\n",
           mappings, during);
    /* The windows are empty: mapping into the first works again. */
    int again = !map_into_window(helper, region, WINDOWS);
    volatile char *own = (volatile char *)L4_Address(region), *first = (volatile char *)WINDOWS;
    own[9] = 'u';
    printf("unmap preemption: mapping again: %s\n", again && first[9] == 'u' ? "done" : "failed");
    int ok = during >= 2 && again && first[9] == 'u'; /* once, after the call, is all a call that holds the core allows */
    if (!L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1) ||
        !L4_ThreadControl(helper, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1)) {
        printf("unmap preemption: deleting the threads failed: ErrorCode %lu (%#lx, %#lx)\n", L4_ErrorCode(), t.raw,
               helper.raw);
        return 1;
    }
    return ok ? 0 : 1;
}
