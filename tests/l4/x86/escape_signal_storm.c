/* Random jumps into the task stub (the gates and the signal path's code),
   with every register random: round after round, a thread in a fresh
   second space loads every register (sixteen on x86_64, eight on ia32)
   with random words and jumps to a random byte of the stub's code.  An
   ia32 thread lands in the 64-bit handler's bytes in 32-bit mode, and in
   the 64-bit gate, which takes it to 64-bit mode.  Whatever each jump does to that thread or space, the
   core must stand, nothing may reach Linux, and this root task runs on.
   The seed is the first line of console input (default 1); prints
   "signal storm: N rounds (seed S)". */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "../seed.h"

#include "../second_space.h"

enum { rounds = 150 };
static unsigned long long state;
static unsigned long stack[2048] __attribute__((aligned(4096)));

#if defined(__x86_64__)
/* cmake/arch.cmake: the stub's code page; arch/x86/signal_handler64.S */
static const unsigned long stub = 0x7ffe00001000UL, code_bytes = 0x190;
enum { nregs = 15 };
static unsigned long regs[nregs + 2]; /* rax..r15 but rsp, rsp, the target */

static void jump(void)
{
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "pop %%rax\n\tpop %%rbx\n\tpop %%rcx\n\tpop %%rdx\n\tpop %%rsi\n\tpop %%rdi\n\tpop %%rbp\n\t"
                     "pop %%r8\n\tpop %%r9\n\tpop %%r10\n\tpop %%r11\n\tpop %%r12\n\tpop %%r13\n\tpop %%r14\n\t"
                     "pop %%r15\n\tpop %%rsp\n\t"
                     "jmp *%1" ::"r"(regs), "m"(regs[nregs + 1]) : "memory");
}
#else
/* The signal path and, past it, the 64-bit gate (arch/ia32/task_stub.S). */
static const unsigned long stub = 0xEF001000UL, code_bytes = 0x1c8;
enum { nregs = 7 };
static unsigned long regs[nregs + 2]; /* eax..ebp but esp, esp, the target */

static void jump(void)
{
    __asm__ volatile("mov %0, %%esp\n\t"
                     "pop %%eax\n\tpop %%ebx\n\tpop %%ecx\n\tpop %%edx\n\tpop %%esi\n\tpop %%edi\n\tpop %%ebp\n\t"
                     "pop %%esp\n\t"
                     "jmp *%1" ::"r"(regs), "m"(regs[nregs + 1]) : "memory");
}
#endif

static unsigned long rnd(void)
{
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return (unsigned long)state;
}

int main(void)
{
    unsigned seed = read_seed();
    state = 0x9E3779B97F4A7C15ULL * (seed ? seed : 1);
    for (unsigned i = 0; i < 2048; i += 512)
        stack[i] = 0;
    unsigned made = 0;
    for (unsigned r = 0; r < rounds; r++) {
        for (unsigned i = 0; i < nregs; i++)
            regs[i] = (rnd() & 1) ? rnd() : (rnd() & 0xff);
        regs[nregs] = (rnd() & 1) ? (unsigned long)&stack[1024 + rnd() % 512] : rnd();  /* the stack */
        /* Mostly the signal path, else the gates. */
        regs[nregs + 1] = stub + ((rnd() & 3) ? 0x100 + rnd() % (code_bytes - 0x100) : rnd() % 0x40);
        /* A fresh space each round (thread numbers apart): whatever the last
           jump did to its space is gone with it. */
        L4_ThreadId_t t = start_in_second_space(1 + r, jump, &stack[2000]);
        if (L4_IsNilThread(t))
            break;
        made++;
        serve_faults(64, 20000); /* a jump may fault on one page for ever */
        L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
    }
    printf("signal storm: %u rounds (seed %u)\n", made, seed ? seed : 1);
    return 0;
}
