/* Jumps into the task stub's signal path (--trap signal) with registers
   of L4 code's choosing, each from a thread of its own: the handler's three
   system-call instructions with a Linux write, and its futex instruction
   with futex calls on words that are not the thread's own slot (another
   thread's, the KIP, with the private flag, other operations).  A call the
   thread filter let through would run on into the handler's return: the
   fake slot in s2 says "running", so the handler makes its rt_sigreturn
   (which the filter allows from there) on the frame this thread laid out
   at sp, whose pc is `landed`.  Under ptrace every one of them is a system
   call outside the KIP stubs as well. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "../attempts.h"

enum { attempts = 7 };
static volatile unsigned long reached[attempts];
static unsigned long stacks[attempts][512] __attribute__((aligned(16)));
/* A slot as the handler reads it: state 1 (running), no spinning. */
static volatile unsigned long fake_slot[16] __attribute__((aligned(64))) = {1, 0};

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

static void landed(unsigned long i)
{
    reached[i] = 1;
    printf("ESCAPED: attempt %lu returned from the signal path\n", i);
    for (;;)
        L4_Sleep(L4_Never);
}

/* The calls the handler's code makes (arch/riscv64/task_stub.S). */
enum { nr_write = 64, nr_futex = 98, futex_wait = 0, futex_wake = 1, futex_requeue = 3, futex_private = 128 };
/* cmake/arch.cmake's stub base, its first page past the ELF headers; the
   offsets arch/riscv64/task_stub.S fixes; the first thread's slot. */
static const unsigned long stub = 0x3ffe001000UL;
static const unsigned long futex_insn = stub + 0x140, exit_insn = stub + 0x1a0, sigreturn_insn = stub + 0x1c4;
static const unsigned long first_block = 0x3ff2000000UL;

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

static void attempt(void)
{
    static const char msg[] = "ESCAPED: Linux wrote this for L4 code\n";
    void *kip = L4_GetKernelInterface();
    switch (attempt_number()) {
    case 0: jump(futex_insn, nr_write, 1, (unsigned long)msg, sizeof msg - 1); break;
    case 1: jump(exit_insn, nr_write, 1, (unsigned long)msg, sizeof msg - 1); break;
    case 2: jump(sigreturn_insn, nr_write, 1, (unsigned long)msg, sizeof msg - 1); break;
    case 3: jump(futex_insn, nr_futex, first_block, futex_wake, 1); break;                  /* another's slot */
    case 4: jump(futex_insn, nr_futex, (unsigned long)kip, futex_wait, 0x12345678); break;  /* not a slot */
    case 5: jump(futex_insn, nr_futex, first_block, futex_requeue, 1); break;
    case 6: jump(futex_insn, nr_futex, first_block, futex_wake | futex_private, 1); break;
    }
    printf("ESCAPED: attempt %lu came back\n", attempt_number());
}

int main(void)
{
    unsigned refused = run_attempts(attempts, attempt, stacks, reached);
    printf("escape_signal_path: %u of %d attempts refused\n", refused, attempts);
    return 0;
}


_Static_assert(__builtin_offsetof(struct frame, pc) == 128 + 176, "the sigcontext, 16-byte aligned");
_Static_assert(sizeof(struct frame) == 128 + 176 + 256 + 528, "the frame's FP state");
