/* Two threads of one space take single pages from sigma0 in turn until it
   has none left: every page given splits sigma0's free memory by owner
   (hostile-code finding 16: its fixed table of 4096 regions filled after
   4087 pages and it then refused every split for the whole box).  Prints
   how many pages each got and why the last request was refused. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "start_thread.h"

static L4_ThreadId_t root, helper, s0;
static unsigned long helper_stack[1024] __attribute__((aligned(4096)));

/* On each call: one page for itself, then the reply says whether it got
   one. */
static void taker(void)
{
    for (;;) {
        L4_Accept(L4_UntypedWordsAcceptor);
        L4_Receive(root);
        L4_Fpage_t got = L4_Sigma0_GetAny(s0, 12);
        L4_LoadMR(0, L4_MsgTagMake(0, 1, 0).raw);
        L4_LoadMR(1, L4_IsNilFpage(got) ? 0 : 1);
        L4_Reply(root);
    }
}

static int helper_takes_one(void)
{
    L4_LoadMR(0, 0);
    L4_Call(helper);
    L4_Word_t got;
    L4_StoreMR(1, &got);
    return (int)got;
}

int main(void)
{
    void *kip = L4_GetKernelInterface();
    root = L4_Myself();
    s0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    helper = start_thread(1, taker, &helper_stack[1020]);
    if (L4_IsNilThread(helper))
        return 1;
    unsigned long mine = 0, its = 0;
    for (;;) {
        L4_Fpage_t got = L4_Sigma0_GetAny(s0, 12);
        if (L4_IsNilFpage(got)) break;
        ++mine;
        if (!helper_takes_one()) break;
        ++its;
    }
    printf("alternating: %lu + %lu pages (%lu KiB) taken in turn\n", mine, its, (mine + its) * 4);
    return 0;
}
