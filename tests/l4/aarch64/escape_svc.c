/* Tries a Linux write(1, ...) with `svc #0` from L4 code.  Under
   PTRACE_SYSEMU it stops before Linux sees it; it is not in a KIP stub, so
   the box refuses it: the text never appears, the thread is stopped. */
#include <l4rt/rt.h>

int main(void)
{
    static const char msg[] = "ESCAPED: Linux executed a system call for L4 code\n";
    printf("trying svc\n");
    /* Bound right before the asm: a call in between may clobber them. */
    register long x0 __asm__("x0") = 1;
    register const char* x1 __asm__("x1") = msg;
    register long x2 __asm__("x2") = sizeof msg - 1;
    register long x8 __asm__("x8") = 64; /* write */
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x8) : "memory");
    printf("ESCAPED: svc returned %ld\n", x0);
    return 0;
}
