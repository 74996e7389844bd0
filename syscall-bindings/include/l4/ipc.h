/* IPC: L4_Ipc and the usual shapes (Call, Send, Receive, ReplyWait, Wait,
   Sleep).  Message registers are the UTCB's; the generated binding moves the
   ones the arch passes in registers. */
#ifndef L4_IPC_H
#define L4_IPC_H

#include "l4/message.h"
#include "l4/thread.h"

#ifdef __cplusplus
extern "C" {
#endif

L4_INLINE L4_MsgTag_t L4_Ipc(L4_ThreadId_t to, L4_ThreadId_t from_specifier, L4_Word_t timeouts,
                             L4_ThreadId_t *from)
{
    L4_Word_t *mr = __L4_MRs();
    L4_Word_t f;
    __L4_sys_Ipc(to.raw, from_specifier.raw, timeouts, (L4_Word_t)mr, mr, &f);
    if (from)
        from->raw = f;
    return L4_MsgTag();
}

L4_INLINE L4_MsgTag_t L4_Lipc(L4_ThreadId_t to, L4_ThreadId_t from_specifier, L4_Word_t timeouts,
                              L4_ThreadId_t *from)
{
    L4_Word_t *mr = __L4_MRs();
    L4_Word_t f;
    __L4_sys_Lipc(to.raw, from_specifier.raw, timeouts, (L4_Word_t)mr, mr, &f);
    if (from)
        from->raw = f;
    return L4_MsgTag();
}

L4_INLINE L4_MsgTag_t L4_Call_Timeouts(L4_ThreadId_t to, L4_Time_t snd, L4_Time_t rcv)
{
    return L4_Ipc(to, to, L4_Timeouts(snd, rcv), 0);
}
L4_INLINE L4_MsgTag_t L4_Call(L4_ThreadId_t to) { return L4_Call_Timeouts(to, L4_Never, L4_Never); }
L4_INLINE L4_MsgTag_t L4_Send_Timeout(L4_ThreadId_t to, L4_Time_t t)
{
    return L4_Ipc(to, L4_nilthread, L4_Timeouts(t, L4_Never), 0);
}
L4_INLINE L4_MsgTag_t L4_Send(L4_ThreadId_t to) { return L4_Send_Timeout(to, L4_Never); }
L4_INLINE L4_MsgTag_t L4_Reply(L4_ThreadId_t to) { return L4_Send_Timeout(to, L4_ZeroTime); }
L4_INLINE L4_MsgTag_t L4_Receive_Timeout(L4_ThreadId_t from, L4_Time_t t)
{
    return L4_Ipc(L4_nilthread, from, L4_Timeouts(L4_Never, t), 0);
}
L4_INLINE L4_MsgTag_t L4_Receive(L4_ThreadId_t from) { return L4_Receive_Timeout(from, L4_Never); }
L4_INLINE L4_MsgTag_t L4_Wait_Timeout(L4_Time_t t, L4_ThreadId_t *from)
{
    return L4_Ipc(L4_nilthread, L4_anythread, L4_Timeouts(L4_Never, t), from);
}
L4_INLINE L4_MsgTag_t L4_Wait(L4_ThreadId_t *from) { return L4_Wait_Timeout(L4_Never, from); }
L4_INLINE L4_MsgTag_t L4_ReplyWait_Timeout(L4_ThreadId_t to, L4_Time_t t, L4_ThreadId_t *from)
{
    return L4_Ipc(to, L4_anythread, L4_Timeouts(L4_ZeroTime, t), from);
}
L4_INLINE L4_MsgTag_t L4_ReplyWait(L4_ThreadId_t to, L4_ThreadId_t *from)
{
    return L4_ReplyWait_Timeout(to, L4_Never, from);
}
L4_INLINE L4_MsgTag_t L4_Lcall(L4_ThreadId_t to) { return L4_Lipc(to, to, L4_Timeouts(L4_Never, L4_Never), 0); }
L4_INLINE L4_MsgTag_t L4_LreplyWait(L4_ThreadId_t to, L4_ThreadId_t *from)
{
    return L4_Lipc(to, L4_anylocalthread, L4_Timeouts(L4_ZeroTime, L4_Never), from);
}

/* Blocks for `t` by receiving from ourselves; ends with a receive timeout. */
L4_INLINE L4_MsgTag_t L4_Sleep(L4_Time_t t)
{
    L4_ThreadId_t self;
    self.raw = __L4_Utcb()[L4_TCR_MY_GLOBAL_ID];
    return L4_Receive_Timeout(self, t);
}

#ifdef __cplusplus
}

/* C++: the shapes with a timeout take it as a further argument. */
L4_INLINE L4_MsgTag_t L4_Call(L4_ThreadId_t to, L4_Time_t snd, L4_Time_t rcv) { return L4_Call_Timeouts(to, snd, rcv); }
L4_INLINE L4_MsgTag_t L4_Send(L4_ThreadId_t to, L4_Time_t t) { return L4_Send_Timeout(to, t); }
L4_INLINE L4_MsgTag_t L4_Receive(L4_ThreadId_t from, L4_Time_t t) { return L4_Receive_Timeout(from, t); }
L4_INLINE L4_MsgTag_t L4_Wait(L4_Time_t t, L4_ThreadId_t *from) { return L4_Wait_Timeout(t, from); }
L4_INLINE L4_MsgTag_t L4_ReplyWait(L4_ThreadId_t to, L4_Time_t t, L4_ThreadId_t *from)
{
    return L4_ReplyWait_Timeout(to, t, from);
}
#endif

#endif /* L4_IPC_H */
