/* Loops forever without a system call: only --timeout or Ctrl-C ends it. */
#include <l4rt/rt.h>

int main(void)
{
    printf("spinning\n");
    for (volatile unsigned long i = 0;; i++) {
    }
}
