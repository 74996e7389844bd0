/* Typed items (map, grant, string), acceptors, message objects and receive
   buffers, over the registers of l4/vregs.h (with the reference library's
   C++ overloads). */
#ifndef L4_MESSAGE_H
#define L4_MESSAGE_H

#include "l4/vregs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Map and grant items (2 words): send base | kind (map, grant) | C;
   the send fpage (layout map_item in x2.toml). ---- */
enum { __L4_ITEM_MAP = 4, __L4_ITEM_GRANT = 5 };
#define __L4_SEND_ITEM_FIELDS                   \
    struct {                                    \
        L4_Word_t C : 1;                        \
        L4_Word_t __type : 3;                   \
        L4_Word_t __zeros : 6;                  \
        L4_Word_t snd_base : L4_WORD_BITS - 10; \
        L4_Fpage_t snd_fpage;                   \
    } X
typedef union {
    L4_Word_t raw[2];
    __L4_SEND_ITEM_FIELDS;
} L4_MapItem_t;
typedef union {
    L4_Word_t raw[2];
    __L4_SEND_ITEM_FIELDS;
} L4_GrantItem_t;
#undef __L4_SEND_ITEM_FIELDS

L4_INLINE L4_MapItem_t L4_MapItem(L4_Fpage_t f, L4_Word_t snd_base)
{
    L4_MapItem_t m;
    m.raw[0] = __L4_map_item_set_kind(snd_base & L4_LAYOUT_MAP_ITEM_SEND_BASE_MASK, __L4_ITEM_MAP);
    m.raw[1] = f.raw;
    return m;
}
L4_INLINE L4_GrantItem_t L4_GrantItem(L4_Fpage_t f, L4_Word_t snd_base)
{
    L4_GrantItem_t g;
    g.raw[0] = __L4_map_item_set_kind(snd_base & L4_LAYOUT_MAP_ITEM_SEND_BASE_MASK, __L4_ITEM_GRANT);
    g.raw[1] = f.raw;
    return g;
}
L4_INLINE L4_Bool_t L4_IsMapItem(L4_MapItem_t m) { return __L4_map_item_kind(m.raw[0]) == __L4_ITEM_MAP; }
L4_INLINE L4_Bool_t L4_IsGrantItem(L4_GrantItem_t g) { return __L4_map_item_kind(g.raw[0]) == __L4_ITEM_GRANT; }
L4_INLINE L4_Fpage_t L4_MapItemSndFpage(L4_MapItem_t m)
{
    L4_Fpage_t f;
    f.raw = m.raw[1];
    return f;
}
L4_INLINE L4_Word_t L4_MapItemSndBase(L4_MapItem_t m) { return m.raw[0] & L4_LAYOUT_MAP_ITEM_SEND_BASE_MASK; }
L4_INLINE L4_Fpage_t L4_GrantItemSndFpage(L4_GrantItem_t g)
{
    L4_Fpage_t f;
    f.raw = g.raw[1];
    return f;
}
L4_INLINE L4_Word_t L4_GrantItemSndBase(L4_GrantItem_t g) { return g.raw[0] & L4_LAYOUT_MAP_ITEM_SEND_BASE_MASK; }

/* ---- String items: a header (length, c: another item of the same string
   follows, j+1 substrings, C) and j+1 substring addresses. ---- */
typedef union {
    L4_Word_t raw[2];
    struct {
        L4_Word_t C : 1;
        L4_Word_t __type : 3;
        L4_Word_t j : 5;
        L4_Word_t c : 1;
        L4_Word_t string_length : L4_WORD_BITS - 10;
        union {
            void *string_ptr;
            void *substring_ptr[1];
        } str;
    } X;
} L4_StringItem_t;

