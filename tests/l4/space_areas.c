/* SpaceControl with KIP and UTCB areas that fit no address space (half of
   it at its upper half, the top of it whose end wraps to 0): refused with
   ErrorCode 6 (UTCB area) or 7 (KIP area), and the box lives on
   (hostile-code finding 5: accepted, then the core ended with "mmap ...
   Cannot allocate memory"); then areas that fit are accepted. */
#include <l4/l4.h>
#include <l4rt/rt.h>

static L4_Word_t refused(L4_ThreadId_t space, L4_Fpage_t kip, L4_Fpage_t utcb)
{
    L4_Word_t old;
    if (L4_SpaceControl(space, 0, kip, utcb, L4_nilthread, &old))
        return 0;
    return L4_ErrorCode();
}

int main(void)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(me) + 100, 1);
    const unsigned bits = 8 * sizeof(L4_Word_t);
    const L4_Word_t half = (L4_Word_t)1 << (bits - 1);
    L4_Fpage_t kip_ok = L4_FpageLog2(0x3FF00000, L4_KipAreaSizeLog2(kip));
    L4_Fpage_t utcb_ok = L4_FpageLog2(0x40000000, L4_UtcbAreaSizeLog2(kip));
    if (!L4_ThreadControl(t, t, me, L4_nilthread, (void *)-1)) {
        printf("space areas: ThreadControl failed: %lu\n", L4_ErrorCode());
        return 1;
    }
    L4_Word_t e[4] = {
        refused(t, kip_ok, L4_FpageLog2(half, bits - 1)),       /* UTCB area: the upper half */
        refused(t, kip_ok, L4_FpageLog2(-((L4_Word_t)1 << 20), 20)), /* UTCB area: ends at 2^bits */
        refused(t, L4_FpageLog2(half, bits - 1), utcb_ok),      /* KIP area: the upper half */
        refused(t, L4_FpageLog2(-((L4_Word_t)1 << 12), 12), utcb_ok), /* KIP area: the last page */
    };
    L4_Word_t ok = refused(t, kip_ok, utcb_ok);
    printf("space areas: refused with ErrorCode %lu %lu %lu %lu; areas that fit: %s\n", e[0], e[1], e[2], e[3],
           ok ? "refused" : "accepted");
    L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
    return 0;
}
