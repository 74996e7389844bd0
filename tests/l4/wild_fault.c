/* Writes to an address sigma0 will not give out (beyond the box's physical
   memory): the fault cannot be resolved and the box reports it. */
#include <l4rt/rt.h>

int main(void)
{
    printf("writing to 0x7e000000\n");
    *(volatile int *)0x7e000000 = 1;
    printf("not reached\n");
    return 0;
}