L4_INLINE L4_StringItem_t L4_StringItem(L4_Word_t bytes, const void *address)
{
    L4_StringItem_t s;
    s.raw[0] = __L4_string_item_set_length(0, bytes); /* C 0, type 0, j 0 (one substring), c 0 */
    s.raw[1] = (L4_Word_t)address;
    return s;
}
L4_INLINE L4_Word_t L4_StringItemLength(L4_StringItem_t s) { return __L4_string_item_length(s.raw[0]); }
L4_INLINE L4_Bool_t L4_IsStringItem(const L4_StringItem_t *s) { return (__L4_string_item_kind(s->raw[0]) & __L4_ITEM_MAP) == 0; }
L4_INLINE L4_Bool_t L4_CompoundString(const L4_StringItem_t *s) { return __L4_string_item_compound(s->raw[0]); }
L4_INLINE L4_Word_t L4_Substrings(const L4_StringItem_t *s) { return __L4_string_item_substrings(s->raw[0]) + 1; }
/* The n-th substring's address (from 1). */
L4_INLINE void *L4_Substring(const L4_StringItem_t *s, L4_Word_t n) { return (void *)((const L4_Word_t *)s)[n]; }
/* Words of the string starting at `s`: every item up to the one without c. */
L4_INLINE L4_Word_t __L4_StringWords(const L4_StringItem_t *s)
{
    const L4_Word_t *w = s->raw;
    L4_Word_t n = 0, more;
    do {
        more = __L4_string_item_compound(w[n]);
        n += 2 + __L4_string_item_substrings(w[n]);
    } while (more);
    return n;
}

/* Extends the string at `s` (memory after it must have room): one more
   substring address, or one more item (the last item gets c). */
L4_INLINE L4_StringItem_t *__L4_LastStringItem(L4_StringItem_t *s)
{
    L4_Word_t *w = s->raw;
    while (__L4_string_item_compound(w[0]))
        w += 2 + __L4_string_item_substrings(w[0]);
    return (L4_StringItem_t *)w;
}
L4_INLINE L4_StringItem_t *L4_AddSubstringAddressTo(L4_StringItem_t *s, void *address)
{
    L4_Word_t *last = __L4_LastStringItem(s)->raw;
    L4_Word_t j = __L4_string_item_substrings(last[0]) + 1;
    last[0] = __L4_string_item_set_substrings(last[0], j);
    last[1 + j] = (L4_Word_t)address;
    return s;
}
L4_INLINE L4_StringItem_t *L4_AddSubstringTo(L4_StringItem_t *s, const L4_StringItem_t *more)
{
    L4_Word_t *last = __L4_LastStringItem(s)->raw;
    L4_Word_t *end = last + 2 + __L4_string_item_substrings(last[0]);
    last[0] = __L4_string_item_set_compound(last[0], 1);
    for (L4_Word_t i = 0, n = __L4_StringWords(more); i < n; i++)
        end[i] = more->raw[i];
    return (L4_StringItem_t *)end;
}

/* ---- Acceptor (BR0): s (strings), receive window from bit 4. ---- */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t s : 1;
        L4_Word_t c : 1;
        L4_Word_t __zeros : 2;
        L4_Word_t RcvWindow : L4_WORD_BITS - 4;
    } X;
} L4_Acceptor_t;

#define L4_UntypedWordsAcceptor ((L4_Acceptor_t){ .raw = 0 })
#define L4_StringItemsAcceptor ((L4_Acceptor_t){ .raw = 1 })

L4_INLINE L4_Acceptor_t L4_MapGrantItems(L4_Fpage_t window)
{
    L4_Acceptor_t a;
    a.raw = window.raw & ~(L4_Word_t)0xF;
    return a;
}
/* Strings if either accepts them; the second's window if it has one. */
L4_INLINE L4_Acceptor_t L4_AddAcceptor(L4_Acceptor_t a, L4_Acceptor_t b)
{
    L4_Word_t window = (b.raw & ~(L4_Word_t)0xF) ? b.raw : a.raw;
    a.raw = (window & ~(L4_Word_t)0xF) | ((a.raw | b.raw) & 1);
    return a;
}
L4_INLINE L4_Acceptor_t L4_AddAcceptorTo(L4_Acceptor_t a, L4_Acceptor_t b) { return L4_AddAcceptor(a, b); }
/* What the second accepts is no longer accepted. */
L4_INLINE L4_Acceptor_t L4_RemoveAcceptor(L4_Acceptor_t a, L4_Acceptor_t b)
{
    if (b.raw & 1)
        a.raw &= ~(L4_Word_t)1;
    if (b.raw & ~(L4_Word_t)0xF)
        a.raw &= 0xF;
    return a;
}
L4_INLINE L4_Acceptor_t L4_RemoveAcceptorFrom(L4_Acceptor_t a, L4_Acceptor_t b) { return L4_RemoveAcceptor(a, b); }
L4_INLINE L4_Bool_t L4_HasStringItems(L4_Acceptor_t a) { return a.raw & 1; }
L4_INLINE L4_Bool_t L4_HasMapGrantItems(L4_Acceptor_t a) { return (a.raw & ~(L4_Word_t)0xF) != 0; }
L4_INLINE L4_Fpage_t L4_RcvWindow(L4_Acceptor_t a)
{
    L4_Fpage_t f;
    f.raw = a.raw & ~(L4_Word_t)0xF;
    return f;
}
L4_INLINE void L4_Accept(L4_Acceptor_t a) { L4_LoadBR(0, a.raw); }
L4_INLINE L4_Acceptor_t L4_Accepted(void)
{
    L4_Acceptor_t a;
    L4_StoreBR(0, &a.raw);
    return a;
}

