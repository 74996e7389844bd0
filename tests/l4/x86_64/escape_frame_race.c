/* A thread that races the core on another thread's context (--trap
   signal): in a second space, one thread calls the kernel without end
   while a sibling writes random words over its block, the slot and the
   signal frame the core reads and writes.  Whatever that does to the
   caller or to the space, the core must stand and this root task must run
   on: at worst that space is lost.  Under ptrace the block is not there
   and the writer faults in the host's range. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "../second_space.h"

/* arch/x86_64/linux.cpp: the first thread of a task has the first block. */
static const unsigned long first_block = 0x7ff002000000UL, block_bytes = 0x8000;
static unsigned long stacks[2][2048] __attribute__((aligned(4096)));

static void call_forever(void)
{
    report_ready();
    for (;;)
        (void)L4_SystemClock();
}

static void scribble_forever(void)
{
    unsigned long x = 88172645463325252UL;
    volatile unsigned long *block = (volatile unsigned long *)first_block;
    report_ready();
    for (;;) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        unsigned long at = (x >> 8) % (block_bytes / 8);
        /* Half of the writes go to the slot's first words: state, spin,
           signal number, siginfo and frame pointers. */
        if (x & 1)
            at %= 6;
        block[at] = (x & 2) ? x : (x & 0xff);
    }
}

int main(void)
{
    for (unsigned s = 0; s < 2; s++)
        for (unsigned i = 0; i < 2048; i += 512)
            stacks[s][i] = 0;
    L4_ThreadId_t caller = start_in_second_space(1, call_forever, &stacks[0][2000]);
    if (L4_IsNilThread(caller) || !serve_faults_until_ready(caller))
        return 1;
    L4_ThreadId_t me = L4_Myself(), writer = L4_GlobalId(L4_ThreadNo(me) + 2, 1);
    void *kip = L4_GetKernelInterface();
    if (!L4_ThreadControl(writer, caller, me, me, (void *)(0xBF000000UL + L4_UtcbSize(kip)))) {
        printf("escape_frame_race: the writer thread failed: %lu\n", L4_ErrorCode());
        return 1;
    }
    send_startup(writer, scribble_forever, &stacks[1][2000]);
    if (!serve_faults_until_ready(writer))
        return 1;
    /* The race runs while this thread sleeps; how far it got when this one
       runs again does not matter: the box's outcome must be the same. */
    L4_Sleep(L4_TimePeriod(1000000));
    printf("escape_frame_race: the root task still runs\n");
    /* The caller may still run (ptrace): deleted, the box can end. */
    L4_ThreadControl(writer, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
    L4_ThreadControl(caller, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
    return 0;
}
