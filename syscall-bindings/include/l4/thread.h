/* Threads, address spaces, scheduling, memory and clock system calls. */
#ifndef L4_THREAD_H
#define L4_THREAD_H

#include "l4/message.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Thread control registers ---- */
L4_INLINE L4_ThreadId_t L4_MyGlobalId(void)
{
    L4_ThreadId_t t;
    t.raw = __L4_Utcb()[L4_TCR_MY_GLOBAL_ID];
    return t;
}
L4_INLINE L4_ThreadId_t L4_Myself(void) { return L4_MyGlobalId(); }
L4_INLINE L4_ThreadId_t L4_MyLocalId(void)
{
    L4_ThreadId_t t;
    t.raw = (L4_Word_t)__L4_Utcb();
    return t;
}
L4_INLINE L4_Word_t L4_ProcessorNo(void) { return __L4_Utcb()[L4_TCR_PROCESSOR_NO]; }
L4_INLINE L4_Word_t L4_UserDefinedHandle(void) { return __L4_Utcb()[L4_TCR_USER_DEFINED_HANDLE]; }
L4_INLINE void L4_Set_UserDefinedHandle(L4_Word_t h) { __L4_Utcb()[L4_TCR_USER_DEFINED_HANDLE] = h; }
L4_INLINE L4_ThreadId_t L4_Pager(void)
{
    L4_ThreadId_t t;
    t.raw = __L4_Utcb()[L4_TCR_PAGER];
    return t;
}
L4_INLINE void L4_Set_Pager(L4_ThreadId_t t) { __L4_Utcb()[L4_TCR_PAGER] = t.raw; }
L4_INLINE L4_ThreadId_t L4_ExceptionHandler(void)
{
    L4_ThreadId_t t;
    t.raw = __L4_Utcb()[L4_TCR_EXCEPTION_HANDLER];
    return t;
}
L4_INLINE void L4_Set_ExceptionHandler(L4_ThreadId_t t) { __L4_Utcb()[L4_TCR_EXCEPTION_HANDLER] = t.raw; }

/* ---- ExchangeRegisters ---- */
enum {
    L4_ExReg_Halt = 1 << 0,
    L4_ExReg_AbortRecv = 1 << 1,
    L4_ExReg_AbortSend = 1 << 2,
    L4_ExReg_AbortIPC = (1 << 1) | (1 << 2),
    L4_ExReg_SetSp = 1 << 3,
    L4_ExReg_SetIp = 1 << 4,
    L4_ExReg_SetFlags = 1 << 5,
    L4_ExReg_SetHandle = 1 << 6,
    L4_ExReg_SetPager = 1 << 7,
    L4_ExReg_HaltFlag = 1 << 8,
    L4_ExReg_Deliver = 1 << 9,
};

L4_INLINE L4_ThreadId_t L4_ExchangeRegisters(L4_ThreadId_t dest, L4_Word_t control, L4_Word_t sp, L4_Word_t ip,
                                             L4_Word_t flags, L4_Word_t user_handle, L4_ThreadId_t pager,
                                             L4_Word_t *old_control, L4_Word_t *old_sp, L4_Word_t *old_ip,
                                             L4_Word_t *old_flags, L4_Word_t *old_user_handle,
                                             L4_ThreadId_t *old_pager)
{
    L4_Word_t r, c, s, i, f, u, p;
    __L4_sys_ExchangeRegisters(dest.raw, control, sp, ip, flags, user_handle, pager.raw, &r, &c, &s, &i, &f, &u, &p);
    if (old_control) *old_control = c;
    if (old_sp) *old_sp = s;
    if (old_ip) *old_ip = i;
    if (old_flags) *old_flags = f;
    if (old_user_handle) *old_user_handle = u;
    if (old_pager) old_pager->raw = p;
    L4_ThreadId_t t;
    t.raw = r;
    return t;
}

/* Starts a thread that waits for its startup: new SP and IP, cancel IPC,
   resume. */
L4_INLINE void L4_Start_SpIp(L4_ThreadId_t t, L4_Word_t sp, L4_Word_t ip)
{
    L4_ExchangeRegisters(t, L4_ExReg_SetSp | L4_ExReg_SetIp | L4_ExReg_AbortIPC | L4_ExReg_HaltFlag, sp, ip, 0,
                         0, L4_nilthread, 0, 0, 0, 0, 0, 0);
}
L4_INLINE void L4_Stop(L4_ThreadId_t t)
{
    L4_ExchangeRegisters(t, L4_ExReg_Halt | L4_ExReg_HaltFlag, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, 0, 0);
}
L4_INLINE L4_ThreadId_t L4_GlobalIdOf(L4_ThreadId_t t)
{
    if (!L4_IsLocalId(t))
        return t;
    return L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, 0, 0);
}
L4_INLINE L4_ThreadId_t L4_LocalIdOf(L4_ThreadId_t t)
{
    if (L4_IsLocalId(t))
        return t;
    return L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, 0, 0);
}
L4_INLINE L4_ThreadId_t L4_PagerOf(L4_ThreadId_t t)
{
    L4_ThreadId_t p;
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, 0, 0, 0, 0, 0, &p);
    return p;
}

