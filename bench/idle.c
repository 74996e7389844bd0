/* An idle box for bench/many_boxes.sh: says so once, then sleeps in long
   timeouts (a box whose threads all wait forever would end at once). */
#include <l4/l4.h>
#include <l4rt/rt.h>

int main(void)
{
    printf("idle\n");
    for (;;)
        L4_Sleep(L4_TimePeriod(10000000));
}
