/* Creates, activates and deletes an address space, over and over: more
   rounds than the kernel has frames for UTCBs, so a deleted space's UTCB
   page must come back (hostile-code finding 15: the pool never freed, and
   after 4093 rounds no space could be activated any more). */
#include <l4/l4.h>
#include <l4rt/rt.h>

enum { rounds = 5000 };

int main(void)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t me = L4_Myself();
    L4_Word_t utcb = 0x40000000;
    for (unsigned i = 0; i < rounds; i++) {
        L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(me) + 100, 1 + i % 60);
        L4_Word_t old;
        if (!L4_ThreadControl(t, t, me, L4_nilthread, (void *)-1) ||
            !L4_SpaceControl(t, 0, L4_FpageLog2(0x3FF00000, L4_KipAreaSizeLog2(kip)),
                             L4_FpageLog2(utcb, L4_UtcbAreaSizeLog2(kip)), L4_nilthread, &old) ||
            !L4_ThreadControl(t, t, me, me, (void *)utcb) ||
            !L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1)) {
            printf("space cycles: round %u refused, ErrorCode %lu\n", i, L4_ErrorCode());
            return 1;
        }
    }
    printf("space cycles: %u spaces created, activated and deleted\n", (unsigned)rounds);
    return 0;
}
