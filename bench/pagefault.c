/* Page-fault benchmark, run as a root task inside UMOL4: touches fresh pages
   that its pager (sigma0) maps one fault at a time, then writes to each
   (the core resolves those faults itself: the page was installed read-only
   to note the write in its access status).  Prints nanoseconds per page. */
#include <l4/l4.h>
#include <l4rt/rt.h>

enum { pages = 4096 };
#define AREA 0x3000000UL /* 48 MB: conventional memory nobody touched yet */

static unsigned long long now_us(void) { return L4_SystemClock().raw; }

int main(void)
{
    volatile char *area = (volatile char *)AREA;
    unsigned long sum = 0;
    unsigned long long t0 = now_us();
    for (unsigned long i = 0; i < pages; i++) sum += area[i * 4096];
    unsigned long long t1 = now_us();
    for (unsigned long i = 0; i < pages; i++) area[i * 4096] = 1;
    unsigned long long t2 = now_us();
    printf("pagefault pager-served read fault: %lu ns per page (%d pages, sum %lu)\n",
           (unsigned long)((t1 - t0) * 1000 / pages), pages, sum);
    printf("pagefault core-resolved write after read: %lu ns per page\n", (unsigned long)((t2 - t1) * 1000 / pages));
    return 0;
}
