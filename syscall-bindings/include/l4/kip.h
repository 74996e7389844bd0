/* The kernel interface page: locating it, its layout (as a structure with
   the manual's field names) and reading its fields and descriptors. */
#ifndef L4_KIP_H
#define L4_KIP_H

#include "l4/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Identification ---- */
#define L4_MAGIC ((L4_Word_t)0x4BE6344C) /* 'L' '4' 0xE6 'K' in memory */
#define L4_APIVERSION_2 0x02
#define L4_APIVERSION_4 0x04
#define L4_APIVERSION_X0 0x83
#define L4_APIVERSION_X1 0x83
#define L4_APIVERSION_X2 0x84
#define L4_APISUBVERSION_X0 0x80
#define L4_APISUBVERSION_X1 0x81
#define L4_APIFLAG_LE 0x00
#define L4_APIFLAG_BE 0x01
#define L4_APIFLAG_32BIT 0x00
#define L4_APIFLAG_64BIT 0x01
/* Kernel ids (id << 8 | subid). */
#define L4_KID_L4KA_HAZELNUT ((4 << 8) + 1)
#define L4_KID_L4KA_PISTACHIO ((4 << 8) + 2)

typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t __padding : 16;
        L4_Word_t subid : 8;
        L4_Word_t id : 8;
    } x;
} L4_KernelId_t;

typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t __padding : 16;
        L4_Word_t subversion : 8;
        L4_Word_t version : 8;
    } x;
} L4_ApiVersion_t;

typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t ee : 2; /* endianness */
        L4_Word_t ww : 2; /* word size */
    } x;
} L4_ApiFlags_t;

/* MemoryInfo: descriptors (low half), their KIP-relative offset (high). */
typedef struct {
    L4_Word_t n : L4_WORD_BITS / 2;
    L4_Word_t MemDescPtr : L4_WORD_BITS / 2;
} L4_MemoryInfo_t;

typedef struct {
    L4_Word_t low, high;
} __L4_MemRange_t;

/* The KIP, word by word (the same word positions on every arch). */
typedef struct {
    L4_Word_t magic;
    L4_ApiVersion_t ApiVersion;
    L4_ApiFlags_t ApiFlags;
    L4_Word_t KernelVerPtr;
    struct {
        L4_Word_t init, entry, low, high;
    } Kdebug;
    struct {
        L4_Word_t sp, ip, low, high;
    } sigma0, sigma1, rootserver;
    L4_Word_t __reserved20;
    L4_MemoryInfo_t MemoryInfo;
    L4_Word_t KdebugConfig[2];
    __L4_MemRange_t MainMem, ReservedMem[2], DedicatedMem[5];
    L4_Word_t __reserved40[2];
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t m : 10;
            L4_Word_t a : 6;
            L4_Word_t s : 6;
        } X;
    } UtcbAreaInfo;
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t s : 6;
        } X;
    } KipAreaInfo;
    L4_Word_t __reserved44[2];
    L4_Word_t BootInfo;
    L4_Word_t ProcDescPtr;
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t ReadPrecision : 16;
            L4_Word_t SchedulePrecision : 16;
        } X;
    } ClockInfo;
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t t : 8;
            L4_Word_t SystemBase : 12;
            L4_Word_t UserBase : 12;
        } X;
    } ThreadInfo;
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t rwx : 3;
            L4_Word_t __padding : 7;
            L4_Word_t page_size_mask : L4_WORD_BITS - 10;
        } X;
    } PageInfo;
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t processors : 16;
            L4_Word_t __padding : L4_WORD_BITS - 20;
            L4_Word_t s : 4; /* log2 of a processor descriptor's size */
        } X;
    } ProcessorInfo;
    /* System-call entries (absolute, or KIP-relative where the arch says
       L4_KIP_ENTRIES_KIP_RELATIVE). */
    L4_Word_t SpaceControl, ThreadControl, ProcessorControl, MemoryControl;
    L4_Word_t Ipc, Lipc, Unmap, ExchangeRegisters;
    L4_Word_t SystemClock, ThreadSwitch, Schedule;
    L4_Word_t __reserved63[5];
    L4_Word_t ArchSyscall0, ArchSyscall1, ArchSyscall2, ArchSyscall3;
} L4_KernelInterfacePage_t;

