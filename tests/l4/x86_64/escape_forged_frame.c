/* A thread of a second space hands rt_sigreturn a frame of its own at the
   task stub's restorer: every signal masked (the core's preemption signal
   too), no alternate stack, and a loop to run.  Under --trap signal the
   core must still take the CPU back from it (here: this thread of the same
   priority runs again) and whatever becomes of that space's task process,
   only that space may be lost: this root task runs on and reports.  Under
   ptrace the jump is a system call outside the KIP stubs. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "../second_space.h"

static const unsigned long restorer = 0x7ffe00001000UL + 0x180; /* arch/x86_64/task_stub.S */
static unsigned long stack[2048] __attribute__((aligned(4096)));
/* The kernel's x86_64 ucontext: flags, link, stack {sp, flags, size}, the
   sigcontext's 23 words, the FP state pointer, 8 reserved, the mask. */
static unsigned long frame[64] __attribute__((aligned(64)));
enum { uc_stack_flags = 3, gregs = 5, reg_rsp = 15, reg_rip = 16, reg_efl = 17, reg_csgsfs = 18, mask = 37 };

static void spin_forever(void)
{
    for (;;)
        __asm__ volatile("" ::: "memory");
}

static void forge(void)
{
    frame[0] = 2 | 4;           /* UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
    frame[uc_stack_flags] = 2;  /* SS_DISABLE */
    frame[gregs + reg_rsp] = (unsigned long)&stack[1024];
    frame[gregs + reg_rip] = (unsigned long)spin_forever;
    frame[gregs + reg_efl] = 0x202;
    frame[gregs + reg_csgsfs] = 0x33 | 0x2bUL << 48;
    frame[mask] = ~0UL;
    report_ready();
    /* rt_sigreturn finds the ucontext at the stack pointer (the handler's
       return popped the restorer's address above it). */
    __asm__ volatile("mov %0, %%rsp\n\tjmp *%1" ::"r"(frame), "r"(restorer) : "memory");
}

int main(void)
{
    for (unsigned i = 0; i < 2048; i += 512)
        stack[i] = 0;
    frame[0] = 0;
    L4_ThreadId_t forger = start_in_second_space(1, forge, &stack[2000]);
    if (L4_IsNilThread(forger) || !serve_faults_until_ready(forger))
        return 1;
    /* Same priority, one CPU: this runs only if the forger lost the CPU. */
    L4_Sleep(L4_TimePeriod(300000));
    printf("escape_forged_frame: the root task still runs\n");
    return 0;
}
