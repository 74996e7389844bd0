/* The reference library's header names and calls, for real: a root task
   that includes l4/schedule.h, l4/space.h, l4/misc.h, l4io.h, ... by those
   names, starts, stops and restarts a helper thread through the
   ExchangeRegisters calls, schedules it, talks to it (a compound string
   too), flushes and queries its own pages, reads the KIP through its
   structure and names threads; prints "libl4: N passed, M failed". */
#include <l4/arch.h>
#include <l4/bootinfo.h>
#include <l4/ipc.h>
#include <l4/kdebug.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/misc.h>
#include <l4/pagefault.h>
#include <l4/schedule.h>
#include <l4/sigma0.h>
#include <l4/space.h>
#include <l4/thread.h>
#include <l4/types.h>
#include <l4io.h>

static unsigned passed, failed;

static void check(const char *what, int ok)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("libl4: FAIL %s\n", what);
    }
}

static int same_bytes(const char *a, const char *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

/* ---- The helper: answers messages from the main thread with the label
   plus one, the sum of the untyped words and whether the string it took
   reads "libl4-names!"; counts aborted receives. ---- */
static L4_ThreadId_t main_id, helper_id;
static volatile L4_Word_t helper_starts, helper_aborts, helper_error;
static char received[64];
static unsigned long helper_stack[1024] __attribute__((aligned(16)));
#define HELPER_SP ((L4_Word_t)&helper_stack[1020])

static void helper(void)
{
    helper_starts++;
    for (;;) {
        L4_MsgBuffer_t buffer;
        L4_MsgBufferClear(&buffer);
        L4_MsgBufferAppendSimpleRcvString(&buffer, L4_StringItem(sizeof received, received));
        L4_AcceptStrings(L4_StringItemsAcceptor, &buffer);
        L4_MsgTag_t tag = L4_Receive(main_id);
        if (L4_IpcFailed(tag)) {
            helper_error = L4_ErrorCode();
            helper_aborts++;
            continue;
        }
        L4_Msg_t m;
        L4_MsgStore(tag, &m);
        L4_Word_t sum = 0;
        for (L4_Word_t i = 0; i < L4_UntypedWords(tag); i++) {
            L4_Word_t w;
            L4_MsgGetWord(&m, i, &w);
            sum += w;
        }
        L4_Msg_t reply;
        L4_MsgClear(&reply);
        L4_Set_MsgLabel(&reply, L4_MsgLabel(&m) + 1);
        L4_MsgAppendWord(&reply, sum);
        L4_MsgAppendWord(&reply, L4_TypedWords(tag) && same_bytes(received, "libl4-names!", 12));
        L4_MsgLoad(&reply);
        L4_Send(main_id);
    }
}

/* Until the helper waits in its receive (Schedule's result, nothing
   changed), giving it the processor meanwhile. */
static int helper_waits(void)
{
    L4_Time_t slice, quantum;
    for (int i = 0; i < 20000; i++) {
        if (L4_Timeslice(helper_id, &slice, &quantum) == L4_SCHEDRESULT_WAITING) return 1;
        if (i < 100) L4_ThreadSwitch(helper_id);
        else L4_Sleep(L4_TimePeriod(1000));
    }
    return 0;
}

static int helper_counted(volatile L4_Word_t *counter, L4_Word_t value)
{
    for (int i = 0; i < 20000 && *counter < value; i++)
        L4_Sleep(L4_TimePeriod(1000));
    return *counter >= value;
}

static int on_helper_stack(L4_Word_t sp)
{
    return sp > (L4_Word_t)helper_stack && sp <= HELPER_SP;
}

static void threads(void *kip, L4_ThreadId_t s0)
{
    main_id = L4_Myself();
    helper_id = L4_GlobalId(L4_ThreadNo(main_id) + 1, 1);
    void *utcb = (char *)L4_MyLocalId().raw - L4_UTCB_MR0_OFFSET + L4_UtcbSize(kip);
    check("ThreadControl creates the helper", L4_ThreadControl(helper_id, main_id, main_id, s0, utcb) == 1);
    L4_Start_SpIp(helper_id, HELPER_SP, (L4_Word_t)helper);
    check("Start_SpIp: the helper runs and waits", helper_waits() && helper_starts == 1);

    /* A call with a compound string: 6 bytes from each of two places. */
    union {
        L4_Word_t words[4];
        L4_StringItem_t item;
    } s;
    L4_Word_t untyped[3] = {1, 2, 3};
    L4_Msg_t m;
    L4_MsgPut(&m, 0x51, 3, untyped, 0, 0);
    s.item = L4_StringItem(6, "libl4-");
    L4_AddSubstringAddressTo(&s.item, (void *)"names!");
    check("AddSubstringAddressTo: two substrings", L4_Substrings(&s.item) == 2 && !L4_CompoundString(&s.item));
    L4_MsgAppendStringItem(&m, &s.item);
    check("MsgAppendStringItem: 3 typed words", L4_TypedWords(L4_MsgMsgTag(&m)) == 3);
    L4_MsgLoad(&m);
    L4_MsgTag_t tag = L4_Call(helper_id);
    L4_Msg_t r;
    L4_MsgStore(tag, &r);
    check("Call: the helper answers", L4_IpcSucceeded(tag) && L4_MsgLabel(&r) == 0x52 && L4_MsgWord(&r, 0) == 6);
    check("the string arrives through the receive buffer", L4_MsgWord(&r, 1) == 1);

    check("the helper waits again", helper_waits());
    L4_ThreadState_t st = L4_AbortIpc_and_stop(helper_id);
    check("AbortIpc_and_stop: it was receiving", L4_ThreadWasReceiving(st) && !L4_ThreadWasSending(st) &&
                                                     !L4_ThreadWasHalted(st) && L4_ThreadWasIpcing(st));
    L4_Word_t sp = 0, ip = 0, flags = 0;
    st = L4_Stop_SpIpFlags(helper_id, &sp, &ip, &flags);
    check("Stop_SpIpFlags: halted, on its stack", L4_ThreadWasHalted(st) && !L4_ThreadWasIpcing(st) &&
                                                      on_helper_stack(sp) && ip != 0);
    L4_Time_t slice, quantum;
    check("a halted thread is inactive", L4_Timeslice(helper_id, &slice, &quantum) == L4_SCHEDRESULT_INACTIVE);
    L4_Start(helper_id);
    check("Start: its receive ends canceled", helper_counted(&helper_aborts, 1) && (helper_error & 1) &&
                                                  ((helper_error >> 1) & 7) == 3);

    check("the helper waits (2)", helper_waits());
    st = L4_AbortReceive_and_stop_SpIpFlags(helper_id, &sp, &ip, &flags);
    check("AbortReceive_and_stop_SpIpFlags", L4_ThreadWasReceiving(st) && on_helper_stack(sp));
    L4_Start_SpIpFlags(helper_id, HELPER_SP, (L4_Word_t)helper, flags);
    check("Start_SpIpFlags: it starts over", helper_counted(&helper_starts, 2) && helper_aborts == 1);

    check("the helper waits (3)", helper_waits());
    st = L4_AbortSend_and_stop(helper_id);
    check("AbortSend_and_stop leaves its receive", L4_ThreadWasReceiving(st) && helper_aborts == 1);
    st = L4_AbortSend_and_stop_SpIpFlags(helper_id, &sp, &ip, &flags);
    check("AbortSend_and_stop_SpIpFlags: halted, receiving",
          L4_ThreadWasHalted(st) && L4_ThreadWasReceiving(st) && on_helper_stack(sp));
    st = L4_AbortIpc_and_stop_SpIpFlags(helper_id, &sp, &ip, &flags);
    check("AbortIpc_and_stop_SpIpFlags", L4_ThreadWasHalted(st) && L4_ThreadWasReceiving(st) && on_helper_stack(sp));
    L4_Start(helper_id);
    check("Start (2)", helper_counted(&helper_aborts, 2));

    check("the helper waits (4)", helper_waits());
    st = L4_AbortReceive_and_stop(helper_id);
    check("AbortReceive_and_stop", L4_ThreadWasReceiving(st));
    st = L4_Stop(helper_id);
    check("Stop", L4_ThreadWasHalted(st));
    L4_Start(helper_id);
    check("Start (3)", helper_counted(&helper_aborts, 3) && helper_waits());

    /* Scheduling. */
    check("Set_Priority", L4_Set_Priority(helper_id, 90) == L4_SCHEDRESULT_WAITING);
    check("Set_Timeslice", L4_Set_Timeslice(helper_id, L4_TimePeriod(5000), L4_Never) == L4_SCHEDRESULT_WAITING);
    check("Timeslice reads it back", L4_Timeslice(helper_id, &slice, &quantum) == L4_SCHEDRESULT_WAITING &&
                                         slice.raw == L4_TimePeriod(5000).raw && quantum.raw == L4_Never.raw);
    check("Set_PreemptionDelay", L4_Set_PreemptionDelay(helper_id, 200, 500) == L4_SCHEDRESULT_WAITING);
    check("Set_ProcessorNo", L4_Set_ProcessorNo(helper_id, 0) == L4_SCHEDRESULT_WAITING);
    L4_Word_t old_time = 0;
    check("Schedule", L4_Schedule(helper_id, ~0UL, ~0UL, ~0UL, ~0UL, &old_time) == L4_SCHEDRESULT_WAITING &&
                          (old_time >> 16) == L4_TimePeriod(5000).raw);
    L4_ThreadId_t nobody = L4_GlobalId(L4_ThreadNo(main_id) + 100, 1);
    check("Set_Priority of no thread fails", L4_Set_Priority(nobody, 90) == L4_SCHEDRESULT_ERROR &&
                                                 L4_ErrorCode() == L4_ERROR_INVALID_THREAD);
    check("ErrorCode_String", same_bytes(L4_ErrorCode_String(L4_ErrorCode()), "invalid thread", 15) &&
                                  same_bytes(L4_ErrorCode_String(L4_ERROR_OK), "no error", 9));
    L4_Clock_t before = L4_SystemClock();
    L4_Yield();
    L4_ThreadSwitch(helper_id);
    check("Yield, ThreadSwitch, SystemClock", !L4_IsClockEarlier(L4_SystemClock(), before));

    /* Other threads' handles, pagers and ids. */
    L4_Set_UserDefinedHandleOf(helper_id, 0x1234);
    check("UserDefinedHandleOf", L4_UserDefinedHandleOf(helper_id) == 0x1234);
    check("PagerOf", L4_IsThreadEqual(L4_PagerOf(helper_id), s0));
    L4_Set_PagerOf(helper_id, main_id);
    check("Set_PagerOf", L4_IsThreadEqual(L4_PagerOf(helper_id), main_id));
    L4_Set_PagerOf(helper_id, s0);
    L4_ThreadId_t local = L4_LocalIdOf(helper_id);
    check("LocalIdOf, GlobalIdOf", L4_IsLocalId(local) && L4_IsThreadEqual(L4_GlobalIdOf(local), helper_id));
    check("SameThreads", L4_SameThreads(L4_MyLocalId(), main_id) && !L4_SameThreads(local, main_id));
    check("a local id's fields", local.local.X.__zeros == 0 && local.local.X.local_id == local.raw >> 6);

    /* Names for the kernel debugger: the box goes on. */
    L4_KDB_SetThreadName(helper_id, "libl4-helper");
    L4_KDB_SetThreadName(main_id, "libl4-main");
    check("KDB_SetThreadName returns", 1);

    check("ThreadControl deletes the helper",
          L4_ThreadControl(helper_id, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1) == 1);
}

/* ---- Own pages: access status, flush, attributes. ---- */
static void pages(void)
{
    L4_Fpage_t page = L4_Sigma0_GetPage_RcvWindow(L4_nilthread, L4_FpageLog2(~0UL, 12), L4_CompleteAddressSpace);
    check("Sigma0_GetPage_RcvWindow with a nil sigma0", !L4_IsNilFpage(page) && L4_SizeLog2(page) == 12);
    if (L4_IsNilFpage(page)) return;
    L4_Set_Rights(&page, L4_NoAccess); /* below: the status only, unless said */
    volatile L4_Word_t *p = (volatile L4_Word_t *)L4_Address(page);
    p[1] = 0x5a5a;
    /* Unmap reports accesses through mappings derived from ours; flush
       (which withdraws in our own space too) also those through ours. */
    L4_Fpage_t status = L4_FlushFpage(page);
    check("FlushFpage: written and referenced here", L4_WasWritten(status) && L4_WasReferenced(status) &&
                                                         L4_Address(status) == L4_Address(page));
    status = L4_GetStatus(page);
    check("GetStatus: no derived mapping used it", !L4_WasReferenced(status) && !L4_WasWritten(status) &&
                                                       !L4_WaseXecuted(status) && !L4_WasExecuted(status));
    L4_Fpage_t whole = page;
    L4_Set_Rights(&whole, L4_FullyAccessible);
    L4_Flush(whole);
    status = L4_FlushFpage(page);
    check("Flush: the page left this space", !L4_WasReferenced(status) && !L4_WasWritten(status));
    p[1] = 0;
    p[1] = 0x5a5a;
    status = L4_Flush(page);
    check("Flush: the page came back by a fault", L4_WasWritten(status) && p[1] == 0x5a5a);
    L4_Fpage_t two[2] = {page, L4_FpageLog2(L4_Address(page) + 0x1000, 12)};
    L4_FlushFpages(2, two);
    check("FlushFpages: the status of each", L4_WasReferenced(two[0]) && !L4_WasWritten(two[0]) &&
                                                 L4_Address(two[1]) == L4_Address(page) + 0x1000);
    two[0] = page;
    L4_UnmapFpages(2, two);
    check("UnmapFpages keeps our page", L4_Address(two[0]) == L4_Address(page) && !L4_WasReferenced(two[0]) &&
                                            p[1] == 0x5a5a);
    check("UnmapFpage", L4_Address(L4_UnmapFpage(page)) == L4_Address(page));

    check("Set_PageAttribute: the default", L4_Set_PageAttribute(page, L4_DefaultMemory) == 1);
    check("Set_PageAttribute: others are refused", L4_Set_PageAttribute(page, 3) == 0 &&
                                                       L4_ErrorCode() == L4_ERROR_INVALID_PARAM);
    L4_Word_t attributes[4] = {0, 0, 0, 0};
    check("Set_PageAttributes", L4_Set_PageAttributes(2, two, attributes) == 1);
    check("ProcessorControl", L4_ProcessorControl(0, 0, 0, 0) == 1);
}

/* ---- The KIP as a structure, the value types' fields. ---- */
static void structures(void *kip)
{
    L4_KernelInterfacePage_t *k = (L4_KernelInterfacePage_t *)kip;
    check("KIP magic", k->magic == L4_MAGIC);
    check("KIP ApiVersion", k->ApiVersion.x.version == L4_APIVERSION_X2 && k->ApiVersion.raw == L4_ApiVersion(kip));
    check("KIP ThreadInfo", k->ThreadInfo.X.UserBase == L4_ThreadIdUserBase(kip) &&
                                k->ThreadInfo.X.SystemBase == L4_ThreadIdSystemBase(kip));
    check("KIP ProcessorInfo", (L4_Word_t)k->ProcessorInfo.X.processors + 1 == L4_NumProcessors(kip));
    check("KIP areas", k->KipAreaInfo.X.s == L4_KipAreaSizeLog2(kip) &&
                           L4_UtcbAreaSize(kip) == 1UL << k->UtcbAreaInfo.X.s && L4_KipAreaSize(kip) >= 4096);
    check("KIP Ipc entry", k->Ipc == __L4_KipWord(kip, L4_KIP_SYSCALL_IPC) && k->Ipc != 0);
    check("KIP MemoryInfo", k->MemoryInfo.n == L4_NumMemoryDescriptors(kip) && k->MemoryInfo.n > 0);
    L4_MemoryDesc_t *d = L4_MemoryDesc(kip, 0);
    check("memory descriptor fields", d->x.type == L4_MemoryDescType(d) && ((L4_Word_t)d->x.low << 10) == L4_MemoryDescLow(d));
    L4_ProcDesc_t *cpu = L4_ProcDesc(kip, 0);
    check("ProcDesc", cpu->X.InternalFreq == L4_ProcDescInternalFreq(kip, 0));
    L4_KernelDesc_t *desc = (L4_KernelDesc_t *)((char *)kip + k->KernelVerPtr);
    L4_Word_t year, month, day;
    L4_KernelGenDate(kip, &year, &month, &day);
    check("KernelGenDate", year >= 2000 && month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
                               desc->KernelGenDate.X.month == month);
    check("KernelVersion, KernelSupplier", L4_KernelVersion(kip) == desc->KernelVer.raw &&
                                               L4_KernelSupplier(kip) == desc->Supplier &&
                                               L4_KernelId(kip) == desc->KernelId.raw);
    check("KernelVersionString", L4_KernelVersionString(kip) == desc->VersionString);

    L4_ThreadId_t t = L4_GlobalId(5, 3);
    check("thread id fields", t.global.X.thread_no == 5 && t.global.X.version == 3);
    L4_Fpage_t f = L4_FpageLog2(0x12345000, 12);
    L4_FpageAddRightsTo(&f, L4_Readable);
    check("fpage fields", f.X.s == 12 && f.X.b == 0x12345000 >> 10 && f.X.rwx == L4_Readable && !f.X.extended);
    L4_FpageRemoveRightsFrom(&f, L4_Readable);
    check("FpageRemoveRightsFrom", L4_Rights(f) == L4_NoAccess);
    L4_MsgTag_t tag = L4_MsgTagMake(0x123, 3, 2);
    check("message tag fields", tag.X.label == 0x123 && tag.X.u == 3 && tag.X.t == 2 && tag.X.flags == 0);
    L4_Set_Label(&tag, 0x77);
    check("Set_Label", L4_Label(tag) == 0x77 && L4_IsMsgTagEqual(tag, L4_MsgTagMake(0x77, 3, 2)));
    L4_Clock_t c = {.raw = 0x100000002ULL};
    check("clock fields", c.X.low == 2 && c.X.high == 1 && L4_ClockAddUsec(c, 3).raw == 0x100000005ULL &&
                              L4_IsClockLater(c, L4_ClockSubUsec(c, 1)));
    L4_Time_t p = L4_TimePeriod(5000);
    check("time period fields", ((L4_Word64_t)p.period.m << p.period.e) == 5000 && p.period.a == 0);
    L4_Word_t pf[3] = {L4_PAGEFAULT_LABEL << 16 | L4_Writable << 16 | 2, 0x4000, 0x1234};
    L4_PfRequest_t *req = (L4_PfRequest_t *)pf;
    check("page-fault request fields", req->X.u == 2 && req->X.wrx == L4_Writable && req->X.fault_address == 0x4000);

    L4_Acceptor_t a = L4_AddAcceptor(L4_StringItemsAcceptor, L4_MapGrantItems(L4_CompleteAddressSpace));
    check("acceptors", L4_HasStringItems(a) && L4_HasMapGrantItems(a) &&
                           L4_RcvWindow(a).raw == L4_CompleteAddressSpace.raw &&
                           !L4_HasStringItems(L4_RemoveAcceptor(a, L4_StringItemsAcceptor)));
}

/* ---- l4io.h, and getc when the command line asks for it. ---- */
static int format(char *buf, L4_Size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static const char *my_command_line(void *kip, L4_ThreadId_t s0)
{
    L4_Word_t bi = L4_BootInfo(kip);
    if (!bi || L4_IsNilFpage(L4_Sigma0_GetPage(s0, L4_FpageLog2(bi, 12))) || !L4_BootInfo_Valid((void *)bi))
        return "";
    for (L4_Word_t a = (bi & ~0xFFFUL) + 0x1000; a < bi + L4_BootInfo_Size((void *)bi); a += 0x1000)
        if (L4_IsNilFpage(L4_Sigma0_GetPage(s0, L4_FpageLog2(a, 12)))) return "";
    L4_BootRec_t *r = L4_BootInfo_FirstEntry((void *)bi);
    const char *line = "";
    for (L4_Word_t i = 0, execs = 0; i < L4_BootInfo_Entries((void *)bi); i++, r = L4_BootRec_Next(r))
        if (L4_BootRec_Type(r) == L4_BootInfo_SimpleExec && ++execs == 2 && L4_SimpleExec_Cmdline(r))
            line = L4_SimpleExec_Cmdline(r); /* sigma0's first, then the root task's */
    return line;
}

static void console(void *kip, L4_ThreadId_t s0)
{
    char buf[32];
    check("snprintf", snprintf(buf, sizeof buf, "%s-%d", "libl4", 42) == 8 && same_bytes(buf, "libl4-42", 9));
    check("vsnprintf", format(buf, 4, "%lx", 0xabcdefUL) == 6 && same_bytes(buf, "abc", 4));
    printf("libl4: putc: ");
    putc('o');
    putc('k');
    putc('\n');
    const char *line = my_command_line(kip, s0);
    for (const char *s = line; *s; s++) {
        if (same_bytes(s, " getc", 6)) {
            printf("libl4: waiting for a character\n");
            int c = getc();
            printf("libl4: getc '%c'\n", c);
            check("getc", c == 'L');
        }
    }
}

extern char __executable_start[], _end[];

int main(void)
{
    /* Every page of the image here first: the helper (whose pager is
       sigma0) must never fault on pages this thread owns. */
    for (volatile char *p = __executable_start; p < _end; p += 4096)
        (void)*p;
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t s0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    structures(kip);
    threads(kip, s0);
    pages();
    console(kip, s0);
    printf("libl4: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
