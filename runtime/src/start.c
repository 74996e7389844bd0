/* C start of L4 programs: find the KIP, bind the system-call entries, run
   main, and park the thread when it returns. */
#include "l4rt/rt.h"
#include "l4/gen/abi.h"

void *l4rt_kip;

int main(void);
void l4rt_start(void) __attribute__((noreturn));

void l4rt_start(void)
{
    L4_Word_t kip, version, flags, id;
    __L4_sys_KernelInterface(&kip, &version, &flags, &id);
    l4rt_kip = (void *)kip;
    __L4_InitEntries(l4rt_kip);
    l4rt_exit(main());
}

void l4rt_exit(int status)
{
    printf("l4rt: main returned %d\n", status);
    /* Receive from ourselves with no timeout: no one can ever send as us. */
    L4_Word_t self = __L4_Utcb()[L4_TCR_MY_GLOBAL_ID];
    for (;;) {
        L4_Word_t mr[64] = { 0 }, from;
        __L4_sys_Ipc(0, self, 0, (L4_Word_t)__L4_Utcb(), mr, &from);
    }
}

void l4rt_abort(void)
{
    __L4_KDB_Enter("abort");
    l4rt_exit(134);
}
