/* hello: the smallest L4 program; prints what the kernel tells it. */
#include <l4/l4.h>
#include <l4rt/rt.h>

int main(void)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t me = L4_Myself();
    printf("hello from an L4 program (%s, %d-bit words)\n", L4_ARCH_NAME, L4_WORD_BITS);
    printf("I am thread %lu.%lu, my UTCB is at %p, the KIP at %p\n", L4_ThreadNo(me), L4_Version(me),
           (void *)L4_MyLocalId().raw, kip);
    if (L4_KipIsValid(kip)) {
        printf("kernel: %s, %lu processor(s), %lu memory descriptors\n", L4_KernelVersionString(kip),
               L4_NumProcessors(kip), L4_NumMemoryDescriptors(kip));
    }
    L4_Clock_t now = L4_SystemClock();
    printf("system clock: %llu us\n", (unsigned long long)now.raw);
    return 0;
}
