/* A misaligned load with the AC flag set (alignment checking in user
   mode): the thread's exception handler gets exception 17 (#AC) at the
   load, not its pager a page fault at address 0 (hostile-code finding 17).
   The handler moves the IP past the 2-byte load; the thread clears AC
   itself (no exception reply may change it) and goes on. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "../start_thread.h"

static unsigned long handler_stack[1024] __attribute__((aligned(16)));
static unsigned char buffer[16] __attribute__((aligned(16)));
extern char misaligned_load[];

static void handler(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    L4_Word_t words[64];
    L4_StoreMRs(1, (int)L4_UntypedWords(tag), words);
    L4_Word_t number = L4_UntypedWords(tag) == 19 ? words[18] : words[2];
    printf("alignment: exception %lu %s\n", number,
           words[0] == (L4_Word_t)misaligned_load ? "at the misaligned load" : "elsewhere");
    words[0] += 2;
    L4_LoadMR(0, L4_MsgTagMake(0, L4_UntypedWords(tag), 0).raw);
    L4_LoadMRs(1, (int)L4_UntypedWords(tag), words);
    L4_Reply(from);
    L4_Sleep(L4_Never);
}

int main(void)
{
    L4_ThreadId_t h = start_thread(1, handler, &handler_stack[1022]);
    if (L4_IsNilThread(h))
        return 1;
    L4_Set_ExceptionHandler(h);
    unsigned char *address = buffer + 1;
    unsigned value;
#if defined(__x86_64__)
    __asm__ volatile("pushfq\n\torq $0x40000, (%%rsp)\n\tpopfq\n\t"
                     ".globl misaligned_load\nmisaligned_load: movl (%1), %0\n\t" /* mov (%rcx), %eax: 8b 01 */
                     "pushfq\n\tandq $~0x40000, (%%rsp)\n\tpopfq"
                     : "=a"(value) : "c"(address) : "memory", "cc");
#else
    __asm__ volatile("pushfl\n\torl $0x40000, (%%esp)\n\tpopfl\n\t"
                     ".globl misaligned_load\nmisaligned_load: movl (%1), %0\n\t"
                     "pushfl\n\tandl $~0x40000, (%%esp)\n\tpopfl"
                     : "=a"(value) : "c"(address) : "memory", "cc");
#endif
    (void)value;
    printf("alignment: the thread went on past the load\n");
    return 0;
}
