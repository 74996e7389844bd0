/* The sigma0 protocol: requesting memory from the root pager. */
#ifndef L4_SIGMA0_H
#define L4_SIGMA0_H

#include "l4/ipc.h"
#include "l4/kip.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Asks sigma0 (nil: the one the KIP names) for `f` (base all ones: any
   free page of that size) and accepts it at `window`; returns the fpage
   sigma0 mapped, nil on refusal. */
L4_INLINE L4_Fpage_t L4_Sigma0_GetPage_RcvWindow(L4_ThreadId_t s0, L4_Fpage_t f, L4_Fpage_t window)
{
    if (L4_IsNilThread(s0))
        s0 = L4_GlobalId(L4_ThreadIdUserBase(L4_GetKernelInterface()), 1);
    L4_Accept(L4_MapGrantItems(window));
    L4_LoadMR(0, L4_MsgTagMake(L4_SIGMA0_LABEL, 2, 0).raw);
    L4_LoadMR(1, f.raw);
    L4_LoadMR(2, 0);
    L4_MsgTag_t tag = L4_Call(s0);
    L4_Fpage_t got = L4_Nilpage;
    if (L4_IpcSucceeded(tag) && L4_TypedWords(tag) == 2)
        L4_StoreMR(2, &got.raw);
    L4_Accept(L4_UntypedWordsAcceptor);
    return got;
}
L4_INLINE L4_Fpage_t L4_Sigma0_GetPage(L4_ThreadId_t s0, L4_Fpage_t f)
{
    return L4_Sigma0_GetPage_RcvWindow(s0, f, L4_CompleteAddressSpace);
}
/* "Any page of 2^s bytes": every base bit set (L4_FpageLog2 would align
   the base to the size, which the reference sigma0 takes for an address). */
L4_INLINE L4_Fpage_t __L4_Sigma0_AnyPage(L4_Word_t size_log2)
{
    L4_Fpage_t f;
    f.raw = __L4_fpage_set_size_log2(L4_LAYOUT_FPAGE_BASE_MASK, size_log2);
    return f;
}
L4_INLINE L4_Fpage_t L4_Sigma0_GetAny(L4_ThreadId_t s0, L4_Word_t size_log2)
{
    return L4_Sigma0_GetPage(s0, __L4_Sigma0_AnyPage(size_log2));
}

#ifdef __cplusplus
}

/* C++: any page of 2^s bytes, accepted at a receive window. */
L4_INLINE L4_Fpage_t L4_Sigma0_GetAny(L4_ThreadId_t s0, L4_Word_t size_log2, L4_Fpage_t window)
{
    return L4_Sigma0_GetPage_RcvWindow(s0, __L4_Sigma0_AnyPage(size_log2), window);
}
#endif

#endif /* L4_SIGMA0_H */
