/* Message registers, buffer registers, typed items and acceptors. */
#ifndef L4_MESSAGE_H
#define L4_MESSAGE_H

#include "l4/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Direct access to the current thread's MRs and BRs (UTCB). ---- */
L4_INLINE L4_Word_t *__L4_MRs(void) { return __L4_Utcb(); }
L4_INLINE L4_Word_t *__L4_BR(int i) { return &__L4_Utcb()[L4_TCR_BR0 - i]; }

L4_INLINE void L4_LoadMR(int i, L4_Word_t w) { __L4_MRs()[i] = w; }
L4_INLINE void L4_StoreMR(int i, L4_Word_t *w) { *w = __L4_MRs()[i]; }
L4_INLINE void L4_LoadMRs(int i, int k, const L4_Word_t *w)
{
    L4_Word_t *mr = __L4_MRs();
    for (int j = 0; j < k; j++)
        mr[i + j] = w[j];
}
L4_INLINE void L4_StoreMRs(int i, int k, L4_Word_t *w)
{
    const L4_Word_t *mr = __L4_MRs();
    for (int j = 0; j < k; j++)
        w[j] = mr[i + j];
}
L4_INLINE void L4_LoadBR(int i, L4_Word_t w) { *__L4_BR(i) = w; }
L4_INLINE void L4_StoreBR(int i, L4_Word_t *w) { *w = *__L4_BR(i); }
L4_INLINE void L4_LoadBRs(int i, int k, const L4_Word_t *w)
{
    for (int j = 0; j < k; j++)
        *__L4_BR(i + j) = w[j];
}

L4_INLINE L4_MsgTag_t L4_MsgTag(void)
{
    L4_MsgTag_t t;
    t.raw = __L4_MRs()[0];
    return t;
}
L4_INLINE void L4_Set_MsgTag(L4_MsgTag_t t) { __L4_MRs()[0] = t.raw; }

/* ---- Map and grant items (2 words). ---- */
typedef struct {
    L4_Word_t raw[2];
} L4_MapItem_t, L4_GrantItem_t;

L4_INLINE L4_MapItem_t L4_MapItem(L4_Fpage_t f, L4_Word_t snd_base)
{
    L4_MapItem_t m;
    m.raw[0] = (snd_base & ~(L4_Word_t)0x3FF) | 0x8;
    m.raw[1] = f.raw;
    return m;
}
L4_INLINE L4_GrantItem_t L4_GrantItem(L4_Fpage_t f, L4_Word_t snd_base)
{
    L4_GrantItem_t g;
    g.raw[0] = (snd_base & ~(L4_Word_t)0x3FF) | 0xA;
    g.raw[1] = f.raw;
    return g;
}
L4_INLINE L4_Bool_t L4_IsMapItem(L4_MapItem_t m) { return (m.raw[0] & 0xE) == 0x8; }
L4_INLINE L4_Bool_t L4_IsGrantItem(L4_GrantItem_t g) { return (g.raw[0] & 0xE) == 0xA; }
L4_INLINE L4_Fpage_t L4_MapItemSndFpage(L4_MapItem_t m)
{
    L4_Fpage_t f;
    f.raw = m.raw[1];
    return f;
}
L4_INLINE L4_Word_t L4_MapItemSndBase(L4_MapItem_t m) { return m.raw[0] & ~(L4_Word_t)0x3FF; }

/* ---- Simple string items: one substring (2 words). ---- */
typedef struct {
    L4_Word_t raw[2];
} L4_StringItem_t;

L4_INLINE L4_StringItem_t L4_StringItem(L4_Word_t bytes, const void *address)
{
    L4_StringItem_t s;
    s.raw[0] = bytes << 10; /* C 0, type 0, j 0 (one substring), c 0 */
    s.raw[1] = (L4_Word_t)address;
    return s;
}
L4_INLINE L4_Word_t L4_StringItemLength(L4_StringItem_t s) { return s.raw[0] >> 10; }
L4_INLINE L4_Bool_t L4_IsStringItem(const L4_StringItem_t *s) { return (s->raw[0] & 0x8) == 0; }

/* ---- Acceptor (BR0): bit 0 strings, bits 4.. receive-window fpage. ---- */
typedef union {
    L4_Word_t raw;
} L4_Acceptor_t;

#define L4_UntypedWordsAcceptor ((L4_Acceptor_t){ .raw = 0 })
#define L4_StringItemsAcceptor ((L4_Acceptor_t){ .raw = 1 })

