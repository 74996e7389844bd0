/* Memory attributes and processors: MemoryControl, Set_PageAttribute(s),
   ProcessorControl. */
#ifndef L4_MISC_H
#define L4_MISC_H

#include "l4/message.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Attribute 0 everywhere: the memory's default. */
#define L4_DefaultMemory 0

/* The fpages are MR0..MRk (control k), each selecting one of the four
   attributes by its low 2 bits (the rights field). */
L4_INLINE L4_Word_t L4_MemoryControl(L4_Word_t control, const L4_Word_t attributes[4])
{
    L4_Word_t *mr = __L4_MRs();
    L4_Word_t r;
    __L4_sys_MemoryControl(control, attributes[0], attributes[1], attributes[2], attributes[3], (L4_Word_t)mr, mr, &r);
    return r;
}
L4_INLINE L4_Word_t L4_Set_PageAttribute(L4_Fpage_t f, L4_Word_t attribute)
{
    L4_Word_t attributes[4] = { attribute, 0, 0, 0 };
    L4_LoadMR(0, L4_Set_Rights(&f, 0).raw);
    return L4_MemoryControl(0, attributes);
}
/* n fpages, each with the attribute its rights field selects. */
L4_INLINE L4_Word_t L4_Set_PageAttributes(L4_Word_t n, L4_Fpage_t *fpages, const L4_Word_t attributes[4])
{
    if (n == 0)
        return 1;
    L4_LoadMRs(0, (int)n, (L4_Word_t *)(void *)fpages);
    return L4_MemoryControl(n - 1, attributes);
}

L4_INLINE L4_Word_t L4_ProcessorControl(L4_Word_t cpu, L4_Word_t internal_freq, L4_Word_t external_freq,
                                        L4_Word_t voltage)
{
    L4_Word_t r;
    __L4_sys_ProcessorControl(cpu, internal_freq, external_freq, voltage, &r);
    return r;
}

#ifdef __cplusplus
}
#endif

#endif /* L4_MISC_H */
