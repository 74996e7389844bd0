// The reference library's C++ forms, for real: overloaded names (L4_Start
// with SP and IP, L4_Call with timeouts, L4_Append, L4_Put, L4_Get, ...),
// the KIP calls without a KIP argument and the operators on the value
// types, in a root task with a helper thread; prints "libl4++: N passed,
// M failed".
#include <l4/ipc.h>
#include <l4/kdebug.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/sigma0.h>
#include <l4/space.h>
#include <l4/thread.h>
#include <l4/types.h>
#include <l4io.h>

static unsigned passed, failed;

static void check(const char* what, bool ok)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("libl4++: FAIL %s\n", what);
    }
}

static bool same_bytes(const char* a, const char* b, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (a[i] != b[i]) return false;
    return true;
}

// ---- The helper: answers each message with the label plus one, the sum
// of the untyped words and whether its string reads "libl4-names!"; takes
// label 0x99 without an answer. ----
static L4_ThreadId_t main_id, helper_id;
static volatile L4_Word_t starts, aborts, plain_sends;
static char received[64];
static unsigned long helper_stack[1024] __attribute__((aligned(16)));
#define helper_sp ((L4_Word_t)&helper_stack[1020])

static L4_MsgTag_t accept_and(L4_MsgTag_t (*ipc)(L4_ThreadId_t*, L4_ThreadId_t), L4_ThreadId_t to, L4_ThreadId_t* from)
{
    L4_MsgBuffer_t buffer;
    L4_Clear(&buffer);
    L4_Append(&buffer, L4_StringItem(sizeof received, received));
    L4_Accept(L4_StringItemsAcceptor, &buffer);
    return ipc(from, to);
}
static L4_MsgTag_t wait_any(L4_ThreadId_t* from, L4_ThreadId_t) { return L4_Wait(L4_Never, from); }
static L4_MsgTag_t reply_wait(L4_ThreadId_t* from, L4_ThreadId_t to) { return L4_ReplyWait(to, L4_Never, from); }

static void helper()
{
    starts = starts + 1;
    L4_ThreadId_t from;
    L4_MsgTag_t tag = accept_and(wait_any, L4_nilthread, &from);
    for (;;) {
        if (L4_IpcFailed(tag) || L4_Label(tag) == 0x99) {
            if (L4_IpcFailed(tag)) aborts = aborts + 1;
            else plain_sends = plain_sends + 1;
            tag = accept_and(wait_any, L4_nilthread, &from);
            continue;
        }
        L4_Msg_t m;
        L4_Store(tag, &m);
        L4_Word_t u[8], sum = 0;
        L4_Word_t typed[8];
        L4_Get(&m, u, typed);
        for (L4_Word_t i = 0; i < L4_UntypedWords(tag); i++) sum += u[i];
        L4_Msg_t reply;
        L4_Clear(&reply);
        L4_Set_Label(&reply, L4_Label(&m) + 1);
        L4_Append(&reply, sum);
        L4_Append(&reply, same_bytes(received, "libl4-names!", 12) ? 1 : 0);
        L4_Load(&reply);
        tag = accept_and(reply_wait, from, &from);
    }
}

static bool helper_waits()
{
    L4_Time_t slice, quantum;
    for (int i = 0; i < 20000; i++) {
        if (L4_Timeslice(helper_id, &slice, &quantum) == L4_SCHEDRESULT_WAITING) return true;
        if (i < 100) L4_ThreadSwitch(helper_id);
        else L4_Sleep(L4_TimePeriod(1000));
    }
    return false;
}

static bool counted(volatile L4_Word_t* counter, L4_Word_t value)
{
    for (int i = 0; i < 20000 && *counter < value; i++) L4_Sleep(L4_TimePeriod(1000));
    return *counter >= value;
}

static bool on_helper_stack(L4_Word_t sp) { return sp > (L4_Word_t)helper_stack && sp <= helper_sp; }

