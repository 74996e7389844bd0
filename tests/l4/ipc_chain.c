/* A chain of queued senders: thread k sends to thread k-1 and then
   receives from any thread, so each waits in the previous one's sender
   queue; thread 0 (main) then receives.  Every message of the chain is
   delivered in that one receive, each sender taking the next one's message
   in its own receive phase.  The core must not recurse with the chain's
   length (hostile-code finding 12): the box runs under a small stack. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "start_thread.h"

enum { links = 250, stack_words = 256 };

static L4_ThreadId_t root;
static unsigned long stacks[links + 1][stack_words] __attribute__((aligned(16)));
static volatile L4_Word_t got[links + 1];

static L4_ThreadId_t thread(unsigned k) { return L4_GlobalId(L4_ThreadNo(root) + k, 1); }

static void link_of_chain(void)
{
    unsigned k = (unsigned)(L4_ThreadNo(L4_Myself()) - L4_ThreadNo(root));
    L4_LoadMR(0, L4_MsgTagMake(0, 1, 0).raw);
    L4_LoadMR(1, k);
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Ipc(thread(k - 1), L4_anythread, L4_Timeouts(L4_Never, L4_Never), &from);
    L4_Word_t w = ~(L4_Word_t)0;
    if (!L4_IpcFailed(tag))
        L4_StoreMR(1, &w);
    got[k] = w;
    L4_Sleep(L4_Never);
}

/* Whether thread t is blocked in its send phase (ExchangeRegisters'
   returned control word: bit 2 sending, bit 1 receiving, bit 0 halted). */
static int sending(L4_ThreadId_t t)
{
    L4_Word_t ctl, sp, ip, flags, handle;
    L4_ThreadId_t pager;
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &ctl, &sp, &ip, &flags, &handle, &pager);
    return (ctl & 4) != 0;
}

int main(void)
{
    root = L4_Myself();
    for (unsigned k = 1; k <= links; k++)
        if (L4_IsNilThread(start_thread(k, link_of_chain, &stacks[k][stack_words - 4])))
            return 1;
    for (unsigned k = 1; k <= links; k++)
        while (!sending(thread(k)))
            L4_Sleep(L4_TimePeriod(1000)); /* they run below this thread's priority */
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    L4_Word_t first = 0;
    L4_StoreMR(1, &first);
    unsigned right = !L4_IpcFailed(tag) && first == 1;
    for (unsigned k = 1; k < links; k++) {
        while (!got[k]) /* each reports when it runs again, below this thread's priority */
            L4_Sleep(L4_TimePeriod(1000));
        right += got[k] == k + 1;
    }
    printf("ipc chain: %u of %u messages delivered along the chain\n", right, (unsigned)links);
    return right == links ? 0 : 1;
}