/* ---- Receive buffers: string items for BR1.., each string's first
   header with C set when another string follows. ---- */
typedef union {
    L4_Word_t raw[__L4_NUM_BRS - 1];
    L4_StringItem_t string[1];
} L4_MsgBuffer_t;

L4_INLINE void L4_MsgBufferClear(L4_MsgBuffer_t *b) { b->raw[0] = b->raw[1] = 0; }
L4_INLINE L4_Bool_t __L4_MsgBufferEmpty(const L4_MsgBuffer_t *b) { return b->raw[0] == 0 && b->raw[1] == 0; }
/* Words the buffer's strings take. */
L4_INLINE L4_Word_t __L4_MsgBufferWords(const L4_MsgBuffer_t *b)
{
    if (__L4_MsgBufferEmpty(b))
        return 0;
    L4_Word_t n = 0, more;
    do {
        more = b->raw[n] & 1;
        n += __L4_StringWords((const L4_StringItem_t *)&b->raw[n]);
    } while (more && n < __L4_NUM_BRS - 1);
    return n;
}
/* Appends `words` words of a string, marking the last string's C. */
L4_INLINE void __L4_MsgBufferAppend(L4_MsgBuffer_t *b, const L4_Word_t *w, L4_Word_t words)
{
    L4_Word_t at = 0, last = 0;
    if (!__L4_MsgBufferEmpty(b)) {
        while (at < __L4_NUM_BRS - 1) {
            last = at;
            L4_Word_t more = b->raw[at] & 1;
            at += __L4_StringWords((const L4_StringItem_t *)&b->raw[at]);
            if (!more)
                break;
        }
    }
    if (at + words > __L4_NUM_BRS - 1)
        return;
    if (at)
        b->raw[last] |= 1;
    for (L4_Word_t i = 0; i < words; i++)
        b->raw[at + i] = w[i];
    b->raw[at] &= ~(L4_Word_t)1;
}
L4_INLINE void L4_MsgBufferAppendSimpleRcvString(L4_MsgBuffer_t *b, L4_StringItem_t s)
{
    s.raw[0] &= ~(L4_LAYOUT_STRING_ITEM_SUBSTRINGS_MASK | L4_LAYOUT_STRING_ITEM_COMPOUND_MASK); /* one substring, no continuation */
    __L4_MsgBufferAppend(b, s.raw, 2);
}
L4_INLINE void L4_MsgBufferAppendRcvString(L4_MsgBuffer_t *b, const L4_StringItem_t *s)
{
    __L4_MsgBufferAppend(b, s->raw, __L4_StringWords(s));
}
/* Accepts `a` and loads the buffer's strings into BR1... */
L4_INLINE void L4_AcceptStrings(L4_Acceptor_t a, const L4_MsgBuffer_t *b)
{
    L4_Accept(a);
    L4_LoadBRs(1, (int)__L4_MsgBufferWords(b), b->raw);
}

/* ---- Message objects: a copy of MR0..MR63 built before L4_MsgLoad. ---- */
typedef union {
    L4_Word_t raw[__L4_NUM_MRS];
    L4_Word_t msg[__L4_NUM_MRS];
    L4_MsgTag_t tag;
} L4_Msg_t;

