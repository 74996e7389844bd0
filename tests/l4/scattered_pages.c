/* Touches 600 pages two apart (no two of them can share a Linux mapping),
   writes a pattern into each, then reads every page back twice.  Under a
   small --map-budget the core must drop the task's cached mappings many
   times; the pages come back without asking sigma0 and keep their data. */
#include <l4rt/rt.h>

enum { pages = 600, stride = 2 * 4096 };
#define AREA 0x2000000UL /* 32 MB: conventional memory, mapped by sigma0 on faults */

static unsigned long pattern(unsigned long i, unsigned long word) { return (i * 2654435761UL) ^ (word << 7) ^ 0x5a5a; }

int main(void)
{
    for (unsigned long i = 0; i < pages; i++) {
        volatile unsigned long *p = (volatile unsigned long *)(AREA + i * stride);
        p[0] = pattern(i, 0);
        p[511] = pattern(i, 511);
    }
    unsigned long bad = 0;
    for (int round = 0; round < 2; round++)
        for (unsigned long i = 0; i < pages; i++) {
            volatile unsigned long *p = (volatile unsigned long *)(AREA + i * stride);
            if (p[0] != pattern(i, 0) || p[511] != pattern(i, 511)) bad++;
        }
    printf("scattered pages: %d pages written and read back twice, %lu wrong\n", pages, bad);
    return bad ? 1 : 0;
}
