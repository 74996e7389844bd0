/* Timeslices: two threads that never make a system call share the CPU
   (round robin at their priority), and the root thread's sleep timeout
   still ends while they spin (it has the higher priority); then it ends
   them and the box ends. */
#include <l4/l4.h>
#include <l4rt/rt.h>

static volatile unsigned long counts[2];
static unsigned long stacks[2][1024] __attribute__((aligned(16)));

static void spin0(void) { for (;;) counts[0]++; }
static void spin1(void) { for (;;) counts[1]++; }

int main(void)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t me = L4_Myself();
    void (*entry[2])(void) = {spin0, spin1};
    for (int i = 0; i < 2; i++) {
        stacks[i][1020] = 0; /* mapped before the spinner runs */
        counts[i] = 0;
        L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(me) + 1 + i, 1);
        void *utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + (i + 1) * L4_UtcbSize(kip);
        if (!L4_ThreadControl(t, me, me, me, utcb)) {
            printf("preemption: ThreadControl failed: %lu\n", L4_ErrorCode());
            return 1;
        }
        L4_LoadMR(0, L4_MsgTagMake(0, 2, 0).raw);
        L4_LoadMR(1, (L4_Word_t)entry[i]);
        L4_LoadMR(2, (L4_Word_t)&stacks[i][1020]);
        L4_Send(t);
    }
    /* Sleeps until both have counted: without round robin the second
       never would (the box then ends at its --timeout).  Every sleep ends
       although they spin: the root thread has the higher priority. */
    /* 200 ms is not a period the encoding holds: it rounds down to
       781 << 8 us, and the check below holds the kernel to that. */
    L4_Time_t period = L4_TimePeriod(200000);
    L4_Clock_t before = L4_SystemClock();
    unsigned sleeps = 0;
    do {
        L4_Sleep(period);
        sleeps++;
    } while (!counts[0] || !counts[1]);
    L4_Clock_t after = L4_SystemClock();
    unsigned long long slept = after.raw - before.raw;
    printf("preemption: slept %llu ms in %u sleeps while the spinners counted up and up\n", slept / 1000, sleeps);
    for (int i = 0; i < 2; i++)
        L4_ThreadControl(L4_GlobalId(L4_ThreadNo(me) + 1 + i, 1), L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
    if (slept < L4_PeriodMicroseconds(period) * sleeps) {
        printf("preemption: %llu us is less than %u sleeps of %llu us\n", slept, sleeps,
               (unsigned long long)L4_PeriodMicroseconds(period));
        return 1;
    }
    return 0;
}
