/* The kernel interface page: locating it and reading its fields. */
#ifndef L4_KIP_H
#define L4_KIP_H

#include "l4/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef const L4_Word_t *L4_KernelInterfacePage_t;

L4_INLINE void *L4_KernelInterface(L4_Word_t *api_version, L4_Word_t *api_flags, L4_Word_t *kernel_id)
{
    L4_Word_t kip, v, f, id;
    __L4_sys_KernelInterface(&kip, &v, &f, &id);
    if (api_version) *api_version = v;
    if (api_flags) *api_flags = f;
    if (kernel_id) *kernel_id = id;
    return (void *)kip;
}
L4_INLINE void *L4_GetKernelInterface(void) { return L4_KernelInterface(0, 0, 0); }

L4_INLINE L4_Word_t __L4_KipWord(const void *kip, int word) { return ((const L4_Word_t *)kip)[word]; }
L4_INLINE L4_Bool_t L4_KipIsValid(const void *kip)
{
    const unsigned char *m = (const unsigned char *)kip;
    return m[0] == 'L' && m[1] == '4' && m[2] == 0xE6 && m[3] == 'K';
}
L4_INLINE L4_Word_t L4_ApiVersion(const void *kip) { return __L4_KipWord(kip, L4_KIP_API_VERSION); }
L4_INLINE L4_Word_t L4_ApiFlags(const void *kip) { return __L4_KipWord(kip, L4_KIP_API_FLAGS); }

/* ThreadInfo: t 0-7, SystemBase 8-19, UserBase 20-31. */
L4_INLINE L4_Word_t L4_ThreadIdBits(const void *kip) { return __L4_KipWord(kip, L4_KIP_THREAD_INFO) & 0xFF; }
L4_INLINE L4_Word_t L4_ThreadIdSystemBase(const void *kip) { return (__L4_KipWord(kip, L4_KIP_THREAD_INFO) >> 8) & 0xFFF; }
L4_INLINE L4_Word_t L4_ThreadIdUserBase(const void *kip) { return (__L4_KipWord(kip, L4_KIP_THREAD_INFO) >> 20) & 0xFFF; }

/* UtcbAreaInfo: m 0-9, a 10-15, s 16-21; KipAreaInfo: s 0-5. */
L4_INLINE L4_Word_t L4_UtcbAreaSizeLog2(const void *kip) { return (__L4_KipWord(kip, L4_KIP_UTCB_AREA_INFO) >> 16) & 0x3F; }
L4_INLINE L4_Word_t L4_UtcbAlignmentLog2(const void *kip) { return (__L4_KipWord(kip, L4_KIP_UTCB_AREA_INFO) >> 10) & 0x3F; }
L4_INLINE L4_Word_t L4_UtcbSize(const void *kip)
{
    L4_Word_t w = __L4_KipWord(kip, L4_KIP_UTCB_AREA_INFO);
    return (w & 0x3FF) << ((w >> 10) & 0x3F);
}
L4_INLINE L4_Word_t L4_KipAreaSizeLog2(const void *kip) { return __L4_KipWord(kip, L4_KIP_KIP_AREA_INFO) & 0x3F; }

/* PageInfo: rwx 0-2, page-size mask from bit 10. */
L4_INLINE L4_Word_t L4_PageSizeMask(const void *kip) { return __L4_KipWord(kip, L4_KIP_PAGE_INFO) & ~(L4_Word_t)0x3FF; }
L4_INLINE L4_Word_t L4_PageRights(const void *kip) { return __L4_KipWord(kip, L4_KIP_PAGE_INFO) & 7; }

/* ProcessorInfo: processors - 1 in bits 0-15. */
L4_INLINE L4_Word_t L4_NumProcessors(const void *kip) { return (__L4_KipWord(kip, L4_KIP_PROCESSOR_INFO) & 0xFFFF) + 1; }
L4_INLINE L4_Word_t L4_ReadPrecision(const void *kip) { return __L4_KipWord(kip, L4_KIP_CLOCK_INFO) & 0xFFFF; }
L4_INLINE L4_Word_t L4_SchedulePrecision(const void *kip) { return (__L4_KipWord(kip, L4_KIP_CLOCK_INFO) >> 16) & 0xFFFF; }
L4_INLINE L4_Word_t L4_BootInfo(const void *kip) { return __L4_KipWord(kip, L4_KIP_BOOT_INFO); }