static void threads(void* kip, L4_ThreadId_t s0)
{
    main_id = L4_Myself();
    helper_id = L4_GlobalId(L4_ThreadNo(main_id) + 1, 1);
    void* utcb = (char*)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + L4_UtcbSize(kip);
    check("ThreadControl", L4_ThreadControl(helper_id, main_id, main_id, s0, utcb) == 1);
    L4_Start(helper_id, helper_sp, (L4_Word_t)helper);
    check("L4_Start(t, sp, ip)", helper_waits() && starts == 1);

    // A call: words by L4_Append and L4_Put, a compound string by +=.
    L4_Msg_t m;
    L4_Clear(&m);
    L4_Set_Label(&m, 0x61);
    L4_Append(&m, (L4_Word_t)1);
    L4_Append(&m, 2);
    L4_Put(&m, 1, (L4_Word_t)5);
    check("L4_Get(msg, u)", L4_Get(&m, 1) == 5 && L4_Label(&m) == 0x61 && L4_UntypedWords(L4_MsgTag(&m)) == 2);
    union {
        L4_Word_t words[8];
        L4_StringItem_t item;
    } s;
    s.item = L4_StringItem(4, "libl");
    s.item += (void*)"4-na";
    s.item += L4_StringItem(4, "mes!");
    check("+= on string items", L4_CompoundString(&s.item) && L4_Substrings(&s.item) == 2 && L4_StringItem(&s.item));
    L4_Append(&m, &s.item);
    check("L4_Append(msg, string item*)", L4_TypedWords(L4_MsgTag(&m)) == 5);
    L4_Load(&m);
    L4_MsgTag_t tag = L4_Call(helper_id, L4_Never, L4_Never);
    L4_Msg_t r;
    L4_Store(tag, &r);
    L4_Word_t w = 0;
    L4_Get(&r, 1, &w);
    check("L4_Call(to, snd, rcv)", L4_IpcSucceeded(tag) && L4_Label(&r) == 0x62 && L4_Get(&r, 0) == 6);
    check("the compound string arrives", w == 1);

    check("the helper waits", helper_waits());
    tag = L4_Receive(helper_id, L4_ZeroTime);
    check("L4_Receive(from, timeout) times out", L4_IpcFailed(tag) && ((L4_ErrorCode() >> 1) & 7) == 1);
    L4_ThreadId_t from;
    tag = L4_Wait(L4_ZeroTime, &from);
    check("L4_Wait(timeout, &from) times out", L4_IpcFailed(tag) && ((L4_ErrorCode() >> 1) & 7) == 1);
    L4_Set_MsgTag(L4_MsgTagMake(0x99, 0, 0));
    tag = L4_Send(helper_id, L4_Never);
    check("L4_Send(to, timeout)", L4_IpcSucceeded(tag) && counted(&plain_sends, 1));

    check("the helper waits (2)", helper_waits());
    L4_Word_t sp = 0, ip = 0, flags = 0;
    L4_ThreadState_t st = L4_AbortIpc_and_stop(helper_id, &sp, &ip, &flags);
    check("L4_AbortIpc_and_stop(t, &sp, &ip, &flags)", L4_ThreadWasReceiving(st) && on_helper_stack(sp));
    st = L4_Stop(helper_id, &sp, &ip, &flags);
    check("L4_Stop(t, &sp, &ip, &flags)", L4_ThreadWasHalted(st) && on_helper_stack(sp) && ip != 0);
    L4_Start(helper_id, helper_sp, (L4_Word_t)helper, flags);
    check("L4_Start(t, sp, ip, flags)", counted(&starts, 2) && helper_waits() && aborts == 0);
    st = L4_AbortReceive_and_stop(helper_id, &sp, &ip, &flags);
    check("L4_AbortReceive_and_stop(t, ...)", L4_ThreadWasReceiving(st) && on_helper_stack(sp));
    st = L4_AbortSend_and_stop(helper_id, &sp, &ip, &flags);
    check("L4_AbortSend_and_stop(t, ...)", L4_ThreadWasHalted(st) && on_helper_stack(sp));
    L4_Start(helper_id);
    check("L4_Start(t)", counted(&aborts, 1) && helper_waits());

    check("L4_GlobalId(L4_LocalId(t))", L4_GlobalId(L4_LocalId(helper_id)) == helper_id &&
                                            L4_LocalId(helper_id) != helper_id);
    check("L4_Pager(t)", L4_Pager(helper_id) == s0);
    L4_Set_Pager(helper_id, main_id);
    check("L4_Set_Pager(t, p)", L4_Pager(helper_id) == main_id);
    L4_Set_Pager(helper_id, s0);
    L4_Set_UserDefinedHandle(helper_id, 77);
    check("L4_UserDefinedHandle(t)", L4_UserDefinedHandle(helper_id) == 77);
    L4_KDB_SetThreadName(helper_id, "libl4++-helper");
    check("ThreadControl deletes", L4_ThreadControl(helper_id, L4_nilthread, L4_nilthread, L4_nilthread, (void*)-1) == 1);
}

