/* Waits in ReadChar_Blocked while another thread spins: the wait must
   not hold the core (hostile-code finding 9), so the spinner counts and
   says so while no input has come, and the box still ends at --timeout or
   on a signal.  The character that comes then is the waiter's. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "start_thread.h"

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
    L4_ThreadId_t spinner = start_thread(1, spin, &stack[1020]);
    if (L4_IsNilThread(spinner))
        return 1;
    printf("console wait: waiting for input\n");
    char c = L4_KDB_ReadChar_Blocked();
    printf("console wait: read '%c' after the spinner counted %s\n", c, count ? "on" : "nothing");
    L4_ThreadControl(spinner, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
    return 0;
}
