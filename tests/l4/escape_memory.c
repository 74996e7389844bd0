/* Memory an L4 program must never reach, each tried by a thread of its own:
   writing the KIP, writing (or running data in) the pages the host keeps in
   every task, writing the task stub, and touching memory no pager gave. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "attempts.h"

enum { attempts = 6 };
static volatile unsigned long reached[attempts];
static unsigned long stacks[attempts][512] __attribute__((aligned(16)));
static unsigned long host_low; /* the host's reserved range, from the KIP */

/* Where each arch's task stub is linked (cmake/arch.cmake). */
#if defined(__x86_64__) || defined(__aarch64__)
static const unsigned long task_stub = 0x7ffe00000000UL;
#elif defined(__riscv)
static const unsigned long task_stub = 0x3ffe000000UL;
#else
static const unsigned long task_stub = 0xEF000000UL;
#endif

static void attempt(int which)
{
    volatile unsigned char *kip = L4_GetKernelInterface();
    switch (which) {
    case 0: kip[0x10] = 0; break;                                        /* the KIP */
    case 1: *(volatile unsigned char *)host_low = 0xC3; break;           /* the KIP stubs */
    case 2: *(volatile unsigned long *)(host_low + 4096) = 0; break;     /* thread-pointer words */
    case 3: ((void (*)(void))(host_low + 2 * 4096))(); break;            /* data of the batch page */
    case 4: *(volatile unsigned char *)task_stub = 0; break;             /* the task stub */
    case 5: (void)*(volatile unsigned long *)0x30000000UL; break;        /* beyond physical memory */
    }
    reached[which] = 1;
    printf("ESCAPED: attempt %d went through\n", which);
    for (;;)
        L4_Sleep(L4_Never);
}

static void attempt_from_utcb(void) { attempt((int)attempt_number()); }

int main(void)
{
    void *kip = L4_GetKernelInterface();
    for (L4_Word_t i = 0; i < L4_NumMemoryDescriptors(kip); i++) {
        const L4_MemoryDesc_t *d = L4_MemoryDesc(kip, i);
        if (L4_IsMemoryDescVirtual(d) && L4_MemoryDescType(d) == L4_ReservedMemoryType && L4_MemoryDescLow(d) >= 0xC0000000UL)
            host_low = L4_MemoryDescLow(d);
    }
    unsigned refused = run_attempts(attempts, attempt_from_utcb, stacks, reached);
    printf("escape_memory: %u of %d attempts refused\n", refused, attempts);
    return 0;
}
