/* The signal path's escape attempts (../generic_signal_path_attempts.h)
   for aarch64: the slot in x19, and a frame ready for rt_sigreturn. */
static const unsigned long stub = 0x7ffe00001000UL;
static const unsigned long first_block = 0x7ff002000000UL;

#include "../generic_signal_path_attempts.h"

/* The kernel's rt_sigframe: siginfo, then the ucontext (arm64's uapi
   headers): flags, link, the alternate stack, the mask and its padding,
   the sigcontext (fault address, x0-x30, sp, pc, pstate) and its records,
   of which FP/SIMD state is the one rt_sigreturn requires. */
struct frame {
    unsigned char siginfo[128];
    unsigned long flags, link, ss_sp;
    int ss_flags, pad;
    unsigned long ss_size, mask;
    unsigned char unused[120];
    unsigned long fault_address __attribute__((aligned(16)));
    unsigned long x[31], sp, pc, pstate;
    struct {
        unsigned int magic, size, fpsr, fpcr;
        unsigned long vregs[64];
    } fpsimd __attribute__((aligned(16)));
    unsigned int end[2];
    unsigned char rest[4096 - 528 - 8];
} __attribute__((aligned(16)));
static struct frame frames[attempts];

static void jump(unsigned long target, unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2)
{
    unsigned long i = attempt_number();
    struct frame *f = &frames[i];
    f->ss_flags = 2; /* SS_DISABLE: a stack rt_sigreturn takes as it is */
    f->x[0] = i;
    f->sp = (unsigned long)&stacks[i][256];
    f->pc = (unsigned long)landed;
    f->fpsimd.magic = 0x46508001, f->fpsimd.size = sizeof f->fpsimd;
    unsigned long tp;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
    fake_slot[5] = tp;
    register unsigned long x0 __asm__("x0") = a0;
    register unsigned long x1 __asm__("x1") = a1;
    register unsigned long x2 __asm__("x2") = a2;
    register unsigned long x3 __asm__("x3") = 0;
    register unsigned long x8 __asm__("x8") = nr;
    register volatile unsigned long *x19 __asm__("x19") = fake_slot;
    __asm__ volatile("mov sp, %[sp]\n\tbr %[t]"
                     :
                     : [t] "r"(target), [sp] "r"(f), "r"(x0), "r"(x1), "r"(x2), "r"(x3), "r"(x8), "r"(x19)
                     : "memory");
}

_Static_assert(__builtin_offsetof(struct frame, fault_address) == 128 + 176, "the sigcontext, 16-byte aligned");
_Static_assert(__builtin_offsetof(struct frame, fpsimd) == 128 + 464, "its records");
