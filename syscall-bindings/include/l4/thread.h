/* Threads: thread control registers, ExchangeRegisters and the calls built
   on it (start, stop, abort IPC, other threads' handles and pagers),
   ThreadControl.  It also brings l4/schedule.h, l4/space.h and l4/misc.h,
   so one include gives a program every system call. */
#ifndef L4_THREAD_H
#define L4_THREAD_H

#include "l4/message.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ErrorCode values (L4_ERROR_*, L4_Err*) and L4_ErrorCode_String come
   from l4/gen/abi.h, generated from syscall-bindings/x2.toml. */

/* ---- Thread control registers ---- */
L4_INLINE L4_ThreadId_t __L4_TcrThread(int tcr)
{
    L4_ThreadId_t t;
    t.raw = __L4_Utcb()[tcr];
    return t;
}
L4_INLINE L4_ThreadId_t L4_MyGlobalId(void) { return __L4_TcrThread(L4_TCR_MY_GLOBAL_ID); }
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
L4_INLINE L4_ThreadId_t L4_Pager(void) { return __L4_TcrThread(L4_TCR_PAGER); }
L4_INLINE void L4_Set_Pager(L4_ThreadId_t t) { __L4_Utcb()[L4_TCR_PAGER] = t.raw; }
L4_INLINE L4_ThreadId_t L4_ExceptionHandler(void) { return __L4_TcrThread(L4_TCR_EXCEPTION_HANDLER); }
L4_INLINE void L4_Set_ExceptionHandler(L4_ThreadId_t t) { __L4_Utcb()[L4_TCR_EXCEPTION_HANDLER] = t.raw; }
L4_INLINE L4_Word_t L4_ErrorCode(void) { return __L4_Utcb()[L4_TCR_ERROR_CODE]; }
L4_INLINE L4_Word_t L4_XferTimeouts(void) { return __L4_Utcb()[L4_TCR_XFER_TIMEOUTS]; }
L4_INLINE void L4_Set_XferTimeouts(L4_Word_t t) { __L4_Utcb()[L4_TCR_XFER_TIMEOUTS] = t; }
L4_INLINE L4_ThreadId_t L4_ActualSender(void) { return __L4_TcrThread(L4_TCR_VIRTUAL_SENDER); }
L4_INLINE void L4_Set_VirtualSender(L4_ThreadId_t t) { __L4_Utcb()[L4_TCR_VIRTUAL_SENDER] = t.raw; }
L4_INLINE L4_ThreadId_t L4_IntendedReceiver(void) { return __L4_TcrThread(L4_TCR_INTENDED_RECEIVER); }
L4_INLINE L4_Word_t L4_WordSizeMask(void) { return __L4_Utcb()[L4_TCR_WORD_SIZE_MASK]; }
L4_INLINE void L4_Reset_WordSizeMask(void) { __L4_Utcb()[L4_TCR_WORD_SIZE_MASK] = ~(L4_Word_t)0; }

/* ---- ExchangeRegisters ---- */
enum {
    L4_ExReg_Halt = L4_LAYOUT_EXREGS_CONTROL_HALT_MASK,               /* H: the halt state h sets */
    L4_ExReg_AbortRecv = L4_LAYOUT_EXREGS_CONTROL_CANCEL_RECEIVE_MASK, /* R */
    L4_ExReg_AbortSend = L4_LAYOUT_EXREGS_CONTROL_CANCEL_SEND_MASK,    /* S */
    L4_ExReg_AbortIPC = L4_LAYOUT_EXREGS_CONTROL_CANCEL_RECEIVE_MASK | L4_LAYOUT_EXREGS_CONTROL_CANCEL_SEND_MASK,
    L4_ExReg_SetSp = L4_LAYOUT_EXREGS_CONTROL_SET_SP_MASK,
    L4_ExReg_SetIp = L4_LAYOUT_EXREGS_CONTROL_SET_IP_MASK,
    L4_ExReg_SetFlags = L4_LAYOUT_EXREGS_CONTROL_SET_FLAGS_MASK,
    L4_ExReg_SetHandle = L4_LAYOUT_EXREGS_CONTROL_SET_USER_HANDLE_MASK,
    L4_ExReg_SetPager = L4_LAYOUT_EXREGS_CONTROL_SET_PAGER_MASK,
    L4_ExReg_HaltFlag = L4_LAYOUT_EXREGS_CONTROL_APPLY_HALT_MASK, /* h: set the halt state to H */
    L4_ExReg_Deliver = L4_LAYOUT_EXREGS_CONTROL_DELIVER_MASK,     /* d: deliver the old values */
};

/* The old control word: halted (bit 0), receiving (1), sending (2). */
typedef struct {
    L4_Word_t raw;
} L4_ThreadState_t;

