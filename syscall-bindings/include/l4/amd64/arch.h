/* amd64 (x86_64): the x86 additions. */
#ifndef L4_AMD64_ARCH_H
#define L4_AMD64_ARCH_H

#include "l4/x86/arch.h"

/* Where the ids of 32-bit compatibility spaces are (the reference
   library names the header by this macro). */
#define L4_COMPAT_H_LOCATION "l4/amd64/compat.h"

#endif /* L4_AMD64_ARCH_H */
