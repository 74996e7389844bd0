/* Calls one entry of the vsyscall page (console input '0': gettimeofday at
   0xffffffffff600000, '1': time at +0x400, '2': getcpu at +0x800), the one
   piece of Linux code every x86_64 process can reach without a
   system-call instruction of its own.  Linux runs these entries without a
   system-call stop; the buffer they would write is this program's own,
   written first so that its page is installed writable. */
#include <l4/kdebug.h>
#include <l4rt/rt.h>

int main(void)
{
    static volatile long buffer[4];
    for (int i = 0; i < 4; ++i) buffer[i] = -1;
    L4_Word_t c = L4_KDB_ReadChar();
    int entry = c == ~(L4_Word_t)0 || (char)c < '0' || (char)c > '2' ? 0 : (char)c - '0';
    unsigned long address = 0xffffffffff600000UL + 0x400UL * (unsigned long)entry;
    printf("trying the vsyscall page at %#lx\n", address);
    long r;
    /* gettimeofday(tv, tz), time(t), getcpu(cpu, node, cache) */
    __asm__ volatile("call *%1"
                     : "=a"(r)
                     : "r"(address), "D"(&buffer[0]), "S"(entry == 2 ? &buffer[2] : 0), "d"(0L)
                     : "rcx", "r11", "memory");
    if (buffer[0] != -1 || buffer[2] != -1)
        printf("ESCAPED: the vsyscall page wrote for L4 code (%ld, %ld)\n", buffer[0], buffer[2]);
    printf("ESCAPED: returned from the vsyscall page (%ld)\n", r);
    return 0;
}