#ifdef __cplusplus
#define __L4_KIP_AT(field, word) static_assert(__builtin_offsetof(L4_KernelInterfacePage_t, field) == (word) * sizeof(L4_Word_t), #field)
#else
#define __L4_KIP_AT(field, word) _Static_assert(__builtin_offsetof(L4_KernelInterfacePage_t, field) == (word) * sizeof(L4_Word_t), #field)
#endif
__L4_KIP_AT(ApiVersion, L4_KIP_API_VERSION);
__L4_KIP_AT(KernelVerPtr, L4_KIP_KERNEL_DESC_PTR);
__L4_KIP_AT(Kdebug.init, L4_KIP_KDEBUG_INIT);
__L4_KIP_AT(sigma0.sp, L4_KIP_SIGMA0_SP);
__L4_KIP_AT(sigma1.sp, L4_KIP_SIGMA1_SP);
__L4_KIP_AT(rootserver.high, L4_KIP_ROOT_HIGH);
__L4_KIP_AT(MemoryInfo, L4_KIP_MEMORY_INFO);
__L4_KIP_AT(UtcbAreaInfo, L4_KIP_UTCB_AREA_INFO);
__L4_KIP_AT(KipAreaInfo, L4_KIP_KIP_AREA_INFO);
__L4_KIP_AT(BootInfo, L4_KIP_BOOT_INFO);
__L4_KIP_AT(ProcDescPtr, L4_KIP_PROC_DESC_PTR);
__L4_KIP_AT(ClockInfo, L4_KIP_CLOCK_INFO);
__L4_KIP_AT(ThreadInfo, L4_KIP_THREAD_INFO);
__L4_KIP_AT(PageInfo, L4_KIP_PAGE_INFO);
__L4_KIP_AT(ProcessorInfo, L4_KIP_PROCESSOR_INFO);
__L4_KIP_AT(SpaceControl, L4_KIP_SYSCALL_SPACECONTROL);
__L4_KIP_AT(Ipc, L4_KIP_SYSCALL_IPC);
__L4_KIP_AT(Schedule, L4_KIP_SYSCALL_SCHEDULE);
__L4_KIP_AT(ArchSyscall0, L4_KIP_ARCH_SYSCALL0);
__L4_KIP_AT(ArchSyscall3, L4_KIP_ARCH_SYSCALL3);
#undef __L4_KIP_AT

/* ---- Locating it ---- */
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

#define __L4_KIP(kip) ((const L4_KernelInterfacePage_t *)(kip))
L4_INLINE L4_Word_t __L4_KipWord(const void *kip, int word) { return ((const L4_Word_t *)kip)[word]; }
L4_INLINE L4_Bool_t L4_KipIsValid(const void *kip)
{
    const unsigned char *m = (const unsigned char *)kip;
    return m[0] == 'L' && m[1] == '4' && m[2] == 0xE6 && m[3] == 'K';
}
L4_INLINE L4_Word_t L4_ApiVersion(const void *kip) { return __L4_KIP(kip)->ApiVersion.raw; }
L4_INLINE L4_Word_t L4_ApiFlags(const void *kip) { return __L4_KIP(kip)->ApiFlags.raw; }

L4_INLINE L4_Word_t L4_ThreadIdBits(const void *kip) { return __L4_KIP(kip)->ThreadInfo.X.t; }
L4_INLINE L4_Word_t L4_ThreadIdSystemBase(const void *kip) { return __L4_KIP(kip)->ThreadInfo.X.SystemBase; }
L4_INLINE L4_Word_t L4_ThreadIdUserBase(const void *kip) { return __L4_KIP(kip)->ThreadInfo.X.UserBase; }

L4_INLINE L4_Word_t L4_UtcbAreaSizeLog2(const void *kip) { return __L4_KIP(kip)->UtcbAreaInfo.X.s; }
L4_INLINE L4_Word_t L4_UtcbAreaSize(const void *kip) { return (L4_Word_t)1 << L4_UtcbAreaSizeLog2(kip); }
L4_INLINE L4_Word_t L4_UtcbAlignmentLog2(const void *kip) { return __L4_KIP(kip)->UtcbAreaInfo.X.a; }
L4_INLINE L4_Word_t L4_UtcbSize(const void *kip)
{
    return (L4_Word_t)__L4_KIP(kip)->UtcbAreaInfo.X.m << __L4_KIP(kip)->UtcbAreaInfo.X.a;
}
L4_INLINE L4_Word_t L4_KipAreaSizeLog2(const void *kip) { return __L4_KIP(kip)->KipAreaInfo.X.s; }
L4_INLINE L4_Word_t L4_KipAreaSize(const void *kip) { return (L4_Word_t)1 << L4_KipAreaSizeLog2(kip); }

