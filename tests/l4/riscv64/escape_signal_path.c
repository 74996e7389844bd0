/* The signal path's escape attempts (../generic_signal_path_attempts.h)
   for riscv64: the slot in s2, and a frame ready for rt_sigreturn. */
static const unsigned long stub = 0x3ffe001000UL;
static const unsigned long first_block = 0x3ff2000000UL;

#include "../generic_signal_path_attempts.h"

/* The kernel's rt_sigframe: siginfo, then the ucontext (riscv's uapi
   headers): flags, link, the alternate stack, the mask and its padding,
   the sigcontext (pc, x1-x31) and the FP state (all zero is valid). */
struct frame {
    unsigned char siginfo[128];
    unsigned long flags, link, ss_sp;
    int ss_flags, pad;
    unsigned long ss_size, mask;
    unsigned char unused[120];
    unsigned long pc __attribute__((aligned(16)));
    unsigned long x[31]; /* x1 (ra) .. x31 */
    unsigned long fp[66] __attribute__((aligned(16)));
} __attribute__((aligned(16)));
static struct frame frames[attempts];

static void jump(unsigned long target, unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2)
{
    unsigned long i = attempt_number();
    struct frame *f = &frames[i];
    unsigned long gp, tp;
    __asm__ volatile("mv %0, gp\n\tmv %1, tp" : "=r"(gp), "=r"(tp));
    f->ss_flags = 2; /* SS_DISABLE: a stack rt_sigreturn takes as it is */
    f->pc = (unsigned long)landed;
    f->x[2 - 1] = (unsigned long)&stacks[i][256]; /* sp */
    f->x[3 - 1] = gp, f->x[4 - 1] = tp;
    f->x[10 - 1] = i; /* a0 */
    register unsigned long ra0 __asm__("a0") = a0;
    register unsigned long ra1 __asm__("a1") = a1;
    register unsigned long ra2 __asm__("a2") = a2;
    register unsigned long ra3 __asm__("a3") = 0;
    register unsigned long ra7 __asm__("a7") = nr;
    register volatile unsigned long *s2 __asm__("s2") = fake_slot;
    __asm__ volatile("mv sp, %[sp]\n\tjr %[t]"
                     :
                     : [t] "r"(target), [sp] "r"(f), "r"(ra0), "r"(ra1), "r"(ra2), "r"(ra3), "r"(ra7), "r"(s2)
                     : "memory");
}

_Static_assert(__builtin_offsetof(struct frame, pc) == 128 + 176, "the sigcontext, 16-byte aligned");
_Static_assert(sizeof(struct frame) == 128 + 176 + 256 + 528, "the frame's FP state");
