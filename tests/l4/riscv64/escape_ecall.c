/* Tries a Linux write(1, ...) with `ecall` from L4 code.  The thread's
   seccomp filter stops it before Linux runs it; it is not in a KIP stub, so
   the box refuses it: the text never appears, the thread is stopped. */
#include <l4rt/rt.h>

int main(void)
{
    static const char msg[] = "ESCAPED: Linux executed a system call for L4 code\n";
    printf("trying ecall\n");
    /* Bound right before the asm: a call in between may clobber them. */
    register long a0 __asm__("a0") = 1;
    register const char* a1 __asm__("a1") = msg;
    register long a2 __asm__("a2") = sizeof msg - 1;
    register long a7 __asm__("a7") = 64; /* write */
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    printf("ESCAPED: ecall returned %ld\n", a0);
    return 0;
}
