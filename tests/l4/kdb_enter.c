/* Enters the kernel debugger with a message: the box stops (exit code 3). */
#include <l4/l4.h>
#include <l4rt/rt.h>

int main(void)
{
    printf("entering the kernel debugger\n");
    L4_KDB_Enter("test asked for the debugger");
    printf("not reached: the box has no debugger attached\n");
    return 0;
}
