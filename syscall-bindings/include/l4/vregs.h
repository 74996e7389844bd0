/* The current thread's message and buffer registers (in its UTCB) and the
   message tag in MR0. */
#ifndef L4_VREGS_H
#define L4_VREGS_H

#include "l4/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define __L4_NUM_MRS 64
#define __L4_NUM_BRS 33

L4_INLINE L4_Word_t *__L4_MRs(void) { return __L4_Utcb(); }
L4_INLINE L4_Word_t *__L4_BR(int i) { return &__L4_Utcb()[L4_TCR_BR0 - i]; }

L4_INLINE void L4_LoadMR(int i, L4_Word_t w) { __L4_MRs()[i] = w; }
L4_INLINE void L4_StoreMR(int i, L4_Word_t *w) { *w = __L4_MRs()[i]; }
L4_INLINE void L4_LoadMRs(int i, int k, const L4_Word_t *w)
{
    L4_Word_t *mr = __L4_MRs();
    for (int j = 0; j < k; j++)
        mr[i + j] = w[j];
}
L4_INLINE void L4_StoreMRs(int i, int k, L4_Word_t *w)
{
    const L4_Word_t *mr = __L4_MRs();
    for (int j = 0; j < k; j++)
        w[j] = mr[i + j];
}
L4_INLINE void L4_LoadBR(int i, L4_Word_t w) { *__L4_BR(i) = w; }
L4_INLINE void L4_StoreBR(int i, L4_Word_t *w) { *w = *__L4_BR(i); }
L4_INLINE void L4_LoadBRs(int i, int k, const L4_Word_t *w)
{
    for (int j = 0; j < k; j++)
        *__L4_BR(i + j) = w[j];
}
L4_INLINE void L4_StoreBRs(int i, int k, L4_Word_t *w)
{
    for (int j = 0; j < k; j++)
        w[j] = *__L4_BR(i + j);
}

L4_INLINE L4_MsgTag_t L4_MsgTag(void)
{
    L4_MsgTag_t t;
    t.raw = __L4_MRs()[0];
    return t;
}
L4_INLINE void L4_Set_MsgTag(L4_MsgTag_t t) { __L4_MRs()[0] = t.raw; }

#ifdef __cplusplus
}
#endif

#endif /* L4_VREGS_H */
