/* Maps one 4 MB region (1024 pages from sigma0) into more and more windows
   of its own space until the box's mapping limit refuses a map item: the
   sender must see message overflow, the box must keep running, and after
   an Unmap of the derived mappings mapping works again. */
#include <l4/l4.h>
#include <l4rt/rt.h>

enum { region_log2 = 22, max_items = 1000 };
#define WINDOWS 0x10000000UL

#include "map_window.h"

static L4_ThreadId_t root, helper;
static unsigned long helper_stack[1024] __attribute__((aligned(4096)));

static L4_Word_t map_into(L4_Fpage_t region, L4_Word_t window) { return map_into_window(helper, region, window); }

int main(void)
{
    void *kip = L4_GetKernelInterface();
    root = map_window_root = L4_Myself();
    L4_ThreadId_t s0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    L4_Fpage_t region = L4_Sigma0_GetAny(s0, region_log2);
    if (L4_IsNilFpage(region)) {
        printf("map limit: sigma0 has no %d KB region\n", 1 << (region_log2 - 10));
        return 1;
    }
    helper = L4_GlobalId(L4_ThreadNo(root) + 1, 1);
    void *utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + L4_UtcbSize(kip);
    helper_stack[1020] = 0;
    if (!L4_ThreadControl(helper, root, root, s0, utcb)) return 1;
    L4_Start_SpIp(helper, (L4_Word_t)&helper_stack[1020], (L4_Word_t)map_window_receiver);

    unsigned items = 0;
    L4_Word_t error = 0;
    while (items < max_items && !(error = map_into(region, WINDOWS + ((L4_Word_t)items << region_log2)))) items++;
    printf("map limit: %u items of %d pages mapped, then error %#lx\n", items, 1 << (region_log2 - 12), error);
    if ((error & 0xF) != 0x8) return 1;  /* message overflow, send phase */
    /* The box goes on: withdraw what derives from the region, map again. */
    L4_UnmapFpage(L4_FpageAddRights(region, L4_FullyAccessible));
    L4_Word_t again = map_into(region, WINDOWS);
    volatile char *first = (volatile char *)WINDOWS, *own = (volatile char *)L4_Address(region);
    own[5] = 'm';
    printf("map limit: after unmap, mapping again: error %#lx, window shows %c\n", again, first[5]);
    return again == 0 && first[5] == 'm' ? 0 : 1;
}
