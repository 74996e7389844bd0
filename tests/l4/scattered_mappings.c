/* One page mapped again and again into its own space, one mapping in every
   2 MiB: each needs a page-table level of the core's own (4 KiB) besides
   its node.  The box's mapping memory (run with --mapping-memory 1M) must
   count those levels (hostile-code finding 11: the core was OOM-killed
   while its count of mappings was far below the limit): a map item is
   refused with message overflow after about 1 MiB / 4 KiB of them, and the
   box goes on. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "start_thread.h"

enum { tries = 700 };
#define FIRST 0x40000000UL /* below ia32's reserved range at 0xEE000000 */
#define STRIDE (2UL << 20)

static L4_ThreadId_t root;
static unsigned long stack[512] __attribute__((aligned(16)));

/* Takes map items anywhere in its space, from the root, for ever. */
static void receiver(void)
{
    for (;;) {
        L4_Accept(L4_MapGrantItems(L4_CompleteAddressSpace));
        L4_Receive(root);
        L4_LoadMR(0, 0);
        L4_Reply(root);
    }
}

/* Has the helper take `page` at `target`; 0 or the IPC error code. */
static L4_Word_t map_at(L4_ThreadId_t helper, L4_Fpage_t page, L4_Word_t target)
{
    L4_MapItem_t item = L4_MapItem(L4_FpageAddRights(page, L4_FullyAccessible), target);
    L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
    L4_LoadMR(1, item.raw[0]);
    L4_LoadMR(2, item.raw[1]);
    return L4_IpcFailed(L4_Call(helper)) ? L4_ErrorCode() : 0;
}

int main(void)
{
    void *kip = L4_GetKernelInterface();
    root = L4_Myself();
    L4_ThreadId_t s0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    L4_Fpage_t page = L4_Sigma0_GetAny(s0, 12);
    if (L4_IsNilFpage(page)) {
        printf("scattered mappings: sigma0 gave no page\n");
        return 1;
    }
    volatile char *own = (volatile char *)L4_Address(page);
    own[7] = 's';
    L4_ThreadId_t helper = start_thread(1, receiver, &stack[508]);
    if (L4_IsNilThread(helper))
        return 1;

    unsigned mapped = 0, wrong = 0;
    L4_Word_t error = 0;
    for (; mapped < tries; mapped++) {
        L4_Word_t target = FIRST + mapped * STRIDE;
        if ((error = map_at(helper, page, target)))
            break;
        if (((volatile char *)target)[7] != 's')
            wrong++;
    }
    printf("scattered mappings: %u mapped 2 MiB apart (%u wrong), then error %#lx\n", mapped, wrong, error);
    if (wrong || (error & 0xF) != 0x8) /* message overflow, send phase */
        return 1;
    /* The box goes on: withdraw them all, and mapping works again. */
    L4_UnmapFpage(L4_FpageAddRights(page, L4_FullyAccessible));
    int again = !map_at(helper, page, FIRST) && ((volatile char *)FIRST)[7] == 's';
    printf("scattered mappings: after unmap, mapping again: %s\n", again ? "done" : "failed");
    return again ? 0 : 1;
}
