/* Tries a Linux write(1, ...) with the `syscall` instruction from L4 code.
   The box must refuse it: the text never appears, the thread is stopped. */
#include <l4rt/rt.h>

int main(void)
{
    static const char msg[] = "ESCAPED: Linux executed a system call for L4 code\n";
    long ret;
    printf("trying syscall\n");
    __asm__ volatile("syscall" : "=a"(ret) : "a"(1L), "D"(1L), "S"(msg), "d"(sizeof msg - 1) : "rcx", "r11", "memory");
    printf("ESCAPED: syscall returned %ld\n", ret);
    return 0;
}