L4_INLINE L4_Bool_t L4_ThreadWasHalted(L4_ThreadState_t s) { return s.raw & 1; }
L4_INLINE L4_Bool_t L4_ThreadWasReceiving(L4_ThreadState_t s) { return (s.raw >> 1) & 1; }
L4_INLINE L4_Bool_t L4_ThreadWasSending(L4_ThreadState_t s) { return (s.raw >> 2) & 1; }
L4_INLINE L4_Bool_t L4_ThreadWasIpcing(L4_ThreadState_t s) { return (s.raw & 6) != 0; }

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
/* ExchangeRegisters with no new values but the control word's. */
L4_INLINE L4_ThreadId_t __L4_ExRegs(L4_ThreadId_t t, L4_Word_t control, L4_Word_t *old_control, L4_Word_t *sp,
                                    L4_Word_t *ip, L4_Word_t *flags, L4_Word_t *handle, L4_ThreadId_t *pager)
{
    return L4_ExchangeRegisters(t, control, 0, 0, 0, 0, L4_nilthread, old_control, sp, ip, flags, handle, pager);
}

L4_INLINE L4_ThreadId_t L4_GlobalIdOf(L4_ThreadId_t t)
{
    return L4_IsLocalId(t) ? __L4_ExRegs(t, 0, 0, 0, 0, 0, 0, 0) : t;
}
L4_INLINE L4_ThreadId_t L4_LocalIdOf(L4_ThreadId_t t)
{
    return L4_IsLocalId(t) ? t : __L4_ExRegs(t, 0, 0, 0, 0, 0, 0, 0);
}
L4_INLINE L4_Bool_t L4_SameThreads(L4_ThreadId_t a, L4_ThreadId_t b)
{
    return L4_GlobalIdOf(a).raw == L4_GlobalIdOf(b).raw;
}
L4_INLINE L4_Word_t L4_UserDefinedHandleOf(L4_ThreadId_t t)
{
    L4_Word_t h = 0;
    __L4_ExRegs(t, L4_ExReg_Deliver, 0, 0, 0, 0, &h, 0);
    return h;
}
L4_INLINE void L4_Set_UserDefinedHandleOf(L4_ThreadId_t t, L4_Word_t h)
{
    L4_ExchangeRegisters(t, L4_ExReg_SetHandle, 0, 0, 0, h, L4_nilthread, 0, 0, 0, 0, 0, 0);
}
L4_INLINE L4_ThreadId_t L4_PagerOf(L4_ThreadId_t t)
{
    L4_ThreadId_t p = L4_nilthread;
    __L4_ExRegs(t, L4_ExReg_Deliver, 0, 0, 0, 0, 0, &p);
    return p;
}
L4_INLINE void L4_Set_PagerOf(L4_ThreadId_t t, L4_ThreadId_t p)
{
    L4_ExchangeRegisters(t, L4_ExReg_SetPager, 0, 0, 0, 0, p, 0, 0, 0, 0, 0, 0);
}

/* Start: cancel any IPC and resume (with a new SP and IP, and flags). */
L4_INLINE void L4_Start(L4_ThreadId_t t)
{
    __L4_ExRegs(t, L4_ExReg_AbortIPC | L4_ExReg_HaltFlag, 0, 0, 0, 0, 0, 0);
}
L4_INLINE void L4_Start_SpIp(L4_ThreadId_t t, L4_Word_t sp, L4_Word_t ip)
{
    L4_ExchangeRegisters(t, L4_ExReg_SetSp | L4_ExReg_SetIp | L4_ExReg_AbortIPC | L4_ExReg_HaltFlag, sp, ip, 0,
                         0, L4_nilthread, 0, 0, 0, 0, 0, 0);
}
L4_INLINE void L4_Start_SpIpFlags(L4_ThreadId_t t, L4_Word_t sp, L4_Word_t ip, L4_Word_t flags)
{
    L4_ExchangeRegisters(t,
                         L4_ExReg_SetSp | L4_ExReg_SetIp | L4_ExReg_SetFlags | L4_ExReg_AbortIPC | L4_ExReg_HaltFlag,
                         sp, ip, flags, 0, L4_nilthread, 0, 0, 0, 0, 0, 0);
}

/* Stop: halt, aborting the receive phase, the send phase or both first;
   returns what the thread was doing, and (_SpIpFlags) where it stopped. */