/* ---- Memory descriptors: MemoryInfo = n (low half) | offset (high half). ---- */
typedef struct {
    L4_Word_t raw[2];
} L4_MemoryDesc_t;

enum {
    L4_UndefinedMemoryType = 0x0,
    L4_ConventionalMemoryType = 0x1,
    L4_ReservedMemoryType = 0x2,
    L4_DedicatedMemoryType = 0x3,
    L4_SharedMemoryType = 0x4,
    L4_BootLoaderSpecificMemoryType = 0xE,
    L4_ArchitectureSpecificMemoryType = 0xF,
};

L4_INLINE L4_Word_t L4_NumMemoryDescriptors(const void *kip)
{
    return __L4_KipWord(kip, L4_KIP_MEMORY_INFO) & (((L4_Word_t)1 << (L4_WORD_BITS / 2)) - 1);
}
L4_INLINE const L4_MemoryDesc_t *L4_MemoryDesc(const void *kip, L4_Word_t n)
{
    if (n >= L4_NumMemoryDescriptors(kip))
        return 0;
    L4_Word_t offset = __L4_KipWord(kip, L4_KIP_MEMORY_INFO) >> (L4_WORD_BITS / 2);
    return (const L4_MemoryDesc_t *)((const char *)kip + offset) + n;
}
L4_INLINE L4_Word_t L4_MemoryDescType(const L4_MemoryDesc_t *d) { return d->raw[0] & 0xF; }
L4_INLINE L4_Word_t L4_MemoryDescSubType(const L4_MemoryDesc_t *d) { return (d->raw[0] >> 4) & 0xF; }
L4_INLINE L4_Bool_t L4_IsMemoryDescVirtual(const L4_MemoryDesc_t *d) { return (d->raw[0] >> 9) & 1; }
L4_INLINE L4_Word_t L4_MemoryDescLow(const L4_MemoryDesc_t *d) { return d->raw[0] & ~(L4_Word_t)0x3FF; }
L4_INLINE L4_Word_t L4_MemoryDescHigh(const L4_MemoryDesc_t *d) { return d->raw[1] | 0x3FF; }

/* ---- Kernel descriptor: id, date, version, supplier, then strings. ---- */
L4_INLINE const L4_Word_t *__L4_KernelDesc(const void *kip)
{
    return (const L4_Word_t *)((const char *)kip + __L4_KipWord(kip, L4_KIP_KERNEL_DESC_PTR));
}
L4_INLINE L4_Word_t L4_KernelId(const void *kip) { return __L4_KernelDesc(kip)[0]; }
L4_INLINE const char *L4_KernelVersionString(const void *kip) { return (const char *)&__L4_KernelDesc(kip)[4]; }
/* The n-th feature string, or 0 past the last. */
L4_INLINE const char *L4_Feature(const void *kip, L4_Word_t n)
{
    const char *s = L4_KernelVersionString(kip);
    while (*s++) {
    }
    for (; *s; n--) {
        if (n == 0)
            return s;
        while (*s++) {
        }
    }
    return 0;
}

/* ---- Processor descriptors ---- */
L4_INLINE const L4_Word_t *__L4_ProcDesc(const void *kip, L4_Word_t cpu)
{
    L4_Word_t info = __L4_KipWord(kip, L4_KIP_PROCESSOR_INFO);
    L4_Word_t shift = info >> (L4_WORD_BITS - 4);
    return (const L4_Word_t *)((const char *)kip + __L4_KipWord(kip, L4_KIP_PROC_DESC_PTR) + (cpu << shift));
}
L4_INLINE L4_Word_t L4_ProcDescExternalFreq(const void *kip, L4_Word_t cpu) { return __L4_ProcDesc(kip, cpu)[0]; }
L4_INLINE L4_Word_t L4_ProcDescInternalFreq(const void *kip, L4_Word_t cpu) { return __L4_ProcDesc(kip, cpu)[1]; }

#ifdef __cplusplus
}
#endif

#endif /* L4_KIP_H */
