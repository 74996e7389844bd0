/* Pieces of pagers in L4 programs. */
#ifndef L4RT_PAGER_H
#define L4RT_PAGER_H

#include <l4/l4.h>

/* Loads MR0-MR2 with the reply to a page fault at `address`: our page there,
   mapped with all rights at the same address, which is what the pager of a
   space running this program's own image sends. */
static inline void l4rt_load_same_page_reply(L4_Word_t address)
{
    L4_Word_t base = address & ~(L4_Word_t)0xFFF;
    L4_MapItem_t item = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(base, 12), L4_FullyAccessible), base);
    L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
    L4_LoadMR(1, item.raw[0]);
    L4_LoadMR(2, item.raw[1]);
}

#endif
