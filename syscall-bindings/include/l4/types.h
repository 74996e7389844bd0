/* X.2 data types: words, thread ids, fpages, clocks, time values, message
   tags; with the field names the X.2 manual gives them (`.X.`), and the C++
   operators the reference library offers. */
#ifndef L4_TYPES_H
#define L4_TYPES_H

#include "l4/gen/abi.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the bit fields below are laid out for little-endian arches"
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned int L4_Word32_t;
typedef unsigned short L4_Word16_t;
typedef unsigned char L4_Word8_t;
typedef signed long L4_SignedWord_t;
typedef signed long long L4_SignedWord64_t;
typedef signed int L4_SignedWord32_t;
typedef signed short L4_SignedWord16_t;
typedef signed char L4_SignedWord8_t;
typedef __SIZE_TYPE__ L4_Size_t;
typedef L4_Word64_t L4_Paddr_t;

#define L4_INLINE static inline
#define L4_BITS_PER_WORD (sizeof(L4_Word_t) * 8)
#define L4_LITTLE_ENDIAN 1
#if __SIZEOF_LONG__ == 8
#define L4_64BIT 1
#else
#define L4_32BIT 1
#endif
/* The reference library calls x86_64 "amd64" (ia32 has the same name). */
#if defined(L4_ARCH_X86_64) && !defined(L4_ARCH_AMD64)
#define L4_ARCH_AMD64 1
#endif

/* ---- Thread ids: version low, thread number high (14/18 bits on 32-bit,
   32/32 on 64-bit); a local id is the UTCB address (low 6 bits zero). ---- */
enum { L4_THREAD_VERSION_BITS = L4_WORD_BITS == 64 ? 32 : 14 };

typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t version : L4_THREAD_VERSION_BITS;
        L4_Word_t thread_no : (int)L4_WORD_BITS - (int)L4_THREAD_VERSION_BITS;
    } X;
} L4_GthreadId_t;

typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t __zeros : 6;
        L4_Word_t local_id : L4_WORD_BITS - 6;
    } X;
} L4_LthreadId_t;

typedef union {
    L4_Word_t raw;
    L4_GthreadId_t global;
    L4_LthreadId_t local;
} L4_ThreadId_t;

#define L4_nilthread ((L4_ThreadId_t){ .raw = 0 })
#define L4_anythread ((L4_ThreadId_t){ .raw = ~(L4_Word_t)0 })
#define L4_anylocalthread ((L4_ThreadId_t){ .raw = ~(L4_Word_t)0 << 6 })

L4_INLINE L4_ThreadId_t L4_GlobalId(L4_Word_t threadno, L4_Word_t version)
{
    L4_ThreadId_t t;
    t.raw = (threadno << L4_THREAD_VERSION_BITS) | (version & (((L4_Word_t)1 << L4_THREAD_VERSION_BITS) - 1));
    return t;
}
L4_INLINE L4_Word_t L4_ThreadNo(L4_ThreadId_t t) { return t.raw >> L4_THREAD_VERSION_BITS; }
L4_INLINE L4_Word_t L4_Version(L4_ThreadId_t t) { return t.raw & (((L4_Word_t)1 << L4_THREAD_VERSION_BITS) - 1); }
L4_INLINE L4_Bool_t L4_IsNilThread(L4_ThreadId_t t) { return t.raw == 0; }
L4_INLINE L4_Bool_t L4_IsLocalId(L4_ThreadId_t t) { return t.raw != 0 && (t.raw & 0x3F) == 0; }
L4_INLINE L4_Bool_t L4_IsGlobalId(L4_ThreadId_t t) { return (t.raw & 0x3F) != 0; }
L4_INLINE L4_Bool_t L4_IsThreadEqual(L4_ThreadId_t a, L4_ThreadId_t b) { return a.raw == b.raw; }
L4_INLINE L4_Bool_t L4_IsThreadNotEqual(L4_ThreadId_t a, L4_ThreadId_t b) { return a.raw != b.raw; }

/* ---- Fpages: rights 0-2, extended 3, size 4-9 (log2), base from bit 10. ---- */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t rwx : 3;
        L4_Word_t extended : 1;
        L4_Word_t s : 6;
        L4_Word_t b : L4_WORD_BITS - 10;
    } X;
} L4_Fpage_t;

enum {
    L4_NoAccess = 0,
    L4_eXecutable = 1,
    L4_Writable = 2,
    L4_Readable = 4,
    L4_ReadeXecOnly = 5,
    L4_ReadWriteOnly = 6,
    L4_FullyAccessible = 7,
};

