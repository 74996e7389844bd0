/* Threads that sleep for different periods, call each other and read the
   system clock: the order of their lines and every clock value they print
   depend on timing.  Under --deterministic, two runs print the same. */
#include <l4/l4.h>
#include <l4rt/rt.h>

enum { workers = 3, rounds = 6 };
static L4_ThreadId_t root;
static unsigned long stacks[workers][1024] __attribute__((aligned(4096)));
static unsigned long long start;

static unsigned long long clock_us(void) { return L4_SystemClock().raw - start; }

static void worker(void)
{
    L4_Word_t k;
    L4_LoadMR(0, L4_MsgTagMake(1, 0, 0).raw);
    L4_Call(root); /* root answers with our number */
    L4_StoreMR(1, &k);
    for (int i = 0; i < rounds; i++) {
        L4_Sleep(L4_TimePeriod(1000 * (k + 1) + 300 * i));
        printf("worker %lu round %d at %llu us\n", k, i, clock_us());
        L4_LoadMR(0, L4_MsgTagMake(2, 1, 0).raw);
        L4_LoadMR(1, k);
        L4_Call(root);
    }
    L4_LoadMR(0, L4_MsgTagMake(3, 1, 0).raw);
    L4_LoadMR(1, k);
    L4_Send(root);
    for (;;) L4_Sleep(L4_Never);
}

extern char __executable_start[], _end[];

int main(void)
{
    /* Workers must not fault on our pages: sigma0 serves only their owner. */
    for (volatile char *p = __executable_start; p < _end; p += 4096)
        (void)*p;
    void *kip = L4_GetKernelInterface();
    root = L4_Myself();
    start = L4_SystemClock().raw;
    L4_ThreadId_t s0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    L4_ThreadId_t w[workers];
    for (unsigned k = 0; k < workers; k++) {
        w[k] = L4_GlobalId(L4_ThreadNo(root) + 1 + k, 1);
        void *utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + (k + 1) * L4_UtcbSize(kip);
        stacks[k][1020] = 0;
        if (!L4_ThreadControl(w[k], root, root, s0, utcb)) return 1;
        L4_Start_SpIp(w[k], (L4_Word_t)&stacks[k][1020], (L4_Word_t)worker);
    }
    unsigned started = 0, ended = 0, calls = 0;
    while (ended < workers) {
        L4_ThreadId_t from;
        L4_MsgTag_t tag = L4_Wait(&from);
        unsigned k = 0;
        while (k < workers && w[k].raw != L4_GlobalIdOf(from).raw) k++;
        if (L4_Label(tag) == 1) {
            started++;
            L4_LoadMR(0, L4_MsgTagMake(0, 1, 0).raw);
            L4_LoadMR(1, k);
            L4_Reply(from);
        } else if (L4_Label(tag) == 2) {
            calls++;
            printf("root: call %u from worker %u at %llu us\n", calls, k, clock_us());
            L4_LoadMR(0, 0);
            L4_Reply(from);
        } else {
            ended++;
        }
    }
    printf("deterministic: %u workers, %u calls, ended at %llu us\n", started, calls, clock_us());
    return 0;
}
