/* Jumps into the task stub's signal path (--trap signal) with registers of
   L4 code's choosing, each from a thread of its own: the handler's three
   system-call instructions with a Linux write, and its futex instruction
   with futex calls on words that are not the thread's own slot (another
   thread's, the KIP, with the private flag, other operations).  A call the
   thread filter let through would run on into the handler's return, which
   lands in `landed` (the fake slot in rbx says "running").  An ia32 thread
   gets there in 64-bit mode (a far jump of its own, as the handler's code
   is 64-bit), and also tries the ia32 stub's 64-bit gate.  Under ptrace
   every one of them is a system call outside the KIP stubs as well. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "../attempts.h"

static volatile unsigned long reached[8];
static unsigned long stacks[8][512] __attribute__((aligned(16)));
/* A slot as the stub reads it: state 1 (running), no spinning. */
static volatile unsigned long fake_slot[16] __attribute__((aligned(64))) = {1, 0};

static L4_Word_t which(void) { return attempt_number(); }

static void landed(void)
{
    reached[which()] = 1;
    printf("ESCAPED: attempt %lu returned from the signal path\n", which());
    for (;;)
        L4_Sleep(L4_Never);
}

/* The x86_64 calls the handler's code makes (arch/x86/signal_handler64.S). */
enum { nr_write = 1, nr_futex = 202, futex_wait = 0, futex_wake = 1, futex_requeue = 3, futex_private = 128 };

#if defined(__x86_64__)
enum { attempts = 7 };
/* cmake/arch.cmake's stub base, its first page past the ELF headers, and
   the offsets arch/x86/signal_handler64.S fixes. */
static const unsigned long stub = 0x7ffe00001000UL;
static const unsigned long first_block = 0x7ff002000000UL; /* the first thread's slot */

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
#else
enum { attempts = 8 };
/* cmake/arch.cmake, arch/ia32/task_stub.S and arch/ia32/linux.cpp. */
static const unsigned long stub = 0xEF001000UL, gate64_syscall = 0xEF001000UL + 0x1b8;
static const unsigned long first_block = 0xF0000000UL;

/* The handler's `ret` (64-bit) would land here, and come back to 32-bit
   code by the far pointer above its return address. */
__asm__(".pushsection .text\n"
        ".code64\n"
        "landed64:\n\tljmpl *(%rsp)\n"
        ".code32\n"
        ".popsection");
extern char landed64[];

/* {target, nr, rdi, rsi, rdx, rbx, rsp}: loaded in 64-bit mode. */
static volatile unsigned long regs64[8][7];

static void jump(unsigned long target, unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2)
{
    unsigned long *sp = &stacks[which()][256];
    sp[0] = (unsigned long)landed64, sp[1] = 0;    /* an 8-byte return address */
    sp[2] = (unsigned long)landed, sp[3] = 0x23; /* landed64's far pointer: 32-bit code */
    volatile unsigned long *r = regs64[which()];
    r[0] = target, r[1] = nr, r[2] = a0, r[3] = a1, r[4] = a2, r[5] = (unsigned long)fake_slot;
    r[6] = (unsigned long)sp;
    __asm__ volatile("ljmp $0x33, $1f\n"
                     ".code64\n"
                     "1:\tmov %%ecx, %%ecx\n\t"
                     "movl 4(%%rcx), %%eax\n\tmovl 8(%%rcx), %%edi\n\tmovl 12(%%rcx), %%esi\n\t"
                     "movl 16(%%rcx), %%edx\n\tmovl 20(%%rcx), %%ebx\n\tmovl 24(%%rcx), %%esp\n\t"
                     "xor %%r10d, %%r10d\n\tmovl (%%rcx), %%ecx\n\tjmp *%%rcx\n"
                     ".code32"
                     :
                     : "c"(r)
                     : "memory");
}
#endif
static const unsigned long futex_insn = stub + 0x140, exit_insn = stub + 0x170, sigreturn_insn = stub + 0x185;

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
#if !defined(__x86_64__)
    case 7: jump(gate64_syscall, nr_write, 1, (unsigned long)msg, sizeof msg - 1); break; /* the ia32 stub's 64-bit gate */
#endif
    }
    printf("ESCAPED: attempt %lu came back\n", which());
}

int main(void)
{
    unsigned refused = run_attempts(attempts, attempt, stacks, reached);
    printf("escape_signal_path: %u of %d attempts refused\n", refused, attempts);
    return 0;
}
