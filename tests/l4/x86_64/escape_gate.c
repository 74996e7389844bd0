/* Jumps into the task stub's injection gate with registers for a Linux
   write(1, ...).  Under PTRACE_SYSEMU the gate's syscall traps like any
   other; it is not a KIP stub, so the box refuses it. */
#include <l4rt/rt.h>

int main(void)
{
    static const char msg[] = "ESCAPED: the injection gate ran a Linux call for L4 code\n";
    const unsigned long gate = 0x7ffe00001000UL + 1; /* stub _start (int3; its own page after the headers) + 1 */
    printf("trying the injection gate\n");
    __asm__ volatile("call *%4" ::"a"(1L), "D"(1L), "S"(msg), "d"(sizeof msg - 1), "r"(gate) : "rcx", "r11", "memory");
    printf("ESCAPED: returned from the gate\n");
    return 0;
}