#define L4_Nilpage ((L4_Fpage_t){ .raw = 0 })
#define L4_CompleteAddressSpace ((L4_Fpage_t){ .raw = 1 << 4 })

L4_INLINE L4_Fpage_t L4_FpageLog2(L4_Word_t base, int size_log2)
{
    L4_Fpage_t f;
    L4_Word_t mask = size_log2 >= L4_WORD_BITS ? 0 : ~(((L4_Word_t)1 << size_log2) - 1);
    f.raw = __L4_fpage_set_size_log2(base & mask & L4_LAYOUT_FPAGE_BASE_MASK, (L4_Word_t)size_log2);
    return f;
}
/* An fpage of `size` bytes (rounded down to a power of two). */
L4_INLINE L4_Fpage_t L4_Fpage(L4_Word_t base, L4_Word_t size)
{
    int log2 = 0;
    while (log2 + 1 < L4_WORD_BITS && ((L4_Word_t)1 << (log2 + 1)) <= size)
        log2++;
    return L4_FpageLog2(base, log2);
}
L4_INLINE L4_Word_t L4_Rights(L4_Fpage_t f) { return __L4_fpage_rights(f.raw); }
L4_INLINE L4_Fpage_t L4_Set_Rights(L4_Fpage_t *f, L4_Word_t r)
{
    f->raw = __L4_fpage_set_rights(f->raw, r);
    return *f;
}
L4_INLINE L4_Fpage_t L4_FpageAddRights(L4_Fpage_t f, L4_Word_t r)
{
    f.raw |= r & L4_LAYOUT_FPAGE_RIGHTS_MASK;
    return f;
}
L4_INLINE L4_Fpage_t L4_FpageAddRightsTo(L4_Fpage_t *f, L4_Word_t r)
{
    *f = L4_FpageAddRights(*f, r);
    return *f;
}
L4_INLINE L4_Fpage_t L4_FpageRemoveRights(L4_Fpage_t f, L4_Word_t r)
{
    f.raw &= ~(r & L4_LAYOUT_FPAGE_RIGHTS_MASK);
    return f;
}
L4_INLINE L4_Fpage_t L4_FpageRemoveRightsFrom(L4_Fpage_t *f, L4_Word_t r)
{
    *f = L4_FpageRemoveRights(*f, r);
    return *f;
}
L4_INLINE int L4_SizeLog2(L4_Fpage_t f) { return (int)__L4_fpage_size_log2(f.raw); }
L4_INLINE L4_Word_t L4_Size(L4_Fpage_t f)
{
    int s = L4_SizeLog2(f);
    return s >= L4_WORD_BITS ? 0 : (L4_Word_t)1 << s;
}
L4_INLINE L4_Word_t L4_Address(L4_Fpage_t f)
{
    int s = L4_SizeLog2(f);
    L4_Word_t mask = s >= L4_WORD_BITS ? 0 : ~(((L4_Word_t)1 << s) - 1);
    return f.raw & mask & L4_LAYOUT_FPAGE_BASE_MASK;
}
L4_INLINE L4_Bool_t L4_IsNilFpage(L4_Fpage_t f) { return f.raw == 0; }

/* ---- Clock: microseconds (SystemClock). ---- */
typedef union {
    L4_Word64_t raw;
    struct {
        L4_Word32_t low;
        L4_Word32_t high;
    } X;
} L4_Clock_t;

L4_INLINE L4_Clock_t L4_ClockAddUsec(L4_Clock_t c, L4_Word64_t us)
{
    c.raw += us;
    return c;
}
L4_INLINE L4_Clock_t L4_ClockSubUsec(L4_Clock_t c, L4_Word64_t us)
{
    c.raw -= us;
    return c;
}
L4_INLINE L4_Bool_t L4_IsClockEarlier(L4_Clock_t a, L4_Clock_t b) { return a.raw < b.raw; }
L4_INLINE L4_Bool_t L4_IsClockLater(L4_Clock_t a, L4_Clock_t b) { return a.raw > b.raw; }
L4_INLINE L4_Bool_t L4_IsClockEqual(L4_Clock_t a, L4_Clock_t b) { return a.raw == b.raw; }
L4_INLINE L4_Bool_t L4_IsClockNotEqual(L4_Clock_t a, L4_Clock_t b) { return a.raw != b.raw; }

/* ---- Time: 16-bit periods m * 2^e microseconds (m 10 bits, e 5 bits);
   points (bit 15 set) are not produced by this library. ---- */
