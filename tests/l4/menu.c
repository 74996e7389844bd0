/* A root task with an interactive console menu, the way X.2 test programs
   read their terminal (kernel-debugger ReadChar_Blocked): run it with
   `--console-input FILE` to drive it from a script. */
#include <l4/l4.h>
#include <l4rt/rt.h>

static unsigned long pong_stack[1024] __attribute__((aligned(16)));
static volatile char scratch[8 * 4096] __attribute__((aligned(4096)));

/* The next choice: the first character of a line.  Past the end of the
   input the read waits for good; 0 if it reports the end (all ones: a
   thread resumed there by ExchangeRegisters). */
static char read_choice(void)
{
    char first = 0;
    for (;;) {
        L4_Word_t c = L4_KDB_ReadChar_Blocked();
        if (c == ~(L4_Word_t)0 || (c & 0xFF) == 0xFF) return first ? first : 0;
        if ((char)c == '\n') {
            if (first) return first;
            continue;
        }
        if (!first) first = (char)c;
    }
}

static void pong(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        (void)tag;
        L4_LoadMR(0, 0);
        tag = L4_ReplyWait(from, &from);
    }
}

static void show_kip(void)
{
    void *kip = L4_GetKernelInterface();
    printf("menu: KIP at %p, API version %#lx, %lu processor(s), %lu memory descriptors\n", kip,
           L4_ApiVersion(kip), L4_NumProcessors(kip), L4_NumMemoryDescriptors(kip));
}

static void ping(void)
{
    static L4_ThreadId_t partner;
    if (L4_IsNilThread(partner)) {
        void *kip = L4_GetKernelInterface();
        L4_ThreadId_t me = L4_Myself();
        partner = L4_GlobalId(L4_ThreadNo(me) + 1, 1);
        void *utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + L4_UtcbSize(kip);
        pong_stack[1020] = 0;
        if (!L4_ThreadControl(partner, me, me, L4_Pager(), utcb)) {
            printf("menu: ThreadControl failed: %lu\n", L4_ErrorCode());
            return;
        }
        L4_Start_SpIp(partner, (L4_Word_t)&pong_stack[1020], (L4_Word_t)pong);
    }
    unsigned ok = 0;
    for (int i = 0; i < 3; i++) {
        L4_LoadMR(0, 0);
        ok += !L4_IpcFailed(L4_Call(partner));
    }
    printf("menu: ping: %u of 3 round trips\n", ok);
}

static void touch_memory(void)
{
    unsigned long sum = 0;
    for (unsigned i = 0; i < sizeof scratch; i += 4096) {
        scratch[i] = (char)(i / 4096 + 1);
        sum += (unsigned long)scratch[i];
    }
    printf("menu: touched %lu pages (checksum %lu)\n", (unsigned long)(sizeof scratch / 4096), sum);
}

int main(void)
{
    for (;;) {
        printf("menu: [1] kernel interface  [2] ping a thread  [3] touch memory  [q] quit\n");
        char c = read_choice();
        switch (c) {
        case '1': show_kip(); break;
        case '2': ping(); break;
        case '3': touch_memory(); break;
        case 'q': printf("menu: bye\n"); return 0;
        case 0: printf("menu: end of input\n"); return 0;
        default: printf("menu: no choice '%c'\n", c); break;
        }
    }
}