// ---- The KIP calls without a KIP, descriptors, pages. ----
static void kip_and_pages(void* kip, L4_ThreadId_t s0)
{
    check("L4_KernelInterface()", L4_KernelInterface() == kip);
    check("L4_ApiVersion()", L4_ApiVersion() == L4_ApiVersion(kip) && (L4_ApiVersion() >> 24) == L4_APIVERSION_X2);
    check("L4_ApiFlags(), L4_KernelId()", L4_ApiFlags() == L4_ApiFlags(kip) && L4_KernelId() == L4_KernelId(kip));
    const char* first = L4_Feature(kip, 0);
    check("L4_HasFeature", (!first || L4_HasFeature(first)) && !L4_HasFeature("no such feature"));
    L4_MemoryDesc_t* d = L4_MemoryDesc(kip, 0);
    check("L4_Type, L4_Low, L4_High, L4_IsVirtual", L4_Type(d) == L4_MemoryDescType(d) && L4_Low(d) < L4_High(d) &&
                                                        L4_IsVirtual(d) == (bool)L4_IsMemoryDescVirtual(d));
    L4_ProcDesc_t* cpu = L4_ProcDesc(kip, 0);
    check("L4_ProcDescInternalFreq(desc)", L4_ProcDescInternalFreq(cpu) == L4_ProcDescInternalFreq(kip, 0) &&
                                               L4_InternalFreq(cpu) == cpu->X.InternalFreq &&
                                               L4_ExternalFreq(cpu) == cpu->X.ExternalFreq);

    L4_Fpage_t page = L4_Sigma0_GetAny(s0, 12, L4_CompleteAddressSpace);
    check("L4_Sigma0_GetAny(s0, s, window)", !L4_IsNilFpage(page));
    if (L4_IsNilFpage(page)) return;
    page -= L4_FullyAccessible;
    volatile L4_Word_t* p = (volatile L4_Word_t*)L4_Address(page);
    p[0] = 1;
    L4_Fpage_t f[1] = {page};
    L4_Flush(1, f);
    check("L4_Flush(n, fpages)", L4_WasWritten(f[0]) && L4_Address(f[0]) == L4_Address(page));
    f[0] = page;
    L4_Unmap(1, f);
    check("L4_Unmap(fpage), L4_Unmap(n, fpages)", L4_Address(L4_Unmap(page)) == L4_Address(page) &&
                                                      L4_Address(f[0]) == L4_Address(page) && p[0] == 1);
}

// ---- Operators on the value types, map items in messages. ----
static void operators()
{
    L4_ThreadId_t a = L4_GlobalId(7, 1), b = L4_GlobalId(7, 2);
    check("== and != on thread ids", a == a && a != b && !(a == b));
    L4_Fpage_t f = L4_FpageLog2(0x40000, 14) + L4_Readable;
    f += L4_Writable;
    check("+ and += on fpages", L4_Rights(f) == L4_ReadWriteOnly && L4_Rights(f - L4_Writable) == L4_Readable);
    f -= L4_FullyAccessible;
    check("-= on fpages", L4_Rights(f) == L4_NoAccess);
    L4_MsgTag_t t = L4_Niltag + 0x42;
    t += 0x43;
    check("+, += and == on message tags", L4_Label(t) == 0x43 && t == L4_MsgTagMake(0x43, 0, 0) && t != L4_Niltag);
    L4_Clock_t c = {.raw = 1000};
    L4_Clock_t later = c + 5;
    check("clock arithmetic and comparison", later.raw == 1005 && later > c && c < later && c <= c && later >= c &&
                                                 (later - c).raw == 5 && (later - 5) == c && (c + 5UL) == later);
    L4_Acceptor_t acc = L4_StringItemsAcceptor + L4_MapGrantItems(L4_CompleteAddressSpace);
    check("+ on acceptors", L4_StringItems(acc) && L4_MapGrantItems(acc));
    acc -= L4_StringItemsAcceptor;
    check("-= on acceptors", !L4_StringItems(acc) && L4_MapGrantItems(acc));

    L4_Msg_t m;
    L4_Clear(&m);
    L4_Append(&m, (L4_Word_t)9);
    L4_MapItem_t item = L4_MapItem(L4_FpageLog2(0x80000, 12) + L4_Readable, 0x3000);
    L4_Append(&m, item);
    L4_MapItem_t back;
    check("L4_Get(msg, t, &map item)", L4_Get(&m, 0, &back) == 2 && L4_MapItem(back) &&
                                           L4_SndBase(back) == 0x3000 && L4_SndFpage(back).raw == L4_SndFpage(item).raw);
    L4_GrantItem_t g = L4_GrantItem(L4_FpageLog2(0x80000, 12), 0);
    L4_Put(&m, 0, g);
    L4_GrantItem_t gback;
    check("L4_Put(msg, t, grant item)", L4_Get(&m, 0, &gback) == 2 && L4_GrantItem(gback) && L4_IsGrantItem(gback));
    L4_Word_t u[2] = {4, 5}, items[2] = {item.raw[0], item.raw[1]}, ou[2], oi[2];
    L4_Put(&m, 0x33, 2, u, 2, items);
    L4_Get(&m, ou, oi);
    check("L4_Put(msg, label, u, .., t, ..), L4_Get(msg, .., ..)",
          L4_Label(&m) == 0x33 && ou[1] == 5 && oi[0] == item.raw[0] && oi[1] == item.raw[1]);
}

extern "C" char __executable_start[], _end[];

int main()
{
    for (volatile char* p = __executable_start; p < _end; p += 4096) (void)*p;
    void* kip = L4_GetKernelInterface();
    L4_ThreadId_t s0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    threads(kip, s0);
    kip_and_pages(kip, s0);
    operators();
    printf("libl4++: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
