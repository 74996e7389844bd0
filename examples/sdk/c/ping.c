/* ping: an L4 root task of one's own, built against the installed UMOL4
   SDK (docs/getting-started.md).  A second thread asks the root thread to
   add numbers (IPC: call and reply), then writes into pages nobody has
   mapped yet: its page faults come to the root thread, which is its pager
   and maps them. */
#include <l4/l4.h>
#include <l4rt/pager.h>
#include <l4rt/rt.h>

enum { label_add = 0x100, label_done = 0x101, lazy_pages = 4 };

static char lazy[lazy_pages * 4096] __attribute__((aligned(4096)));
static L4_Word_t worker_stack[1024] __attribute__((aligned(16)));
static L4_ThreadId_t root;

static void worker(void)
{
    for (L4_Word_t i = 1; i <= 3; i++) {
        L4_LoadMR(0, L4_MsgTagMake(label_add, 2, 0).raw);
        L4_LoadMR(1, i);
        L4_LoadMR(2, 10 * i);
        L4_MsgTag_t tag = L4_Call(root);
        L4_Word_t sum = 0;
        L4_StoreMR(1, &sum);
        printf("worker: %lu + %lu = %lu%s\n", i, 10 * i, sum, L4_IpcFailed(tag) ? " (IPC failed)" : "");
    }
    for (unsigned p = 0; p < lazy_pages; p++)
        lazy[p * 4096] = (char)('a' + p); /* a page fault each, to our pager */
    L4_LoadMR(0, L4_MsgTagMake(label_done, 0, 0).raw);
    L4_Send(root);
    for (;;)
        L4_Sleep(L4_Never);
}

/* The worker: the next thread number, the next UTCB slot, this thread its
   scheduler and pager, started by a startup message (IP, SP). */
static L4_ThreadId_t start_worker(void)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(root) + 1, 1);
    void *utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + L4_UtcbSize(kip);
    if (!L4_ThreadControl(t, root, root, root, utcb)) {
        printf("ping: ThreadControl failed with error %lu\n", L4_ErrorCode());
        return L4_nilthread;
    }
    L4_LoadMR(0, L4_MsgTagMake(0, 2, 0).raw);
    L4_LoadMR(1, (L4_Word_t)worker);
    L4_LoadMR(2, (L4_Word_t)&worker_stack[1024]);
    L4_Send(t);
    return t;
}

int main(void)
{
    root = L4_Myself();
    printf("ping: a root task with a second thread (%s)\n", L4_ARCH_NAME);
    if (L4_IsNilThread(start_worker()))
        return 1;
    unsigned faults = 0;
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        if (L4_IpcFailed(tag)) {
            printf("ping: IPC failed with error %lu\n", L4_ErrorCode());
            return 1;
        }
        L4_Word_t label = L4_Label(tag);
        if ((label >> 4) == (L4_PAGEFAULT_LABEL >> 4)) { /* a page fault: the access in the low bits */
            L4_Word_t address;
            L4_StoreMR(1, &address);
            /* Touched the way the worker did (read, or read and write the
               same value back): the page is ours from sigma0 now, and the
               reply maps it to the worker, our space too. */
            volatile char *p = (volatile char *)address;
            char v = *p;
            if (label & 2)
                *p = v;
            l4rt_load_same_page_reply(address);
            if (address - (L4_Word_t)lazy < sizeof lazy)
                faults++; /* (the worker's code and stack may fault too) */
        } else if (label == label_add) {
            L4_Word_t a, b;
            L4_StoreMR(1, &a);
            L4_StoreMR(2, &b);
            L4_LoadMR(0, L4_MsgTagMake(0, 1, 0).raw);
            L4_LoadMR(1, a + b);
        } else if (label == label_done) {
            break;
        } else {
            printf("ping: unexpected message, label %#lx\n", label);
            return 1;
        }
        tag = L4_ReplyWait(from, &from);
    }
    printf("ping: served %u page faults in the worker's lazy pages; it wrote \"%c%c%c%c\"\n", faults, lazy[0], lazy[4096],
           lazy[2 * 4096], lazy[3 * 4096]);
    return faults == lazy_pages ? 0 : 1;
}