typedef union {
    L4_Word16_t raw;
    struct {
        L4_Word16_t m : 10;
        L4_Word16_t e : 5;
        L4_Word16_t a : 1;
    } period;
    struct {
        L4_Word16_t m : 10;
        L4_Word16_t c : 1;
        L4_Word16_t e : 4;
        L4_Word16_t a : 1;
    } point;
} L4_Time_t;

#define L4_Never ((L4_Time_t){ .raw = 0 })
#define L4_ZeroTime ((L4_Time_t){ .raw = 1 << 10 })

/* Smallest exponent that fits; the mantissa is rounded down.  0 us is the
   zero timeout (the reference library turns it into "never"; UMOL4 keeps
   the value the caller asked for). */
L4_INLINE L4_Time_t L4_TimePeriod(L4_Word64_t microseconds)
{
    L4_Time_t t;
    if (microseconds == 0)
        return L4_ZeroTime;
    int e = 0;
    while (microseconds >= 1024 && e < 31) {
        microseconds >>= 1;
        e++;
    }
    if (microseconds >= 1024)
        return L4_Never; /* longer than the largest period: wait forever */
    t.raw = (L4_Word16_t)__L4_time_period_set_exponent(__L4_time_period_set_mantissa(0, (L4_Word_t)microseconds), e);
    return t;
}
L4_INLINE L4_Bool_t L4_IsTimePeriod(L4_Time_t t) { return !__L4_time_period_point(t.raw); }
L4_INLINE L4_Word64_t L4_PeriodMicroseconds(L4_Time_t t)
{
    return (L4_Word64_t)__L4_time_period_mantissa(t.raw) << __L4_time_period_exponent(t.raw);
}
L4_INLINE L4_Word_t L4_Timeouts(L4_Time_t snd, L4_Time_t rcv)
{
    return __L4_ipc_timeouts_set_receive(__L4_ipc_timeouts_set_send(0, snd.raw), rcv.raw);
}

/* ---- Message tag (MR0): u 0-5, t 6-11, flags 12-15, label 16.. ---- */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t u : 6;
        L4_Word_t t : 6;
        L4_Word_t flags : 4;
        L4_Word_t label : L4_WORD_BITS - 16;
    } X;
} L4_MsgTag_t;

#define L4_Niltag ((L4_MsgTag_t){ .raw = 0 })

L4_INLINE L4_MsgTag_t L4_MsgTagMake(L4_Word_t label, L4_Word_t u, L4_Word_t t)
{
    L4_MsgTag_t m;
    m.raw = __L4_msg_tag_set_untyped(__L4_msg_tag_set_typed(__L4_msg_tag_set_label(0, label), t), u);
    return m;
}
L4_INLINE L4_Bool_t L4_IsMsgTagEqual(L4_MsgTag_t a, L4_MsgTag_t b) { return a.raw == b.raw; }
L4_INLINE L4_Bool_t L4_IsMsgTagNotEqual(L4_MsgTag_t a, L4_MsgTag_t b) { return a.raw != b.raw; }
L4_INLINE L4_Word_t L4_Label(L4_MsgTag_t t) { return __L4_msg_tag_label(t.raw); }
L4_INLINE L4_Word_t L4_UntypedWords(L4_MsgTag_t t) { return __L4_msg_tag_untyped(t.raw); }
L4_INLINE L4_Word_t L4_TypedWords(L4_MsgTag_t t) { return __L4_msg_tag_typed(t.raw); }
L4_INLINE L4_MsgTag_t L4_MsgTagAddLabel(L4_MsgTag_t t, L4_Word_t label)
{
    t.raw = __L4_msg_tag_set_label(t.raw, label);
    return t;
}
L4_INLINE L4_MsgTag_t L4_MsgTagAddLabelTo(L4_MsgTag_t *t, L4_Word_t label)
{
    *t = L4_MsgTagAddLabel(*t, label);
    return *t;
}
L4_INLINE void L4_Set_Label(L4_MsgTag_t *t, L4_Word_t label) { L4_MsgTagAddLabelTo(t, label); }
L4_INLINE L4_Bool_t L4_IpcFailed(L4_MsgTag_t t) { return __L4_msg_tag_error(t.raw); }
L4_INLINE L4_Bool_t L4_IpcSucceeded(L4_MsgTag_t t) { return !L4_IpcFailed(t); }
L4_INLINE L4_Bool_t L4_IpcPropagated(L4_MsgTag_t t) { return __L4_msg_tag_propagated(t.raw); }
L4_INLINE L4_Bool_t L4_IpcRedirected(L4_MsgTag_t t) { return __L4_msg_tag_redirected(t.raw); }
L4_INLINE L4_Bool_t L4_IpcXcpu(L4_MsgTag_t t) { return __L4_msg_tag_cross_cpu(t.raw); }
L4_INLINE void L4_Set_Propagation(L4_MsgTag_t *t) { t->raw = __L4_msg_tag_set_propagated(t->raw, 1); }