L4_INLINE L4_Word_t L4_PageSizeMask(const void *kip) { return __L4_KIP(kip)->PageInfo.raw & ~(L4_Word_t)0x3FF; }
L4_INLINE L4_Word_t L4_PageRights(const void *kip) { return __L4_KIP(kip)->PageInfo.X.rwx; }

L4_INLINE L4_Word_t L4_NumProcessors(const void *kip) { return __L4_KIP(kip)->ProcessorInfo.X.processors + 1; }
L4_INLINE L4_Word_t L4_ReadPrecision(const void *kip) { return __L4_KIP(kip)->ClockInfo.X.ReadPrecision; }
L4_INLINE L4_Word_t L4_SchedulePrecision(const void *kip) { return __L4_KIP(kip)->ClockInfo.X.SchedulePrecision; }
L4_INLINE L4_Word_t L4_BootInfo(const void *kip) { return __L4_KIP(kip)->BootInfo; }

/* ---- Memory descriptors (2 words) ---- */
typedef union {
    L4_Word_t raw[2];
    struct {
        L4_Word_t type : 4;
        L4_Word_t t : 4;
        L4_Word_t __padding1 : 1;
        L4_Word_t v : 1;
        L4_Word_t low : L4_WORD_BITS - 10;
        L4_Word_t __padding2 : 10;
        L4_Word_t high : L4_WORD_BITS - 10;
    } x;
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

L4_INLINE L4_Word_t L4_NumMemoryDescriptors(const void *kip) { return __L4_KIP(kip)->MemoryInfo.n; }
L4_INLINE L4_MemoryDesc_t *L4_MemoryDesc(const void *kip, L4_Word_t n)
{
    if (n >= L4_NumMemoryDescriptors(kip))
        return 0;
    return (L4_MemoryDesc_t *)((const char *)kip + __L4_KIP(kip)->MemoryInfo.MemDescPtr) + n;
}
L4_INLINE L4_Word_t L4_MemoryDescType(const L4_MemoryDesc_t *d) { return d->raw[0] & 0xF; }
L4_INLINE L4_Word_t L4_MemoryDescSubType(const L4_MemoryDesc_t *d) { return (d->raw[0] >> 4) & 0xF; }
L4_INLINE L4_Bool_t L4_IsMemoryDescVirtual(const L4_MemoryDesc_t *d) { return (d->raw[0] >> 9) & 1; }
L4_INLINE L4_Word_t L4_MemoryDescLow(const L4_MemoryDesc_t *d) { return d->raw[0] & ~(L4_Word_t)0x3FF; }
L4_INLINE L4_Word_t L4_MemoryDescHigh(const L4_MemoryDesc_t *d) { return d->raw[1] | 0x3FF; }

/* ---- Kernel descriptor: id, date, version, supplier, then strings. ---- */
typedef struct {
    L4_KernelId_t KernelId;
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t day : 5;
            L4_Word_t month : 4;
            L4_Word_t year : 7; /* since 2000 */
        } X;
    } KernelGenDate;
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t subsubver : 16;
            L4_Word_t subver : 8;
            L4_Word_t ver : 8;
        } X;
    } KernelVer;
    L4_Word_t Supplier;
    char VersionString[];
} L4_KernelDesc_t;

