/* Exception IPC (amd64 layout: 19 words, number in MR19; ia32: 12 words,
   number in MR3): a second thread of the root task (created with
   ThreadControl, started by a startup message) handles the root thread's
   invalid-opcode exception and moves its IP past the ud2. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "../start_thread.h"

static unsigned long handler_stack[1024] __attribute__((aligned(16)));

static void handler(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    L4_Word_t words[64];
    L4_StoreMRs(1, (int)L4_UntypedWords(tag), words);
    L4_Word_t number = L4_UntypedWords(tag) == 19 ? words[18] : words[2];
    printf("handler: exception %lu at ip %#lx (label %#lx, %lu words)\n", number, words[0],
           L4_Label(tag) >> 4 << 4 & 0xFFFF, L4_UntypedWords(tag));
    words[0] += 2; /* skip the 2-byte ud2 */
    L4_LoadMR(0, L4_MsgTagMake(0, L4_UntypedWords(tag), 0).raw);
    L4_LoadMRs(1, (int)L4_UntypedWords(tag), words);
    L4_Reply(from);
    L4_Sleep(L4_Never);
}

int main(void)
{
    /* The handler's pager is this thread, which will be waiting for the
       handler's reply: everything the handler touches (its stack, the
       format strings) is mapped before. */
    printf("starting the exception handler thread\n");
    L4_ThreadId_t h = start_thread(1, handler, &handler_stack[1022]);
    if (L4_IsNilThread(h))
        return 1;
    L4_Set_ExceptionHandler(h);
    __asm__ volatile("ud2");
    printf("survived ud2\n");
    return 0;
}
