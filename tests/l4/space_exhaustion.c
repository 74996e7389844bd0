/* Creates address spaces until the box refuses one (ErrorCode 8, out of
   memory), says how many it has, then waits so that the test can count the
   box's task processes: a refused space must leave none behind (hostile-code
   finding 13).  Then it deletes them all and creates as many again, four
   times (what a deleted space held comes back), and spins, so that the box
   lives on for the count. */
#include <l4/l4.h>
#include <l4rt/rt.h>

static unsigned fill(L4_Word_t first, L4_Word_t *error)
{
    L4_ThreadId_t me = L4_Myself();
    unsigned n = 0;
    for (;; n++) {
        L4_ThreadId_t t = L4_GlobalId(first + n, 1);
        if (!L4_ThreadControl(t, t, me, L4_nilthread, (void *)-1)) {
            *error = L4_ErrorCode();
            return n;
        }
    }
}

static void empty(L4_Word_t first, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        L4_ThreadControl(L4_GlobalId(first + i, 1), L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
}

int main(void)
{
    L4_Word_t first = L4_ThreadNo(L4_Myself()) + 100, error = 0;
    unsigned n = fill(first, &error);
    printf("space exhaustion: %u spaces, then ErrorCode %lu\n", n, error);
    for (int round = 0; round < 4; round++) {
        empty(first, n);
        L4_Word_t again_error = 0;
        unsigned again = fill(first, &again_error);
        if (again != n || again_error != error) {
            printf("space exhaustion: round %d: %u spaces, then ErrorCode %lu\n", round, again, again_error);
            return 1;
        }
    }
    printf("space exhaustion: as many again after deleting them, 4 times\n");
    for (;;) {
    }
}
