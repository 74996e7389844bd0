/* Exception IPC (amd64 layout: 19 words, number in MR19; ia32: 12 words,
   number in MR3): a second thread of the root task (created with
   ThreadControl, started by a startup message) handles the root thread's
   invalid-opcode exception and moves its IP past the ud2. */
#include <l4/l4.h>
#include <l4rt/rt.h>

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
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t h = L4_GlobalId(L4_ThreadNo(me) + 1, 1);
    /* The handler's pager is this thread, which will be waiting for the
       handler's reply: everything the handler touches (its stack, the
       format strings) must be mapped before. */
    extern char __executable_start[], _end[];
    for (volatile char *p = __executable_start; p < _end; p += 4096)
        (void)*p;
    printf("starting the exception handler thread\n");
    void *utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + L4_UtcbSize(kip);
    if (!L4_ThreadControl(h, me, me, me, utcb)) {
        printf("ThreadControl failed: %lu\n", L4_ErrorCode());
        return 1;
    }
    L4_LoadMR(0, L4_MsgTagMake(0, 2, 0).raw);
    L4_LoadMR(1, (L4_Word_t)handler);
    L4_LoadMR(2, (L4_Word_t)&handler_stack[1022]);
    L4_Send(h);
    L4_Set_ExceptionHandler(h);
    __asm__ volatile("ud2");
    printf("survived ud2\n");
    return 0;
}
