/* ia32: the x86 additions and SpaceControl's small-space control (which
   UMOL4 accepts and ignores: every ia32 space is large). */
#ifndef L4_IA32_ARCH_H
#define L4_IA32_ARCH_H

#include "l4/x86/arch.h"

#define L4_LargeSpace 0

/* The control byte of a small space of `size` MB at `location` MB (size a
   power of two of at least 4, location a multiple of it). */
L4_INLINE L4_Word_t L4_SmallSpace(L4_Word_t location, L4_Word_t size)
{
    L4_Word_t s = size >> 2, l = location >> 1;
    return ((l & ~(s - 1)) | s) & 0xFF;
}

#endif /* L4_IA32_ARCH_H */
