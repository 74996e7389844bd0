/* Tries `sysenter` from 64-bit L4 code (invalid in long mode on every CPU
   Linux/x86_64 runs on; it must not reach Linux either way). */
#include <l4rt/rt.h>

int main(void)
{
    printf("trying sysenter\n");
    __asm__ volatile("mov $20, %%eax; sysenter" ::: "rax", "rcx", "rdx", "r11", "memory");
    printf("ESCAPED: sysenter returned\n");
    return 0;
}