L4_INLINE void L4_MsgClear(L4_Msg_t *m) { m->raw[0] = 0; }
L4_INLINE void L4_Set_MsgLabel(L4_Msg_t *m, L4_Word_t label) { m->tag = L4_MsgTagAddLabel(m->tag, label); }
L4_INLINE L4_Word_t L4_MsgLabel(const L4_Msg_t *m) { return L4_Label(m->tag); }
L4_INLINE L4_MsgTag_t L4_MsgMsgTag(const L4_Msg_t *m) { return m->tag; }
L4_INLINE void L4_Set_MsgMsgTag(L4_Msg_t *m, L4_MsgTag_t t) { m->tag = t; }
L4_INLINE L4_Word_t L4_MsgWord(const L4_Msg_t *m, L4_Word_t u) { return m->raw[1 + u]; }
L4_INLINE void L4_MsgGetWord(const L4_Msg_t *m, L4_Word_t u, L4_Word_t *w) { *w = m->raw[1 + u]; }
L4_INLINE void L4_MsgGet(const L4_Msg_t *m, L4_Word_t *untyped, void *typed)
{
    L4_Word_t u = L4_UntypedWords(m->tag), t = L4_TypedWords(m->tag);
    for (L4_Word_t i = 0; i < u; i++)
        untyped[i] = m->raw[1 + i];
    for (L4_Word_t i = 0; i < t; i++)
        ((L4_Word_t *)typed)[i] = m->raw[1 + u + i];
}
/* A whole message: label, u untyped words, t words of typed items. */
L4_INLINE void L4_MsgPut(L4_Msg_t *m, L4_Word_t label, int u, const L4_Word_t *untyped, int t, const void *typed)
{
    for (int i = 0; i < u; i++)
        m->raw[1 + i] = untyped[i];
    for (int i = 0; i < t; i++)
        m->raw[1 + u + i] = ((const L4_Word_t *)typed)[i];
    m->tag = L4_MsgTagMake(label, (L4_Word_t)u, (L4_Word_t)t);
}

/* Appends an untyped word (typed items, if any, move up by one). */
L4_INLINE void L4_MsgAppendWord(L4_Msg_t *m, L4_Word_t w)
{
    L4_Word_t u = L4_UntypedWords(m->tag), t = L4_TypedWords(m->tag);
    if (1 + u + t >= __L4_NUM_MRS)
        return;
    for (L4_Word_t i = u + t; i > u; i--)
        m->raw[1 + i] = m->raw[i];
    m->raw[1 + u] = w;
    m->raw[0] = __L4_msg_tag_set_untyped(m->raw[0], u + 1);
}
L4_INLINE void L4_MsgPutWord(L4_Msg_t *m, L4_Word_t u, L4_Word_t w) { m->raw[1 + u] = w; }

L4_INLINE void __L4_MsgAppendTyped(L4_Msg_t *m, const L4_Word_t *w, L4_Word_t n)
{
    L4_Word_t u = L4_UntypedWords(m->tag), t = L4_TypedWords(m->tag);
    if (1 + u + t + n > __L4_NUM_MRS)
        return;
    for (L4_Word_t i = 0; i < n; i++)
        m->raw[1 + u + t + i] = w[i];
    m->raw[0] = __L4_msg_tag_set_typed(m->raw[0], t + n);
}
/* Typed words at typed-word index `t` (0 is the first after the untyped). */
L4_INLINE void __L4_MsgPutTyped(L4_Msg_t *m, L4_Word_t t, const L4_Word_t *w, L4_Word_t n)
{
    L4_Word_t at = 1 + L4_UntypedWords(m->tag) + t;
    for (L4_Word_t i = 0; i < n && at + i < __L4_NUM_MRS; i++)
        m->raw[at + i] = w[i];
}
L4_INLINE void L4_MsgAppendMapItem(L4_Msg_t *m, L4_MapItem_t it) { __L4_MsgAppendTyped(m, it.raw, 2); }
L4_INLINE void L4_MsgAppendGrantItem(L4_Msg_t *m, L4_GrantItem_t it) { __L4_MsgAppendTyped(m, it.raw, 2); }
L4_INLINE void L4_MsgAppendSimpleStringItem(L4_Msg_t *m, L4_StringItem_t it)
{
    it.raw[0] &= ~(L4_LAYOUT_STRING_ITEM_SUBSTRINGS_MASK | L4_LAYOUT_STRING_ITEM_COMPOUND_MASK);
    __L4_MsgAppendTyped(m, it.raw, 2);
}
L4_INLINE void L4_MsgAppendStringItem(L4_Msg_t *m, const L4_StringItem_t *s)
{
    __L4_MsgAppendTyped(m, s->raw, __L4_StringWords(s));
}
L4_INLINE void L4_MsgPutMapItem(L4_Msg_t *m, L4_Word_t t, L4_MapItem_t it) { __L4_MsgPutTyped(m, t, it.raw, 2); }
L4_INLINE void L4_MsgPutGrantItem(L4_Msg_t *m, L4_Word_t t, L4_GrantItem_t it) { __L4_MsgPutTyped(m, t, it.raw, 2); }
L4_INLINE void L4_MsgPutSimpleStringItem(L4_Msg_t *m, L4_Word_t t, L4_StringItem_t it)
{
    it.raw[0] &= ~(L4_LAYOUT_STRING_ITEM_SUBSTRINGS_MASK | L4_LAYOUT_STRING_ITEM_COMPOUND_MASK);
    __L4_MsgPutTyped(m, t, it.raw, 2);
}
L4_INLINE void L4_MsgPutStringItem(L4_Msg_t *m, L4_Word_t t, const L4_StringItem_t *s)
{
    __L4_MsgPutTyped(m, t, s->raw, __L4_StringWords(s));
}
/* Typed items out of a message; each returns the words it took. */
L4_INLINE L4_Word_t L4_MsgGetMapItem(const L4_Msg_t *m, L4_Word_t t, L4_MapItem_t *it)
{
    L4_Word_t at = 1 + L4_UntypedWords(m->tag) + t;
    it->raw[0] = m->raw[at];
    it->raw[1] = m->raw[at + 1];
    return 2;
}
L4_INLINE L4_Word_t L4_MsgGetGrantItem(const L4_Msg_t *m, L4_Word_t t, L4_GrantItem_t *it)
{
    L4_Word_t at = 1 + L4_UntypedWords(m->tag) + t;
    it->raw[0] = m->raw[at];
    it->raw[1] = m->raw[at + 1];
    return 2;
}
L4_INLINE L4_Word_t L4_MsgGetStringItem(const L4_Msg_t *m, L4_Word_t t, L4_StringItem_t *s)
{
    const L4_StringItem_t *in = (const L4_StringItem_t *)&m->raw[1 + L4_UntypedWords(m->tag) + t];
    L4_Word_t n = __L4_StringWords(in);
    for (L4_Word_t i = 0; i < n; i++)
        s->raw[i] = in->raw[i];
    return n;
}

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

