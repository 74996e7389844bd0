/* Branches into the task stub's injection gate with registers for a Linux
   write(1, ...).  Under PTRACE_SYSEMU the gate's svc traps like any other;
   it is not a KIP stub, so the box refuses it. */
#include <l4rt/rt.h>

int main(void)
{
    static const char msg[] = "ESCAPED: the injection gate ran a Linux call for L4 code\n";
    printf("trying the injection gate\n");
    /* Bound right before the asm: a call in between may clobber them. */
    register long x0 __asm__("x0") = 1;
    register const char* x1 __asm__("x1") = msg;
    register long x2 __asm__("x2") = sizeof msg - 1;
    register long x8 __asm__("x8") = 64; /* write */
    register unsigned long gate __asm__("x16") = 0x7ffe00001000UL + 4; /* stub _start (brk; its own page after the headers) + 4 */
    __asm__ volatile("blr x16" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x8), "r"(gate) : "x30", "memory");
    printf("ESCAPED: returned from the gate\n");
    return 0;
}
