/* Calls into the vsyscall page (gettimeofday at 0xffffffffff600000), the
   one piece of Linux code every x86_64 process can reach without a
   system-call instruction of its own. */
#include <l4rt/rt.h>

int main(void)
{
    static long tv[2] = {-1, -1};
    printf("trying the vsyscall page\n");
    long r;
    __asm__ volatile("call *%1" : "=a"(r) : "r"(0xffffffffff600000UL), "D"(tv), "S"(0L) : "rcx", "r11", "memory");
    if (tv[0] != -1) printf("ESCAPED: the vsyscall page ran gettimeofday for L4 code (%ld)\n", tv[0]);
    printf("ESCAPED: returned from the vsyscall page (%ld)\n", r);
    return 0;
}
