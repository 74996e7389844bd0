/* A thread far-jumps into the other x86 mode (an ia32 task to 64-bit code,
   an amd64 task to 32-bit code), raises an exception there, is sent by
   its handler's reply (every word 0 but the IP) into a loop, spins while
   the core preempts it, and is deleted.  The core must read and write its
   registers whatever the mode (hostile-code findings 3 and 4: the box
   ended with "get registers: Invalid argument", or the registers came
   back garbled).  Then the root task says so and ends. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "../start_thread.h"

/* Code that means the same in both modes: ud2 (0F 0B), jmp . (EB FE). */
extern char other_mode[], spin_here[];
__asm__(".text\n"
        ".globl other_mode\nother_mode: ud2\n"
        ".globl spin_here\nspin_here: jmp spin_here\n");

static unsigned long stack[1024] __attribute__((aligned(16)));
static L4_ThreadId_t root;

static void switcher(void)
{
    L4_Set_ExceptionHandler(root);
#if defined(__x86_64__)
    static struct {
        unsigned int offset;
        unsigned short selector;
    } __attribute__((packed)) target = {0, 0x23}; /* 32-bit user code */
    target.offset = (unsigned int)(unsigned long)other_mode;
    __asm__ volatile("ljmpl *%0" : : "m"(target));
#else
    __asm__ volatile("ljmp $0x33, $other_mode"); /* 64-bit user code */
#endif
}

int main(void)
{
    root = L4_Myself();
    /* The root thread pages the switcher and handles its exception: what
       the switcher touches is mapped before, so only the exception comes. */
    L4_ThreadId_t t = start_thread(1, switcher, &stack[1020]);
    if (L4_IsNilThread(t))
        return 1;

    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    L4_Word_t words[64] = {0};
    unsigned n = (unsigned)L4_UntypedWords(tag);
    L4_StoreMRs(1, (int)n, words);
    printf("mode switch: exception at ip %#lx in the other mode (%u words)\n", words[0], n);
    for (unsigned i = 0; i < n; i++)
        words[i] = 0;
    words[0] = (L4_Word_t)spin_here;
    L4_LoadMR(0, L4_MsgTagMake(0, (int)n, 0).raw);
    L4_LoadMRs(1, (int)n, words);
    L4_Reply(from);

    for (int i = 0; i < 5; i++) /* the spinner runs, preempted at each slice */
        L4_Sleep(L4_TimePeriod(20000));
    if (!L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1)) {
        printf("mode switch: deleting the thread failed: %lu\n", L4_ErrorCode());
        return 1;
    }
    printf("mode switch: it spun in the other mode and was deleted\n");
    return 0;
}
