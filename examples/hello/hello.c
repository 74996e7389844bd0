/* hello: the default root task.  Prints what the kernel tells it, touches
   its own memory (page faults served by sigma0 through the kernel) and asks
   sigma0 for a page explicitly. */
#include <l4/l4.h>
#include <l4rt/rt.h>

static char scratch[64 * 1024]; /* 16 pages of bss, untouched until main */

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

    /* Every page of scratch faults once; sigma0 maps it. */
    for (unsigned i = 0; i < sizeof scratch; i += 4096)
        scratch[i] = (char)(i >> 12);
    unsigned long sum = 0;
    for (unsigned i = 0; i < sizeof scratch; i += 4096)
        sum += (unsigned char)scratch[i];
    printf("touched %u pages of memory (checksum %lu)\n", (unsigned)(sizeof scratch / 4096), sum);

    /* An explicit sigma0 request: any free 4 KiB page, mapped where sigma0
       has it (virtual = physical). */
    L4_ThreadId_t sigma0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    L4_Fpage_t page = L4_Sigma0_GetAny(sigma0, 12);
    if (L4_IsNilFpage(page)) {
        printf("sigma0 refused a page\n");
        return 1;
    }
    volatile unsigned long *p = (volatile unsigned long *)L4_Address(page);
    *p = 0x4C34;
    printf("sigma0 gave me the page at %#lx (%lu bytes); it holds %#lx\n", L4_Address(page), L4_Size(page), *p);

    L4_Clock_t now = L4_SystemClock();
    printf("system clock: %llu us; goodbye\n", (unsigned long long)now.raw);
    return 0;
}
