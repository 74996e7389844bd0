// The X.2 API for C++ L4 programs: value types with operators over the C
// layer (same encodings), and IPC that takes and returns message objects.
#pragma once

#include "l4/l4.h"

namespace l4 {

using Word = L4_Word_t;

class Thread_id {
    L4_ThreadId_t _id;
public:
    constexpr Thread_id() : _id{0} {}
    constexpr explicit Thread_id(L4_ThreadId_t id) : _id(id) {}
    static Thread_id global(Word number, Word version) { return Thread_id(L4_GlobalId(number, version)); }
    static constexpr Thread_id nil() { return Thread_id(); }
    static constexpr Thread_id any() { return Thread_id(L4_ThreadId_t{~Word(0)}); }
    static constexpr Thread_id any_local() { return Thread_id(L4_ThreadId_t{~Word(0) << 6}); }
    static Thread_id myself() { return Thread_id(L4_Myself()); }

    Word number() const { return L4_ThreadNo(_id); }
    Word version() const { return L4_Version(_id); }
    bool nil_thread() const { return _id.raw == 0; }
    bool local() const { return L4_IsLocalId(_id); }
    Word raw() const { return _id.raw; }
    L4_ThreadId_t c() const { return _id; }
    friend bool operator==(Thread_id a, Thread_id b) { return a._id.raw == b._id.raw; }
};

class Fpage {
    L4_Fpage_t _f;
public:
    constexpr Fpage() : _f{0} {}
    constexpr explicit Fpage(L4_Fpage_t f) : _f(f) {}
    static Fpage log2(Word base, int size_log2, Word rights = L4_NoAccess)
    {
        return Fpage(L4_FpageAddRights(L4_FpageLog2(base, size_log2), rights));
    }
    static constexpr Fpage complete() { return Fpage(L4_Fpage_t{1 << 4}); }
    Word address() const { return L4_Address(_f); }
    Word size() const { return L4_Size(_f); }
    int size_log2() const { return L4_SizeLog2(_f); }
    Word rights() const { return L4_Rights(_f); }
    Fpage with_rights(Word r) const
    {
        L4_Fpage_t f = _f;
        return Fpage(L4_Set_Rights(&f, r));
    }
    bool nil() const { return _f.raw == 0; }
    Word raw() const { return _f.raw; }
    L4_Fpage_t c() const { return _f; }
    friend bool operator==(Fpage a, Fpage b) { return a._f.raw == b._f.raw; }
};

class Time {
    L4_Time_t _t;
public:
    constexpr explicit Time(L4_Time_t t) : _t(t) {}
    static constexpr Time never() { return Time(L4_Time_t{0}); }
    static constexpr Time zero() { return Time(L4_Time_t{1 << 10}); }
    static Time microseconds(L4_Word64_t us) { return Time(L4_TimePeriod(us)); }
    L4_Time_t c() const { return _t; }
    friend bool operator==(Time a, Time b) { return a._t.raw == b._t.raw; }
};

inline Word timeouts(Time send, Time receive) { return L4_Timeouts(send.c(), receive.c()); }

class Msg_tag {
    L4_MsgTag_t _t;
public:
    constexpr explicit Msg_tag(L4_MsgTag_t t) : _t(t) {}
    Msg_tag(Word label, Word untyped, Word typed) : _t(L4_MsgTagMake(label, untyped, typed)) {}
    Word label() const { return L4_Label(_t); }
    Word untyped() const { return L4_UntypedWords(_t); }
    Word typed() const { return L4_TypedWords(_t); }
    bool failed() const { return L4_IpcFailed(_t); }
    bool propagated() const { return L4_IpcPropagated(_t); }
    Word raw() const { return _t.raw; }
};

// A message built in memory, loaded into the MRs by the IPC functions.
class Msg {
    L4_Msg_t _m;
public:
    explicit Msg(Word label = 0) { L4_MsgClear(&_m); L4_Set_MsgLabel(&_m, label); }
    Msg& word(Word w) { L4_MsgAppendWord(&_m, w); return *this; }
    Msg& map(Fpage f, Word send_base) { L4_MsgAppendMapItem(&_m, L4_MapItem(f.c(), send_base)); return *this; }
    Msg& grant(Fpage f, Word send_base) { L4_MsgAppendGrantItem(&_m, L4_GrantItem(f.c(), send_base)); return *this; }
    Msg& string(const void* data, Word bytes)
    {
        L4_MsgAppendSimpleStringItem(&_m, L4_StringItem(bytes, data));
        return *this;
    }
    Msg_tag tag() const { return Msg_tag(_m.tag); }
    Word operator[](Word untyped_index) const { return L4_MsgWord(&_m, untyped_index); }
    void load() const { L4_MsgLoad(&_m); }
    static Msg store(Msg_tag t)
    {
        Msg m;
        L4_MsgStore(L4_MsgTag_t{t.raw()}, &m._m);
        return m;
    }
};

struct Received {
    Msg_tag tag;
    Thread_id from;
};

inline Msg_tag call(Thread_id to, const Msg& m)
{
    m.load();
    return Msg_tag(L4_Call(to.c()));
}
inline Msg_tag send(Thread_id to, const Msg& m, Time timeout = Time::never())
{
    m.load();
    return Msg_tag(L4_Send_Timeout(to.c(), timeout.c()));
}
inline Received wait(Time timeout = Time::never())
{
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_Wait_Timeout(timeout.c(), &from);
    return {Msg_tag(t), Thread_id(from)};
}
inline Received reply_wait(Thread_id to, const Msg& m)
{
    m.load();
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_ReplyWait(to.c(), &from);
    return {Msg_tag(t), Thread_id(from)};
}

}  // namespace l4
