/* Two threads that are each other's pager, each receiving a string into a
   buffer nobody maps: A's string fault goes to B, then B's string fault
   goes to A, which takes it for its pager's reply, copies again, faults
   again to B, which takes that for its reply, and so on (hostile-code
   finding 12: the core recursed once per round and its stack overflowed).
   The rounds must go on without holding the core: this thread keeps
   running meanwhile, and the transfer timeouts end both transfers. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "start_thread.h"

#define NOWHERE 0x50000000UL /* never mapped: neither A nor B maps anything */

static L4_ThreadId_t root, a, b;
static unsigned long stacks[4][512] __attribute__((aligned(16)));
static volatile L4_Word_t a_result = ~0UL, b_result = ~0UL, b_got_fault;
static char text[64] = "a string for a buffer nobody maps";

static L4_Time_t ms(unsigned n) { return L4_TimePeriod(1000ULL * n); }

/* Receives a string from `from` into NOWHERE; 0, or the error code. */
static L4_Word_t receive_into_nowhere(L4_ThreadId_t from)
{
    L4_StringItem_t buffer = L4_StringItem(sizeof text, (void *)NOWHERE);
    L4_LoadBR(0, L4_StringItemsAcceptor.raw);
    L4_LoadBR(1, buffer.raw[0]);
    L4_LoadBR(2, buffer.raw[1]);
    L4_Set_XferTimeouts(L4_Timeouts(ms(200), ms(200)));
    L4_MsgTag_t tag = L4_Receive(from);
    return L4_IpcFailed(tag) ? L4_ErrorCode() : 0;
}

/* Waits for this thread's go, then sends a string to `to`. */
static void send_string(L4_ThreadId_t to)
{
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_Receive(root);
    L4_Set_XferTimeouts(L4_Timeouts(ms(200), ms(200)));
    L4_StringItem_t s = L4_StringItem(sizeof text, text);
    L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
    L4_LoadMR(1, s.raw[0]);
    L4_LoadMR(2, s.raw[1]);
    L4_Send(to);
    L4_Sleep(L4_Never);
}

static void thread_a(void)
{
    L4_Set_Pager(b);
    a_result = receive_into_nowhere(L4_GlobalId(L4_ThreadNo(a) + 2, 1)); /* from C */
    L4_Sleep(L4_Never);
}

static void thread_b(void)
{
    L4_Set_Pager(a);
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_Receive(a); /* A's string-fault message: B never answers it */
    b_got_fault = 1;
    b_result = receive_into_nowhere(L4_GlobalId(L4_ThreadNo(b) + 2, 1)); /* from D */
    L4_Sleep(L4_Never);
}

static void thread_c(void) { send_string(a); }
static void thread_d(void) { send_string(b); }

/* Whether t is blocked receiving (ExchangeRegisters' control: bit 1). */
static int receiving(L4_ThreadId_t t)
{
    L4_Word_t ctl, sp, ip, flags, handle;
    L4_ThreadId_t pager;
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &ctl, &sp, &ip, &flags, &handle, &pager);
    return (ctl & 2) != 0;
}

static void settle(L4_ThreadId_t t)
{
    while (!receiving(t))
        L4_Sleep(ms(1)); /* the helpers run below this thread's priority */
}

static void go(L4_ThreadId_t t)
{
    L4_LoadMR(0, 0);
    L4_Send(t);
}

int main(void)
{
    root = L4_Myself();
    a = L4_GlobalId(L4_ThreadNo(root) + 1, 1);
    b = L4_GlobalId(L4_ThreadNo(root) + 2, 1);
    L4_ThreadId_t c = L4_GlobalId(L4_ThreadNo(root) + 3, 1), d = L4_GlobalId(L4_ThreadNo(root) + 4, 1);
    void (*code[4])(void) = {thread_c, thread_d, thread_a, thread_b}; /* the senders exist first */
    unsigned number[4] = {3, 4, 1, 2};
    for (unsigned i = 0; i < 4; i++) {
        L4_ThreadId_t t = start_thread(number[i], code[i], &stacks[i][508]);
        if (L4_IsNilThread(t))
            return 1;
        settle(t);
    }
    go(c); /* A faults to B */
    while (!b_got_fault)
        L4_Sleep(ms(1));
    settle(b);
    go(d); /* B faults to A, which takes it for B's reply: the rounds begin */
    unsigned slept = 0;
    while (a_result == ~0UL || b_result == ~0UL) {
        L4_Sleep(ms(5));
        slept++;
    }
    printf("string faults: this thread ran on meanwhile (%u sleeps); A ended with error %#lx, B with %#lx\n", slept,
           a_result, b_result);
    return 0;
}