L4_INLINE L4_ThreadState_t __L4_Halt(L4_ThreadId_t t, L4_Word_t abort, L4_Word_t *sp, L4_Word_t *ip,
                                     L4_Word_t *flags)
{
    L4_ThreadState_t s;
    __L4_ExRegs(t, abort | L4_ExReg_Halt | L4_ExReg_HaltFlag | L4_ExReg_Deliver, &s.raw, sp, ip, flags, 0, 0);
    return s;
}
L4_INLINE L4_ThreadState_t L4_Stop(L4_ThreadId_t t) { return __L4_Halt(t, 0, 0, 0, 0); }
L4_INLINE L4_ThreadState_t L4_Stop_SpIpFlags(L4_ThreadId_t t, L4_Word_t *sp, L4_Word_t *ip, L4_Word_t *flags)
{
    return __L4_Halt(t, 0, sp, ip, flags);
}
L4_INLINE L4_ThreadState_t L4_AbortReceive_and_stop(L4_ThreadId_t t)
{
    return __L4_Halt(t, L4_ExReg_AbortRecv, 0, 0, 0);
}
L4_INLINE L4_ThreadState_t L4_AbortReceive_and_stop_SpIpFlags(L4_ThreadId_t t, L4_Word_t *sp, L4_Word_t *ip,
                                                              L4_Word_t *flags)
{
    return __L4_Halt(t, L4_ExReg_AbortRecv, sp, ip, flags);
}
L4_INLINE L4_ThreadState_t L4_AbortSend_and_stop(L4_ThreadId_t t) { return __L4_Halt(t, L4_ExReg_AbortSend, 0, 0, 0); }
L4_INLINE L4_ThreadState_t L4_AbortSend_and_stop_SpIpFlags(L4_ThreadId_t t, L4_Word_t *sp, L4_Word_t *ip,
                                                           L4_Word_t *flags)
{
    return __L4_Halt(t, L4_ExReg_AbortSend, sp, ip, flags);
}
L4_INLINE L4_ThreadState_t L4_AbortIpc_and_stop(L4_ThreadId_t t) { return __L4_Halt(t, L4_ExReg_AbortIPC, 0, 0, 0); }
L4_INLINE L4_ThreadState_t L4_AbortIpc_and_stop_SpIpFlags(L4_ThreadId_t t, L4_Word_t *sp, L4_Word_t *ip,
                                                          L4_Word_t *flags)
{
    return __L4_Halt(t, L4_ExReg_AbortIPC, sp, ip, flags);
}

/* ---- ThreadControl, interrupt threads ---- */
L4_INLINE L4_Word_t L4_ThreadControl(L4_ThreadId_t dest, L4_ThreadId_t space, L4_ThreadId_t scheduler,
                                     L4_ThreadId_t pager, void *utcb_location)
{
    L4_Word_t r;
    __L4_sys_ThreadControl(dest.raw, space.raw, scheduler.raw, pager.raw, (L4_Word_t)utcb_location, &r);
    return r;
}
/* An interrupt thread's pager is its handler (itself: none). */
L4_INLINE L4_Word_t L4_AssociateInterrupt(L4_ThreadId_t irq, L4_ThreadId_t handler)
{
    return L4_ThreadControl(irq, irq, L4_nilthread, handler, (void *)~(L4_Word_t)0);
}
L4_INLINE L4_Word_t L4_DeassociateInterrupt(L4_ThreadId_t irq)
{
    return L4_ThreadControl(irq, irq, L4_nilthread, irq, (void *)~(L4_Word_t)0);
}

#ifdef __cplusplus
}

/* ---- C++: the reference library's overloaded names. ---- */
L4_INLINE L4_ThreadId_t L4_GlobalId(L4_ThreadId_t t) { return L4_GlobalIdOf(t); }
L4_INLINE L4_ThreadId_t L4_LocalId(L4_ThreadId_t t) { return L4_LocalIdOf(t); }
L4_INLINE L4_Word_t L4_UserDefinedHandle(L4_ThreadId_t t) { return L4_UserDefinedHandleOf(t); }
L4_INLINE void L4_Set_UserDefinedHandle(L4_ThreadId_t t, L4_Word_t h) { L4_Set_UserDefinedHandleOf(t, h); }
L4_INLINE L4_ThreadId_t L4_Pager(L4_ThreadId_t t) { return L4_PagerOf(t); }
L4_INLINE void L4_Set_Pager(L4_ThreadId_t t, L4_ThreadId_t p) { L4_Set_PagerOf(t, p); }
L4_INLINE void L4_Start(L4_ThreadId_t t, L4_Word_t sp, L4_Word_t ip) { L4_Start_SpIp(t, sp, ip); }
L4_INLINE void L4_Start(L4_ThreadId_t t, L4_Word_t sp, L4_Word_t ip, L4_Word_t flags)
{
    L4_Start_SpIpFlags(t, sp, ip, flags);
}
L4_INLINE L4_ThreadState_t L4_Stop(L4_ThreadId_t t, L4_Word_t *sp, L4_Word_t *ip, L4_Word_t *flags)
{
    return L4_Stop_SpIpFlags(t, sp, ip, flags);
}
L4_INLINE L4_ThreadState_t L4_AbortReceive_and_stop(L4_ThreadId_t t, L4_Word_t *sp, L4_Word_t *ip, L4_Word_t *flags)
{
    return L4_AbortReceive_and_stop_SpIpFlags(t, sp, ip, flags);
}
L4_INLINE L4_ThreadState_t L4_AbortSend_and_stop(L4_ThreadId_t t, L4_Word_t *sp, L4_Word_t *ip, L4_Word_t *flags)
{
    return L4_AbortSend_and_stop_SpIpFlags(t, sp, ip, flags);
}
L4_INLINE L4_ThreadState_t L4_AbortIpc_and_stop(L4_ThreadId_t t, L4_Word_t *sp, L4_Word_t *ip, L4_Word_t *flags)
{
    return L4_AbortIpc_and_stop_SpIpFlags(t, sp, ip, flags);
}
#endif

#include "l4/schedule.h"
#include "l4/space.h"
#include "l4/misc.h"

#endif /* L4_THREAD_H */
