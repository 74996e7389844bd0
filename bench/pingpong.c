/* IPC ping-pong benchmark, run as a root task inside UMOL4: call/reply
   round trips to a thread in the same space and to a thread in another
   space (whose pages this task maps to it as its pager), with 0 and 8
   untyped words, and a null system call first.  Prints one line per case. */
#include <l4/l4.h>
#include <l4rt/pager.h>
#include <l4rt/rt.h>

enum { rounds = 4000, ready_label = 0x1234 };

static L4_ThreadId_t pinger;          /* shared with the pong threads */
static L4_Word_t words;               /* untyped words per message */
static unsigned long stack_local[2048] __attribute__((aligned(4096)));
static unsigned long stack_remote[2048] __attribute__((aligned(4096)));

static void pong(void)
{
    L4_LoadMR(0, L4_MsgTagMake(ready_label, 0, 0).raw);
    L4_Call(pinger);
    for (;;) {
        L4_LoadMR(0, L4_MsgTagMake(0, words, 0).raw);
        L4_ReplyWait(pinger, 0);
    }
}

static void start(L4_ThreadId_t t, unsigned long *stack, unsigned long words_of_stack)
{
    L4_LoadMR(0, L4_MsgTagMake(0, 2, 0).raw);
    L4_LoadMR(1, (L4_Word_t)pong);
    L4_LoadMR(2, (L4_Word_t)&stack[words_of_stack - 2]);
    L4_Send(t);
}

/* Serves the partner's page faults with our own pages until it reports. */
static void serve_until_ready(L4_ThreadId_t t)
{
    for (;;) {
        L4_MsgTag_t tag = L4_Receive(t);
        if (L4_IpcFailed(tag)) {
            printf("pingpong: receive failed, error %#lx\n", L4_ErrorCode());
            l4rt_exit(1);
        }
        if (L4_Label(tag) == ready_label)
            return; /* its Call now waits for our first ping */
        if ((L4_Label(tag) >> 4) == (L4_PAGEFAULT_LABEL >> 4)) {
            L4_Word_t addr;
            L4_StoreMR(1, &addr);
            l4rt_load_same_page_reply(addr);
            L4_Reply(t);
        }
    }
}

static void measure(const char *name, L4_ThreadId_t t)
{
    for (L4_Word_t w = 0; w <= 8; w += 8) {
        words = w;
        L4_Clock_t begin = L4_SystemClock();
        for (unsigned i = 0; i < rounds; i++) {
            L4_LoadMR(0, L4_MsgTagMake(0, w, 0).raw);
            L4_MsgTag_t tag = L4_Call(t);
            if (L4_IpcFailed(tag)) {
                printf("pingpong: call failed, error %#lx\n", L4_ErrorCode());
                l4rt_exit(1);
            }
        }
        L4_Clock_t end = L4_SystemClock();
        unsigned long long ns = (end.raw - begin.raw) * 1000ULL / rounds;
        printf("pingpong %s %lu words: %llu.%03llu us per round trip (%u rounds)\n", name, w, ns / 1000, ns % 1000,
               rounds);
    }
}

/* A null system call: SystemClock, which the kernel answers at once. */
static void measure_null_call(void)
{
    enum { calls = 20000 };
    L4_Clock_t begin = L4_SystemClock();
    for (unsigned i = 0; i < calls; i++)
        (void)L4_SystemClock();
    L4_Clock_t end = L4_SystemClock();
    unsigned long long ns = (end.raw - begin.raw) * 1000ULL / calls;
    printf("syscall null system call (SystemClock): %llu.%03llu us per call (%u calls)\n", ns / 1000, ns % 1000,
           calls);
}

int main(void)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t me = L4_Myself();
    pinger = me;
    measure_null_call();
    L4_Word_t utcb_size = L4_UtcbSize(kip);
    /* Everything the pong threads touch is mapped here first, so that it
       can be mapped to them (and the local one never faults). */
    for (unsigned i = 0; i < 2048; i += 512) {
        stack_local[i] = 0;
        stack_remote[i] = 0;
    }

    L4_ThreadId_t local = L4_GlobalId(L4_ThreadNo(me) + 1, 1);
    void *local_utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + utcb_size;
    if (!L4_ThreadControl(local, me, me, me, local_utcb)) {
        printf("pingpong: ThreadControl (local) failed: %lu\n", L4_ErrorCode());
        return 1;
    }
    start(local, stack_local, 2048);
    serve_until_ready(local);
    measure("same space", local);

    /* Another space: created inactive, areas set, activated with us as pager. */
    L4_ThreadId_t remote = L4_GlobalId(L4_ThreadNo(me) + 2, 1);
    L4_Word_t ok = L4_ThreadControl(remote, remote, me, L4_nilthread, (void *)~0UL);
    ok = ok && L4_SpaceControl(remote, 0, L4_FpageLog2(0xBFF00000, 12), L4_FpageLog2(0xBF000000, 14), L4_nilthread, 0);
    ok = ok && L4_ThreadControl(remote, remote, me, me, (void *)0xBF000000);
    if (!ok) {
        printf("pingpong: creating the second space failed: %lu\n", L4_ErrorCode());
        return 1;
    }
    start(remote, stack_remote, 2048);
    serve_until_ready(remote);
    measure("two spaces", remote);
    if (L4_NumProcessors(kip) > 1) {
        /* The partner on the second virtual CPU: every message crosses. */
        L4_Set_ProcessorNo(local, 1);
        measure("same space, across CPUs,", local);
        L4_Set_ProcessorNo(remote, 1);
        measure("two spaces, across CPUs,", remote);
    }
    return 0;
}
