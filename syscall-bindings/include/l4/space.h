/* Address spaces: SpaceControl, Unmap and the calls built on it (unmap,
   flush, access status). */
#ifndef L4_SPACE_H
#define L4_SPACE_H

#include "l4/message.h"

#ifdef __cplusplus
extern "C" {
#endif

L4_INLINE L4_Word_t L4_SpaceControl(L4_ThreadId_t space, L4_Word_t control, L4_Fpage_t kip_area,
                                    L4_Fpage_t utcb_area, L4_ThreadId_t redirector, L4_Word_t *old_control)
{
    L4_Word_t r, c;
    __L4_sys_SpaceControl(space.raw, control, kip_area.raw, utcb_area.raw, redirector.raw, &r, &c);
    if (old_control) *old_control = c;
    return r;
}

/* Unmap's control word: the fpages are MR0..MRk; bit 6 (f) flushes them
   from the caller's own space too. */
L4_INLINE void L4_Unmap(L4_Word_t control)
{
    L4_Word_t *mr = __L4_MRs();
    __L4_sys_Unmap(control, (L4_Word_t)mr, mr);
}
enum { __L4_UNMAP_FLUSH = L4_LAYOUT_UNMAP_CONTROL_FLUSH_MASK };

/* Each fpage comes back with the access status (rwx: referenced, written,
   executed since the last query) the unmapped pages had. */
L4_INLINE L4_Fpage_t __L4_Unmap1(L4_Fpage_t f, L4_Word_t flush)
{
    L4_LoadMR(0, f.raw);
    L4_Unmap(flush);
    L4_StoreMR(0, &f.raw);
    return f;
}
L4_INLINE void __L4_UnmapN(L4_Word_t n, L4_Fpage_t *fpages, L4_Word_t flush)
{
    if (n == 0)
        return;
    L4_LoadMRs(0, (int)n, (L4_Word_t *)(void *)fpages);
    L4_Unmap(flush | (n - 1));
    L4_StoreMRs(0, (int)n, (L4_Word_t *)(void *)fpages);
}
L4_INLINE L4_Fpage_t L4_UnmapFpage(L4_Fpage_t f) { return __L4_Unmap1(f, 0); }
L4_INLINE void L4_UnmapFpages(L4_Word_t n, L4_Fpage_t *fpages) { __L4_UnmapN(n, fpages, 0); }
L4_INLINE L4_Fpage_t L4_Flush(L4_Fpage_t f) { return __L4_Unmap1(f, __L4_UNMAP_FLUSH); }
L4_INLINE L4_Fpage_t L4_FlushFpage(L4_Fpage_t f) { return L4_Flush(f); }
L4_INLINE void L4_FlushFpages(L4_Word_t n, L4_Fpage_t *fpages) { __L4_UnmapN(n, fpages, __L4_UNMAP_FLUSH); }
/* Only the access status: unmapping no rights takes none away. */
L4_INLINE L4_Fpage_t L4_GetStatus(L4_Fpage_t f) { return L4_UnmapFpage(L4_Set_Rights(&f, L4_NoAccess)); }

L4_INLINE L4_Bool_t L4_WasReferenced(L4_Fpage_t f) { return (f.raw & L4_Readable) != 0; }
L4_INLINE L4_Bool_t L4_WasWritten(L4_Fpage_t f) { return (f.raw & L4_Writable) != 0; }
L4_INLINE L4_Bool_t L4_WasExecuted(L4_Fpage_t f) { return (f.raw & L4_eXecutable) != 0; }
L4_INLINE L4_Bool_t L4_WaseXecuted(L4_Fpage_t f) { return L4_WasExecuted(f); }

#ifdef __cplusplus
}

/* C++: Unmap and Flush of one fpage or of n. */
L4_INLINE L4_Fpage_t L4_Unmap(L4_Fpage_t f) { return L4_UnmapFpage(f); }
L4_INLINE void L4_Unmap(L4_Word_t n, L4_Fpage_t *fpages) { L4_UnmapFpages(n, fpages); }
L4_INLINE void L4_Flush(L4_Word_t n, L4_Fpage_t *fpages) { L4_FlushFpages(n, fpages); }
#endif

#endif /* L4_SPACE_H */
