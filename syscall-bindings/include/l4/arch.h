/* What the reference library's l4/<arch>/arch.h offers for this build's
   arch (x86: I/O fpages, memory attributes); nothing more elsewhere. */
#ifndef L4_ARCH_H
#define L4_ARCH_H

#include "l4/kip.h"
#include "l4/ipc.h"

#if defined(L4_ARCH_IA32)
#include "l4/ia32/arch.h"
#elif defined(L4_ARCH_X86_64)
#include "l4/amd64/arch.h"
#endif

#endif /* L4_ARCH_H */
