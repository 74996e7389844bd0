/* amd64: thread ids as threads of a 32-bit compatibility space use them
   (SpaceControl control bit 63).  A 32-bit global id holds the thread
   number in bits 14..31 and the version in bits 0..13; a local id is the
   UTCB address (low 6 bits zero).  A 64-bit program passes such ids to the
   32-bit code it starts; the kernel itself converts the ids of system calls
   and UTCB fields. */
#ifndef L4_AMD64_COMPAT_H
#define L4_AMD64_COMPAT_H

#include "l4/types.h"

typedef union {
    L4_Word32_t raw;
    struct {
        L4_Word32_t version : 14;
        L4_Word32_t thread_no : 18;
    } X;
} L4_GthreadId32_t;

typedef union {
    L4_Word32_t raw;
    struct {
        L4_Word32_t __zeros : 6;
        L4_Word32_t local_id : 26;
    } X;
} L4_LthreadId32_t;

typedef union {
    L4_Word32_t raw;
    L4_GthreadId32_t global;
    L4_LthreadId32_t local;
} L4_ThreadId32_t;

L4_INLINE L4_ThreadId32_t L4_ThreadId32_raw(L4_Word32_t raw)
{
    L4_ThreadId32_t t;
    t.raw = raw;
    return t;
}

#define L4_nilthread32 L4_ThreadId32_raw(0)
#define L4_anythread32 L4_ThreadId32_raw(0xFFFFFFFFu)
#define L4_anylocalthread32 L4_ThreadId32_raw(0xFFFFFFC0u)

L4_INLINE L4_ThreadId32_t L4_GlobalId32(L4_Word32_t threadno, L4_Word32_t version)
{
    return L4_ThreadId32_raw((threadno << 14) | (version & 0x3FFF));
}
L4_INLINE L4_Word32_t L4_ThreadNo32(L4_ThreadId32_t t) { return t.raw >> 14; }
L4_INLINE L4_Word32_t L4_Version32(L4_ThreadId32_t t) { return t.raw & 0x3FFF; }
L4_INLINE L4_Bool_t L4_IsThreadEqual32(L4_ThreadId32_t l, L4_ThreadId32_t r) { return l.raw == r.raw; }
L4_INLINE L4_Bool_t L4_IsThreadNotEqual32(L4_ThreadId32_t l, L4_ThreadId32_t r) { return l.raw != r.raw; }

/* A 64-bit id as 32-bit code names it (the number and version as far as
   18 and 14 bits hold them), and back. */
L4_INLINE L4_ThreadId32_t L4_ThreadId32(L4_ThreadId_t t)
{
    if (t.raw == 0) return L4_nilthread32;
    if (t.raw == ~(L4_Word_t)0) return L4_anythread32;
    if (t.raw == (~(L4_Word_t)0 & ~(L4_Word_t)0x3F)) return L4_anylocalthread32;
    if ((t.raw & 0x3F) == 0) return L4_ThreadId32_raw((L4_Word32_t)t.raw); /* local: the UTCB address */
    return L4_GlobalId32((L4_Word32_t)(t.raw >> 32), (L4_Word32_t)t.raw);
}
L4_INLINE L4_ThreadId_t L4_ThreadId64(L4_ThreadId32_t t)
{
    L4_ThreadId_t r;
    if (t.raw == 0) r.raw = 0;
    else if (t.raw == 0xFFFFFFFFu) r.raw = ~(L4_Word_t)0;
    else if (t.raw == 0xFFFFFFC0u) r.raw = ~(L4_Word_t)0 & ~(L4_Word_t)0x3F;
    else if ((t.raw & 0x3F) == 0) r.raw = t.raw;
    else r.raw = ((L4_Word_t)L4_ThreadNo32(t) << 32) | L4_Version32(t);
    return r;
}

#if defined(__cplusplus)
static inline bool operator==(const L4_ThreadId32_t &l, const L4_ThreadId32_t &r) { return l.raw == r.raw; }
static inline bool operator!=(const L4_ThreadId32_t &l, const L4_ThreadId32_t &r) { return l.raw != r.raw; }
#endif

#endif /* L4_AMD64_COMPAT_H */