L4_INLINE L4_KernelDesc_t *__L4_KernelDesc(const void *kip)
{
    return (L4_KernelDesc_t *)((const char *)kip + __L4_KIP(kip)->KernelVerPtr);
}
L4_INLINE L4_Word_t L4_KernelId(const void *kip) { return __L4_KernelDesc(kip)->KernelId.raw; }
L4_INLINE void L4_KernelGenDate(const void *kip, L4_Word_t *year, L4_Word_t *month, L4_Word_t *day)
{
    const L4_KernelDesc_t *d = __L4_KernelDesc(kip);
    *year = 2000 + d->KernelGenDate.X.year;
    *month = d->KernelGenDate.X.month;
    *day = d->KernelGenDate.X.day;
}
L4_INLINE L4_Word_t L4_KernelVersion(const void *kip) { return __L4_KernelDesc(kip)->KernelVer.raw; }
L4_INLINE L4_Word_t L4_KernelSupplier(const void *kip) { return __L4_KernelDesc(kip)->Supplier; }
L4_INLINE char *L4_KernelVersionString(const void *kip) { return __L4_KernelDesc(kip)->VersionString; }
/* The n-th feature string, or 0 past the last. */
L4_INLINE char *L4_Feature(const void *kip, L4_Word_t n)
{
    char *s = L4_KernelVersionString(kip);
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

/* ---- Processor descriptors: CPU i at ProcDescPtr + (i << s). ---- */
typedef union {
    L4_Word_t raw[4];
    struct {
        L4_Word_t ExternalFreq; /* kHz */
        L4_Word_t InternalFreq; /* kHz */
        L4_Word_t __padding[2];
    } X;
} L4_ProcDesc_t;

L4_INLINE L4_ProcDesc_t *L4_ProcDesc(const void *kip, L4_Word_t cpu)
{
    const L4_KernelInterfacePage_t *k = __L4_KIP(kip);
    return (L4_ProcDesc_t *)((const char *)kip + k->ProcDescPtr + (cpu << k->ProcessorInfo.X.s));
}
L4_INLINE L4_Word_t L4_ProcDescExternalFreq(const void *kip, L4_Word_t cpu) { return L4_ProcDesc(kip, cpu)->X.ExternalFreq; }
L4_INLINE L4_Word_t L4_ProcDescInternalFreq(const void *kip, L4_Word_t cpu) { return L4_ProcDesc(kip, cpu)->X.InternalFreq; }

#ifdef __cplusplus
}

/* ---- C++: the reference library's forms (its C names without a KIP
   argument, the descriptor functions on descriptors). ---- */
L4_INLINE void *L4_KernelInterface(void) { return L4_GetKernelInterface(); }
L4_INLINE L4_Word_t L4_ApiVersion(void)
{
    L4_Word_t v;
    L4_KernelInterface(&v, 0, 0);
    return v;
}
L4_INLINE L4_Word_t L4_ApiFlags(void)
{
    L4_Word_t f;
    L4_KernelInterface(0, &f, 0);
    return f;
}
L4_INLINE L4_Word_t L4_KernelId(void)
{
    L4_Word_t id;
    L4_KernelInterface(0, 0, &id);
    return id;
}
/* Whether the kernel lists a feature string equal to `name`. */
L4_INLINE bool L4_HasFeature(const char *name)
{
    const void *kip = L4_GetKernelInterface();
    const char *f;
    for (L4_Word_t i = 0; (f = L4_Feature(kip, i)) != 0; i++) {
        L4_Word_t j = 0;
        while (f[j] && f[j] == name[j])
            j++;
        if (f[j] == name[j])
            return true;
    }
    return false;
}
L4_INLINE bool L4_IsVirtual(const L4_MemoryDesc_t *d) { return L4_IsMemoryDescVirtual(d); }
L4_INLINE L4_Word_t L4_Type(const L4_MemoryDesc_t *d) { return L4_MemoryDescType(d); }
L4_INLINE L4_Word_t L4_SubType(const L4_MemoryDesc_t *d) { return L4_MemoryDescSubType(d); }
L4_INLINE L4_Word_t L4_Low(const L4_MemoryDesc_t *d) { return L4_MemoryDescLow(d); }
L4_INLINE L4_Word_t L4_High(const L4_MemoryDesc_t *d) { return L4_MemoryDescHigh(d); }
L4_INLINE L4_Word_t L4_ProcDescExternalFreq(const L4_ProcDesc_t *p) { return p->X.ExternalFreq; }
L4_INLINE L4_Word_t L4_ProcDescInternalFreq(const L4_ProcDesc_t *p) { return p->X.InternalFreq; }
L4_INLINE L4_Word_t L4_ExternalFreq(const L4_ProcDesc_t *p) { return p->X.ExternalFreq; }
L4_INLINE L4_Word_t L4_InternalFreq(const L4_ProcDesc_t *p) { return p->X.InternalFreq; }
#endif

#undef __L4_KIP
#endif /* L4_KIP_H */
