/* x86 (ia32 and amd64): I/O fpages, MemoryControl attributes, the UTCB. */
#ifndef L4_X86_ARCH_H
#define L4_X86_ARCH_H

#include "l4/kip.h"
#include "l4/ipc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The reference library's x86 name of the current thread's UTCB pointer
   (MR0's address). */
L4_INLINE L4_Word_t *__L4_X86_Utcb(void) { return __L4_Utcb(); }

/* An I/O fpage: ports p .. p + 2^s - 1; bits 4-9 hold 2. */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t rwx : 4;
        L4_Word_t __two : 6;
        L4_Word_t s : 6;
        L4_Word_t p : 16;
    } X;
} L4_IoFpage_t;

L4_INLINE L4_Fpage_t L4_IoFpageLog2(L4_Word_t port, int size_log2)
{
    L4_Fpage_t f;
    f.raw = ((port & 0xFFFF) << 16) | ((L4_Word_t)(size_log2 & 0x3F) << 10) | (2 << 4);
    return f;
}
/* `size` ports, rounded up to a power of two. */
L4_INLINE L4_Fpage_t L4_IoFpage(L4_Word_t port, int size)
{
    int log2 = 0;
    while (log2 < 16 && (1 << log2) < size)
        log2++;
    return L4_IoFpageLog2(port, log2);
}
L4_INLINE L4_Bool_t L4_IsIoFpage(L4_Fpage_t f) { return ((f.raw >> 4) & 0x3F) == 2; }
L4_INLINE L4_Word_t L4_IoFpagePort(L4_Fpage_t f) { return (f.raw >> 16) & 0xFFFF; }
L4_INLINE L4_Word_t L4_IoFpageSizeLog2(L4_Fpage_t f) { return (f.raw >> 10) & 0x3F; }
L4_INLINE L4_Word_t L4_IoFpageSize(L4_Fpage_t f) { return (L4_Word_t)1 << L4_IoFpageSizeLog2(f); }

/* MemoryControl attributes (0 is the default). */
#define L4_WriteBackMemory 1
#define L4_WriteThroughMemory 2
#define L4_UncacheableMemory 4
#define L4_WriteCombiningMemory 5
#define L4_WriteProtectedMemory 8

#ifdef __cplusplus
}
L4_INLINE L4_Fpage_t L4_Fpage(L4_IoFpage_t f)
{
    L4_Fpage_t g;
    g.raw = f.raw;
    return g;
}
#endif

#endif /* L4_X86_ARCH_H */
