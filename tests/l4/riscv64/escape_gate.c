/* Jumps into the task stub's injection gate with registers for a Linux
   write(1, ...).  The gate's ecall stops like any other (the thread's
   seccomp filter stops every call, wherever it sits, on either trap path);
   it is not a KIP stub, so the box refuses it. */
#include <l4rt/rt.h>

int main(void)
{
    static const char msg[] = "ESCAPED: the injection gate ran a Linux call for L4 code\n";
    printf("trying the injection gate\n");
    /* Bound right before the asm: a call in between may clobber them. */
    register long a0 __asm__("a0") = 1;
    register const char* a1 __asm__("a1") = msg;
    register long a2 __asm__("a2") = sizeof msg - 1;
    register long a7 __asm__("a7") = 64; /* write */
    /* The stub's code page, its prctl (7 instructions) and first ebreak. */
    register unsigned long gate __asm__("t6") = 0x3ffe001000UL + 8 * 4;
    __asm__ volatile("jalr ra, 0(t6)" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7), "r"(gate) : "ra", "memory");
    printf("ESCAPED: returned from the gate\n");
    return 0;
}