/* ---- C++: the reference library's short, overloaded names. ---- */
L4_INLINE bool L4_MapItem(L4_MapItem_t m) { return L4_IsMapItem(m); }
L4_INLINE bool L4_GrantItem(L4_GrantItem_t g) { return L4_IsGrantItem(g); }
L4_INLINE bool L4_StringItem(const L4_StringItem_t *s) { return L4_IsStringItem(s); }
L4_INLINE L4_Fpage_t L4_SndFpage(L4_MapItem_t m) { return L4_MapItemSndFpage(m); }
L4_INLINE L4_Fpage_t L4_SndFpage(L4_GrantItem_t g) { return L4_GrantItemSndFpage(g); }
L4_INLINE L4_Word_t L4_SndBase(L4_MapItem_t m) { return L4_MapItemSndBase(m); }
L4_INLINE L4_Word_t L4_SndBase(L4_GrantItem_t g) { return L4_GrantItemSndBase(g); }

static inline L4_Acceptor_t operator+(const L4_Acceptor_t& a, const L4_Acceptor_t& b) { return L4_AddAcceptor(a, b); }
static inline L4_Acceptor_t operator-(const L4_Acceptor_t& a, const L4_Acceptor_t& b) { return L4_RemoveAcceptor(a, b); }
static inline L4_Acceptor_t operator+=(L4_Acceptor_t& a, const L4_Acceptor_t& b) { return a = L4_AddAcceptor(a, b); }
static inline L4_Acceptor_t operator-=(L4_Acceptor_t& a, const L4_Acceptor_t& b) { return a = L4_RemoveAcceptor(a, b); }
L4_INLINE bool L4_StringItems(L4_Acceptor_t a) { return L4_HasStringItems(a); }
L4_INLINE bool L4_MapGrantItems(L4_Acceptor_t a) { return L4_HasMapGrantItems(a); }
L4_INLINE void L4_Accept(L4_Acceptor_t a, const L4_MsgBuffer_t *b) { L4_AcceptStrings(a, b); }
static inline L4_StringItem_t *operator+=(L4_StringItem_t& s, void *address)
{
    L4_AddSubstringAddressTo(&s, address);
    return &s;
}
static inline L4_StringItem_t *operator+=(L4_StringItem_t& s, L4_StringItem_t more)
{
    more.raw[0] = __L4_string_item_set_compound(more.raw[0], 0); /* one item */
    L4_AddSubstringTo(&s, &more);
    return &s;
}
L4_INLINE void L4_Clear(L4_MsgBuffer_t *b) { L4_MsgBufferClear(b); }
L4_INLINE void L4_Append(L4_MsgBuffer_t *b, L4_StringItem_t s) { L4_MsgBufferAppendSimpleRcvString(b, s); }
L4_INLINE void L4_Append(L4_MsgBuffer_t *b, const L4_StringItem_t *s) { L4_MsgBufferAppendRcvString(b, s); }

