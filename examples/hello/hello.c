/* hello: the smallest L4 program, printing through the kernel debugger. */
#include <l4rt/rt.h>
#include <l4/gen/abi.h>

int main(void)
{
    L4_Word_t *utcb = __L4_Utcb();
    printf("hello from an L4 program (%s, %d-bit words)\n", L4_ARCH_NAME, L4_WORD_BITS);
    printf("my global id is %#lx, my UTCB is at %p\n", utcb[L4_TCR_MY_GLOBAL_ID], (void *)utcb);
    printf("KIP at %p\n", l4rt_kip);
    return 0;
}
