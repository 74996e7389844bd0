/* Branches into the task stub's signal path (--trap signal) with registers
   of L4 code's choosing, each from a thread of its own: the handler's three
   system-call instructions with a Linux write, and its futex instruction
   with futex calls on words that are not the thread's own slot (another
   thread's, the KIP, with the private flag, other operations).  A call the
   thread filter let through would run on into the handler's return: the
   fake slot in x19 says "running", so the handler makes its rt_sigreturn
   (which the filter allows from there) on the frame this thread laid out
   at sp, whose pc is `landed`.  Under ptrace every one of them is a system
   call outside the KIP stubs as well. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "../attempts.h"

enum { attempts = 7 };
static volatile unsigned long reached[attempts];
static unsigned long stacks[attempts][512] __attribute__((aligned(16)));
/* A slot as the handler reads it: state 1 (running), no spinning; word 5
   is the thread register it loads (set to the thread's own). */
static volatile unsigned long fake_slot[16] __attribute__((aligned(64))) = {1, 0};

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

static void landed(unsigned long i)
{
    reached[i] = 1;
    printf("ESCAPED: attempt %lu returned from the signal path\n", i);
    for (;;)
        L4_Sleep(L4_Never);
}

/* The calls the handler's code makes (arch/aarch64/task_stub.S). */
enum { nr_write = 64, nr_futex = 98, futex_wait = 0, futex_wake = 1, futex_requeue = 3, futex_private = 128 };
/* cmake/arch.cmake's stub base, its first page past the ELF headers; the
   offsets arch/aarch64/task_stub.S fixes; the first thread's slot. */
static const unsigned long stub = 0x7ffe00001000UL;
static const unsigned long futex_insn = stub + 0x140, exit_insn = stub + 0x1a0, sigreturn_insn = stub + 0x1c4;
static const unsigned long first_block = 0x7ff002000000UL;

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

_Static_assert(__builtin_offsetof(struct frame, fault_address) == 128 + 176, "the sigcontext, 16-byte aligned");
_Static_assert(__builtin_offsetof(struct frame, fpsimd) == 128 + 464, "its records");
