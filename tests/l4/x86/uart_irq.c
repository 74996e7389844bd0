/* An interrupt-driven UART driver: enables the receive interrupt, takes
   IRQ 4 from the kernel and reads the characters it announces. */
#include <l4/l4.h>
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

int main(void)
{
    L4_ThreadId_t irq = L4_GlobalId(4, 1);
    if (!L4_ThreadControl(irq, irq, irq, L4_Myself(), (void *)-1)) {
        printf("uart irq: association failed: %lu\n", L4_ErrorCode());
        return 1;
    }
    outb(0x3F9, 0x01); /* IER: received-data interrupt */
    unsigned interrupts = 0, n = 0;
    L4_MsgTag_t tag = L4_Receive_Timeout(irq, L4_TimePeriod(2000000));
    for (;;) {
        if (L4_IpcFailed(tag)) {
            printf("uart irq: no interrupt (error %#lx)\n", L4_ErrorCode());
            return 1;
        }
        interrupts++;
        char c = 0;
        while (inb(0x3FD) & 0x01) {
            c = (char)inb(0x3F8);
            if (c == '.')
                break;
            printf("uart irq: got '%c'\n", c);
            n++;
        }
        if (c == '.')
            break;
        L4_LoadMR(0, 0);
        tag = L4_Ipc(irq, irq, L4_Timeouts(L4_Never, L4_TimePeriod(2000000)), 0); /* ack + next */
    }
    L4_ThreadControl(irq, irq, irq, irq, (void *)-1); /* detach */
    printf("uart irq: %u characters in %s interrupts\n", n, interrupts ? "some" : "no");
    return 0;
}