/* ---- ThreadControl, SpaceControl ---- */
L4_INLINE L4_Word_t L4_ThreadControl(L4_ThreadId_t dest, L4_ThreadId_t space, L4_ThreadId_t scheduler,
                                     L4_ThreadId_t pager, void *utcb_location)
{
    L4_Word_t r;
    __L4_sys_ThreadControl(dest.raw, space.raw, scheduler.raw, pager.raw, (L4_Word_t)utcb_location, &r);
    return r;
}
L4_INLINE L4_Word_t L4_SpaceControl(L4_ThreadId_t space, L4_Word_t control, L4_Fpage_t kip_area,
                                    L4_Fpage_t utcb_area, L4_ThreadId_t redirector, L4_Word_t *old_control)
{
    L4_Word_t r, c;
    __L4_sys_SpaceControl(space.raw, control, kip_area.raw, utcb_area.raw, redirector.raw, &r, &c);
    if (old_control) *old_control = c;
    return r;
}

/* ---- Scheduling ---- */
L4_INLINE L4_Word_t L4_Schedule(L4_ThreadId_t dest, L4_Word_t time_control, L4_Word_t processor_control,
                                L4_Word_t prio_control, L4_Word_t preemption_control, L4_Word_t *old_time_control)
{
    L4_Word_t r, t;
    __L4_sys_Schedule(dest.raw, time_control, processor_control, prio_control, preemption_control, &r, &t);
    if (old_time_control) *old_time_control = t;
    return r;
}
L4_INLINE L4_Word_t L4_Set_Priority(L4_ThreadId_t t, L4_Word_t prio)
{
    return L4_Schedule(t, ~(L4_Word_t)0, ~(L4_Word_t)0, prio & 0xFF, ~(L4_Word_t)0, 0);
}
L4_INLINE L4_Word_t L4_Set_Timeslice(L4_ThreadId_t t, L4_Time_t slice, L4_Time_t quantum)
{
    return L4_Schedule(t, ((L4_Word_t)slice.raw << 16) | quantum.raw, ~(L4_Word_t)0, ~(L4_Word_t)0, ~(L4_Word_t)0, 0);
}
L4_INLINE L4_Word_t L4_Set_ProcessorNo(L4_ThreadId_t t, L4_Word_t cpu)
{
    return L4_Schedule(t, ~(L4_Word_t)0, cpu & 0xFFFF, ~(L4_Word_t)0, ~(L4_Word_t)0, 0);
}
L4_INLINE void L4_ThreadSwitch(L4_ThreadId_t dest) { __L4_sys_ThreadSwitch(dest.raw); }
L4_INLINE void L4_Yield(void) { L4_ThreadSwitch(L4_nilthread); }

/* ---- Clock, processors, memory attributes ---- */
typedef union {
    L4_Word64_t raw;
} L4_Clock_t;

L4_INLINE L4_Clock_t L4_SystemClock(void)
{
    L4_Clock_t c;
    __L4_sys_SystemClock(&c.raw);
    return c;
}
L4_INLINE L4_Word_t L4_ProcessorControl(L4_Word_t cpu, L4_Word_t internal_freq, L4_Word_t external_freq,
                                        L4_Word_t voltage)
{
    L4_Word_t r;
    __L4_sys_ProcessorControl(cpu, internal_freq, external_freq, voltage, &r);
    return r;
}
L4_INLINE L4_Word_t L4_MemoryControl(L4_Word_t control, const L4_Word_t attributes[4])
{
    L4_Word_t *mr = __L4_MRs();
    L4_Word_t r;
    __L4_sys_MemoryControl(control, attributes[0], attributes[1], attributes[2], attributes[3], (L4_Word_t)mr, mr, &r);
    return r;
}

/* ---- Unmap, Flush ---- */
L4_INLINE void L4_Unmap(L4_Word_t control)
{
    L4_Word_t *mr = __L4_MRs();
    __L4_sys_Unmap(control, (L4_Word_t)mr, mr);
}
L4_INLINE L4_Fpage_t L4_UnmapFpage(L4_Fpage_t f)
{
    L4_LoadMR(0, f.raw);
    L4_Unmap(0);
    L4_StoreMR(0, &f.raw);
    return f;
}
L4_INLINE L4_Fpage_t L4_Flush(L4_Fpage_t f)
{
    L4_LoadMR(0, f.raw);
    L4_Unmap(1 << 6);
    L4_StoreMR(0, &f.raw);
    return f;
}
L4_INLINE L4_Fpage_t L4_GetStatus(L4_Fpage_t f) { return L4_UnmapFpage(L4_Set_Rights(&f, L4_NoAccess)); }

#ifdef __cplusplus
}
#endif

#endif /* L4_THREAD_H */
