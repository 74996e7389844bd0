/* Segment state the CPU lets a thread load but Linux does not let a
   tracer write: an fs base in the kernel half (amd64, wrfsbase) and a null
   fs selector with RPL 1.  A system call made while holding them returns;
   the base is still the thread's (the selector may come back as 0: a
   return to user mode by iret nulls it, as the CPU does on a real
   machine) (hostile-code findings 1 and 2: the core
   wrote the whole register set back and ended the box with "ptrace set
   registers: Input/output error"). */
#include <l4/l4.h>
#include <l4rt/rt.h>

int main(void)
{
#if defined(__x86_64__)
    unsigned long kernel_half = 0xffff800000000000UL, base;
    __asm__ volatile("wrfsbase %0" : : "r"(kernel_half));
    L4_SystemClock();
    __asm__ volatile("rdfsbase %0" : "=r"(base));
    __asm__ volatile("wrfsbase %0" : : "r"(0UL));
    printf("segments: a kernel-half fs base across a system call: %s\n", base == kernel_half ? "kept" : "lost");
#endif
    unsigned short selector = 1;
    __asm__ volatile("mov %0, %%fs" : : "r"(selector));
    L4_SystemClock();
    unsigned short none = 0;
    __asm__ volatile("mov %0, %%fs" : : "r"(none));
    printf("segments: a null fs selector with RPL 1 across a system call: returned\n");
    return 0;
}
