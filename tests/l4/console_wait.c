/* Waits in ReadChar_Blocked while another thread spins: the wait must
   not hold the core (hostile-code finding 9), so the spinner counts and
   says so while no input has come, and the box still ends at --timeout or
   on a signal.  The character that comes then is the waiter's. */
#include <l4/l4.h>
#include <l4rt/rt.h>

static volatile unsigned long count;
static unsigned long stack[1024] __attribute__((aligned(16)));

static void spin(void)
{
    for (;;) {
        if (++count == 1000000)
            printf("console wait: the spinner counts while input is awaited\n");
    }
}

int main(void)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t spinner = L4_GlobalId(L4_ThreadNo(me) + 1, 1);
    void *utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + L4_UtcbSize(kip);
    stack[1020] = 0; /* mapped before the spinner runs */
    if (!L4_ThreadControl(spinner, me, me, me, utcb)) {
        printf("console wait: ThreadControl failed: %lu\n", L4_ErrorCode());
        return 1;
    }
    L4_LoadMR(0, L4_MsgTagMake(0, 2, 0).raw);
    L4_LoadMR(1, (L4_Word_t)spin);
    L4_LoadMR(2, (L4_Word_t)&stack[1020]);
    L4_Send(spinner);
    printf("console wait: waiting for input\n");
    char c = L4_KDB_ReadChar_Blocked();
    printf("console wait: read '%c' after the spinner counted %s\n", c, count ? "on" : "nothing");
    L4_ThreadControl(spinner, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
    return 0;
}
