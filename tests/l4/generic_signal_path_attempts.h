/* Jumps into the task stub's signal path (--trap signal) on the arches
   whose handlers share one layout (aarch64, riscv64: their task_stub.S),
   each from a thread of its own: the handler's three system-call
   instructions with a Linux write, and its futex instruction with futex
   calls on words that are not the thread's own slot (another thread's, the
   KIP, with the private flag, other operations).  A call the thread filter
   let through would run on into the handler's return: the fake slot says
   "running", so the handler makes its rt_sigreturn (which the filter allows
   from there) on the frame the arch's jump laid out at sp, whose pc is
   `landed`.  Under ptrace every one of them is a system call outside the
   KIP stubs as well.  Before including: `stub` (cmake/arch.cmake's stub
   base, its first page past the ELF headers) and `first_block` (the first
   thread's slot). */
#ifndef TESTS_L4_GENERIC_SIGNAL_PATH_ATTEMPTS_H
#define TESTS_L4_GENERIC_SIGNAL_PATH_ATTEMPTS_H

#include <l4/l4.h>
#include <l4rt/rt.h>

#include "attempts.h"

enum { attempts = 7 };
static volatile unsigned long reached[attempts];
static unsigned long stacks[attempts][512] __attribute__((aligned(16)));
/* A slot as the handler reads it: state 1 (running), no spinning. */
static volatile unsigned long fake_slot[16] __attribute__((aligned(64))) = {1, 0};

/* Linux's generic call numbers, which the handlers' code makes. */
enum { nr_write = 64, nr_futex = 98, futex_wait = 0, futex_wake = 1, futex_requeue = 3, futex_private = 128 };
static const unsigned long futex_insn = stub + 0x140, exit_insn = stub + 0x1a0, sigreturn_insn = stub + 0x1c4;

static void landed(unsigned long i)
{
    reached[i] = 1;
    printf("ESCAPED: attempt %lu returned from the signal path\n", i);
    for (;;)
        L4_Sleep(L4_Never);
}

/* The arch's: the call's registers, `fake_slot` in the handler's slot
   register, sp at a frame for rt_sigreturn that lands in `landed` with the
   attempt's number as its argument, and a branch to `target`. */
static void jump(unsigned long target, unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2);

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

#endif
