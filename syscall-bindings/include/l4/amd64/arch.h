/* amd64 (x86_64): the x86 additions. */
#ifndef L4_AMD64_ARCH_H
#define L4_AMD64_ARCH_H

#include "l4/x86/arch.h"

#endif /* L4_AMD64_ARCH_H */