/* Kernel-defined labels: -n << 4 in the label field (16 bits on 32-bit
   arches, 48 on 64-bit), i.e. sign-extended to the field's width; servers
   compare label >> 4 (faults carry the access rights in the low 4 bits). */
#define L4_KERNEL_LABEL(n) ((((L4_Word_t)0 - (n)) << 4) & (~(L4_Word_t)0 >> 16))
#define L4_INTERRUPT_LABEL L4_KERNEL_LABEL(1)
#define L4_PAGEFAULT_LABEL L4_KERNEL_LABEL(2)
#define L4_PREEMPTION_LABEL L4_KERNEL_LABEL(3)
#define L4_EXCEPTION_LABEL L4_KERNEL_LABEL(5)
#define L4_SIGMA0_LABEL L4_KERNEL_LABEL(6)

#ifdef __cplusplus
}

/* ---- C++: comparison and arithmetic on the value types. ---- */
static inline bool operator==(const L4_ThreadId_t& a, const L4_ThreadId_t& b) { return a.raw == b.raw; }
static inline bool operator!=(const L4_ThreadId_t& a, const L4_ThreadId_t& b) { return a.raw != b.raw; }

static inline L4_Fpage_t operator+(const L4_Fpage_t& f, L4_Word_t rights) { return L4_FpageAddRights(f, rights); }
static inline L4_Fpage_t operator-(const L4_Fpage_t& f, L4_Word_t rights) { return L4_FpageRemoveRights(f, rights); }
static inline L4_Fpage_t operator+=(L4_Fpage_t& f, L4_Word_t rights) { return L4_FpageAddRightsTo(&f, rights); }
static inline L4_Fpage_t operator-=(L4_Fpage_t& f, L4_Word_t rights) { return L4_FpageRemoveRightsFrom(&f, rights); }

static inline bool operator==(const L4_MsgTag_t& a, const L4_MsgTag_t& b) { return a.raw == b.raw; }
static inline bool operator!=(const L4_MsgTag_t& a, const L4_MsgTag_t& b) { return a.raw != b.raw; }
static inline L4_MsgTag_t operator+(const L4_MsgTag_t& t, L4_Word_t label) { return L4_MsgTagAddLabel(t, label); }
static inline L4_MsgTag_t operator+=(L4_MsgTag_t& t, L4_Word_t label) { return L4_MsgTagAddLabelTo(&t, label); }

/* Microseconds added to or taken from a clock, for every integer type a
   literal or a word may have. */
#define __L4_CLOCK_ARITHMETIC(T)                                                                  \
    static inline L4_Clock_t operator+(const L4_Clock_t& c, T us) { return L4_ClockAddUsec(c, (L4_Word64_t)us); } \
    static inline L4_Clock_t operator-(const L4_Clock_t& c, T us) { return L4_ClockSubUsec(c, (L4_Word64_t)us); }
__L4_CLOCK_ARITHMETIC(int)
__L4_CLOCK_ARITHMETIC(unsigned)
__L4_CLOCK_ARITHMETIC(long)
__L4_CLOCK_ARITHMETIC(unsigned long)
__L4_CLOCK_ARITHMETIC(long long)
__L4_CLOCK_ARITHMETIC(unsigned long long)
#undef __L4_CLOCK_ARITHMETIC
static inline L4_Clock_t operator+(const L4_Clock_t& a, const L4_Clock_t& b) { return L4_ClockAddUsec(a, b.raw); }
static inline L4_Clock_t operator-(const L4_Clock_t& a, const L4_Clock_t& b) { return L4_ClockSubUsec(a, b.raw); }
static inline bool operator<(const L4_Clock_t& a, const L4_Clock_t& b) { return a.raw < b.raw; }
static inline bool operator>(const L4_Clock_t& a, const L4_Clock_t& b) { return a.raw > b.raw; }
static inline bool operator<=(const L4_Clock_t& a, const L4_Clock_t& b) { return a.raw <= b.raw; }
static inline bool operator>=(const L4_Clock_t& a, const L4_Clock_t& b) { return a.raw >= b.raw; }
static inline bool operator==(const L4_Clock_t& a, const L4_Clock_t& b) { return a.raw == b.raw; }
static inline bool operator!=(const L4_Clock_t& a, const L4_Clock_t& b) { return a.raw != b.raw; }
#endif

#endif /* L4_TYPES_H */
