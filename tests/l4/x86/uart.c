/* Drives the 16550 UART at 0x3F8 with raw in/out like an X.2 console
   driver: prints a prompt, echoes console input until a '.', reports. */
#include <l4rt/rt.h>

static inline unsigned char inb(unsigned short port)
{
    unsigned char v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outb(unsigned short port, unsigned char v)
{
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static void uart_putc(char c)
{
    while (!(inb(0x3FD) & 0x20)) {
    }
    outb(0x3F8, (unsigned char)c);
}

static void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

int main(void)
{
    uart_puts("uart: type something, end with '.'\n");
    unsigned n = 0;
    for (;;) {
        unsigned polls = 0;
        while (!(inb(0x3FD) & 0x01)) {
            if (++polls == 1000000) {
                uart_puts("uart: no input\n");
                return 1;
            }
        }
        char c = (char)inb(0x3F8);
        if (c == '.')
            break;
        uart_puts("uart: got '");
        uart_putc(c);
        uart_puts("'\n");
        n++;
    }
    printf("uart: %u characters before the dot\n", n);
    return 0;
}
