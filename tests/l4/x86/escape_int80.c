/* Tries a Linux write(1, ...) with `int $0x80` (the 32-bit entry) from L4 code. */
#include <l4rt/rt.h>

int main(void)
{
    static const char msg[] = "ESCAPED: Linux executed int $0x80 for L4 code\n";
    long ret;
    printf("trying int $0x80\n");
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(4L), "b"(1L), "c"(msg), "d"(sizeof msg - 1) : "memory");
    printf("ESCAPED: int $0x80 returned %ld\n", ret);
    return 0;
}