L4_INLINE void L4_Put(L4_Msg_t *m, L4_Word_t label, int u, const L4_Word_t *untyped, int t, const void *typed)
{
    L4_MsgPut(m, label, u, untyped, t, typed);
}
L4_INLINE void L4_Get(const L4_Msg_t *m, L4_Word_t *untyped, void *typed) { L4_MsgGet(m, untyped, typed); }
L4_INLINE L4_MsgTag_t L4_MsgTag(const L4_Msg_t *m) { return L4_MsgMsgTag(m); }
L4_INLINE void L4_Set_MsgTag(L4_Msg_t *m, L4_MsgTag_t t) { L4_Set_MsgMsgTag(m, t); }
L4_INLINE L4_Word_t L4_Label(const L4_Msg_t *m) { return L4_MsgLabel(m); }
L4_INLINE void L4_Set_Label(L4_Msg_t *m, L4_Word_t label) { L4_Set_MsgLabel(m, label); }
L4_INLINE void L4_Load(const L4_Msg_t *m) { L4_MsgLoad(m); }
L4_INLINE void L4_Store(L4_MsgTag_t t, L4_Msg_t *m) { L4_MsgStore(t, m); }
L4_INLINE void L4_Clear(L4_Msg_t *m) { L4_MsgClear(m); }
L4_INLINE void L4_Append(L4_Msg_t *m, L4_Word_t w) { L4_MsgAppendWord(m, w); }
L4_INLINE void L4_Append(L4_Msg_t *m, int w) { L4_MsgAppendWord(m, (L4_Word_t)w); }
L4_INLINE void L4_Append(L4_Msg_t *m, L4_MapItem_t it) { L4_MsgAppendMapItem(m, it); }
L4_INLINE void L4_Append(L4_Msg_t *m, L4_GrantItem_t it) { L4_MsgAppendGrantItem(m, it); }
L4_INLINE void L4_Append(L4_Msg_t *m, L4_StringItem_t it) { L4_MsgAppendSimpleStringItem(m, it); }
L4_INLINE void L4_Append(L4_Msg_t *m, const L4_StringItem_t *s) { L4_MsgAppendStringItem(m, s); }
L4_INLINE void L4_Put(L4_Msg_t *m, L4_Word_t u, L4_Word_t w) { L4_MsgPutWord(m, u, w); }
L4_INLINE void L4_Put(L4_Msg_t *m, L4_Word_t t, L4_MapItem_t it) { L4_MsgPutMapItem(m, t, it); }
L4_INLINE void L4_Put(L4_Msg_t *m, L4_Word_t t, L4_GrantItem_t it) { L4_MsgPutGrantItem(m, t, it); }
L4_INLINE void L4_Put(L4_Msg_t *m, L4_Word_t t, L4_StringItem_t it) { L4_MsgPutSimpleStringItem(m, t, it); }
L4_INLINE void L4_Put(L4_Msg_t *m, L4_Word_t t, const L4_StringItem_t *s) { L4_MsgPutStringItem(m, t, s); }
L4_INLINE L4_Word_t L4_Get(const L4_Msg_t *m, L4_Word_t u) { return L4_MsgWord(m, u); }
L4_INLINE void L4_Get(const L4_Msg_t *m, L4_Word_t u, L4_Word_t *w) { L4_MsgGetWord(m, u, w); }
L4_INLINE L4_Word_t L4_Get(const L4_Msg_t *m, L4_Word_t t, L4_MapItem_t *it) { return L4_MsgGetMapItem(m, t, it); }
L4_INLINE L4_Word_t L4_Get(const L4_Msg_t *m, L4_Word_t t, L4_GrantItem_t *it) { return L4_MsgGetGrantItem(m, t, it); }
L4_INLINE L4_Word_t L4_Get(const L4_Msg_t *m, L4_Word_t t, L4_StringItem_t *s) { return L4_MsgGetStringItem(m, t, s); }
#endif

#endif /* L4_MESSAGE_H */
