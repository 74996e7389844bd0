/* Jumps into the task stub's signal path (--trap signal) with registers of
   L4 code's choosing, each from a thread of its own: the handler's three
   system-call instructions with a Linux write, and its futex instruction
   with futex calls on words that are not the thread's own slot (another
   thread's, the KIP, with the private flag, other operations).  A call the
   thread filter let through would run on into the handler's return, which
   lands in `landed` (the fake slot in rbx says "running").  Under ptrace
   every one of them is a system call outside the KIP stubs as well. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "../attempts.h"

enum { attempts = 7 };
static volatile unsigned long reached[attempts];
static unsigned long stacks[attempts][512] __attribute__((aligned(16)));
/* A slot as the stub reads it: state 1 (running), no spinning. */
static volatile unsigned long fake_slot[8] __attribute__((aligned(64))) = {1, 0};

/* cmake/arch.cmake's stub base, its first page past the ELF headers, and
   the offsets arch/x86_64/task_stub.S fixes. */
static const unsigned long stub = 0x7ffe00001000UL;
static const unsigned long futex_insn = stub + 0x140, exit_insn = stub + 0x170, sigreturn_insn = stub + 0x185;
static const unsigned long first_block = 0x7ff002000000UL; /* the first thread's slot */
enum { nr_write = 1, nr_futex = 202, futex_wait = 0, futex_wake = 1, futex_requeue = 3, futex_private = 128 };

static L4_Word_t which(void) { return attempt_number(); }

static void landed(void)
{
    reached[which()] = 1;
    printf("ESCAPED: attempt %lu returned from the signal path\n", which());
    for (;;)
        L4_Sleep(L4_Never);
}

static void jump(unsigned long target, unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2)
{
    /* The handler's `ret` would pop `landed` from this stack. */
    unsigned long *sp = &stacks[which()][256];
    sp[0] = (unsigned long)landed;
    register unsigned long r10 __asm__("r10") = 0;
    __asm__ volatile("mov %[sp], %%rsp\n\tjmp *%[t]"
                     :
                     : [t] "r"(target), [sp] "r"(sp), "a"(nr), "D"(a0), "S"(a1), "d"(a2), "b"(fake_slot), "r"(r10)
                     : "memory");
}

static void attempt(void)
{
    static const char msg[] = "ESCAPED: Linux wrote this for L4 code\n";
    void *kip = L4_GetKernelInterface();
    switch (which()) {
    case 0: jump(futex_insn, nr_write, 1, (unsigned long)msg, sizeof msg - 1); break;
    case 1: jump(exit_insn, nr_write, 1, (unsigned long)msg, sizeof msg - 1); break;
    case 2: jump(sigreturn_insn, nr_write, 1, (unsigned long)msg, sizeof msg - 1); break;
    case 3: jump(futex_insn, nr_futex, first_block, futex_wake, 1); break;                  /* another's slot */
    case 4: jump(futex_insn, nr_futex, (unsigned long)kip, futex_wait, 0x12345678); break;  /* not a slot */
    case 5: jump(futex_insn, nr_futex, first_block, futex_requeue, 1); break;
    case 6: jump(futex_insn, nr_futex, first_block, futex_wake | futex_private, 1); break;
    }
    printf("ESCAPED: attempt %lu came back\n", which());
}

int main(void)
{
    unsigned refused = run_attempts(attempts, attempt, stacks, reached);
    printf("escape_signal_path: %u of %d attempts refused\n", refused, attempts);
    return 0;
}