L4_INLINE L4_Acceptor_t L4_MapGrantItems(L4_Fpage_t window)
{
    L4_Acceptor_t a;
    a.raw = window.raw & ~(L4_Word_t)0xF;
    return a;
}
L4_INLINE L4_Acceptor_t L4_AddAcceptor(L4_Acceptor_t a, L4_Acceptor_t b)
{
    a.raw |= b.raw;
    return a;
}
L4_INLINE void L4_Accept(L4_Acceptor_t a) { L4_LoadBR(0, a.raw); }
L4_INLINE L4_Acceptor_t L4_Accepted(void)
{
    L4_Acceptor_t a;
    L4_StoreBR(0, &a.raw);
    return a;
}

/* ---- Message objects: a copy of MR0..MR63 built before L4_MsgLoad. ---- */
typedef union {
    L4_Word_t raw[64];
    L4_Word_t msg[64];
    L4_MsgTag_t tag;
} L4_Msg_t;

L4_INLINE void L4_MsgClear(L4_Msg_t *m) { m->raw[0] = 0; }
L4_INLINE void L4_Set_MsgLabel(L4_Msg_t *m, L4_Word_t label) { m->tag = L4_MsgTagAddLabel(m->tag, label); }
L4_INLINE L4_Word_t L4_MsgLabel(const L4_Msg_t *m) { return L4_Label(m->tag); }
L4_INLINE L4_MsgTag_t L4_MsgMsgTag(const L4_Msg_t *m) { return m->tag; }
L4_INLINE L4_Word_t L4_MsgWord(const L4_Msg_t *m, L4_Word_t u) { return m->raw[1 + u]; }
L4_INLINE void L4_MsgGet(const L4_Msg_t *m, L4_Word_t *untyped, void *typed)
{
    L4_Word_t u = L4_UntypedWords(m->tag), t = L4_TypedWords(m->tag);
    for (L4_Word_t i = 0; i < u; i++)
        untyped[i] = m->raw[1 + i];
    for (L4_Word_t i = 0; i < t; i++)
        ((L4_Word_t *)typed)[i] = m->raw[1 + u + i];
}

/* Appends an untyped word (typed items, if any, move up by one). */
L4_INLINE void L4_MsgAppendWord(L4_Msg_t *m, L4_Word_t w)
{
    L4_Word_t u = L4_UntypedWords(m->tag), t = L4_TypedWords(m->tag);
    if (1 + u + t >= 64)
        return;
    for (L4_Word_t i = u + t; i > u; i--)
        m->raw[1 + i] = m->raw[i];
    m->raw[1 + u] = w;
    m->raw[0] = (m->raw[0] & ~(L4_Word_t)0x3F) | (u + 1);
}
L4_INLINE void L4_MsgPutWord(L4_Msg_t *m, L4_Word_t u, L4_Word_t w) { m->raw[1 + u] = w; }

L4_INLINE void __L4_MsgAppendTyped(L4_Msg_t *m, const L4_Word_t *w, L4_Word_t n)
{
    L4_Word_t u = L4_UntypedWords(m->tag), t = L4_TypedWords(m->tag);
    if (1 + u + t + n > 64)
        return;
    for (L4_Word_t i = 0; i < n; i++)
        m->raw[1 + u + t + i] = w[i];
    m->raw[0] = (m->raw[0] & ~((L4_Word_t)0x3F << 6)) | ((t + n) << 6);
}
L4_INLINE void L4_MsgAppendMapItem(L4_Msg_t *m, L4_MapItem_t it) { __L4_MsgAppendTyped(m, it.raw, 2); }
L4_INLINE void L4_MsgAppendGrantItem(L4_Msg_t *m, L4_GrantItem_t it) { __L4_MsgAppendTyped(m, it.raw, 2); }
L4_INLINE void L4_MsgAppendSimpleStringItem(L4_Msg_t *m, L4_StringItem_t it) { __L4_MsgAppendTyped(m, it.raw, 2); }

/* Copies the message into the thread's MRs (tag, untyped, typed words). */
L4_INLINE void L4_MsgLoad(const L4_Msg_t *m)
{
    L4_LoadMRs(0, 1 + (int)L4_UntypedWords(m->tag) + (int)L4_TypedWords(m->tag), m->raw);
}
/* Copies a received message out of the MRs. */
L4_INLINE void L4_MsgStore(L4_MsgTag_t t, L4_Msg_t *m)
{
    m->tag = t;
    L4_StoreMRs(1, (int)(L4_UntypedWords(t) + L4_TypedWords(t)), &m->raw[1]);
}

#ifdef __cplusplus
}
#endif

#endif /* L4_MESSAGE_H */
