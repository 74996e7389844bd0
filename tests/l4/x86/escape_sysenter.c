/* Tries `sysenter` from L4 code: Linux's fast system-call entry for 32-bit
   code, invalid in 64-bit mode; it must not reach Linux either way. */
#include <l4rt/rt.h>

int main(void)
{
    printf("trying sysenter\n");
    __asm__ volatile("mov $20, %%eax; sysenter" ::: "eax", "ecx", "edx", "memory");
    printf("ESCAPED: sysenter returned\n");
    return 0;
}
