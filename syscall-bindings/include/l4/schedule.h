/* Scheduling: Schedule and the calls built on it (priority, processor,
   time slice, delayed preemption), ThreadSwitch, SystemClock. */
#ifndef L4_SCHEDULE_H
#define L4_SCHEDULE_H

#include "l4/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Schedule's result: the thread's state (0 on failure, see ErrorCode). */
#define L4_SCHEDRESULT_ERROR 0
#define L4_SCHEDRESULT_DEAD 1
#define L4_SCHEDRESULT_INACTIVE 2
#define L4_SCHEDRESULT_RUNNING 3
#define L4_SCHEDRESULT_PENDING_SEND 4
#define L4_SCHEDRESULT_SENDING 5
#define L4_SCHEDRESULT_WAITING 6
#define L4_SCHEDRESULT_RECEIVING 7

/* Every control word all ones leaves that parameter as it is. */
L4_INLINE L4_Word_t L4_Schedule(L4_ThreadId_t dest, L4_Word_t time_control, L4_Word_t processor_control,
                                L4_Word_t prio_control, L4_Word_t preemption_control, L4_Word_t *old_time_control)
{
    L4_Word_t r, t;
    __L4_sys_Schedule(dest.raw, time_control, processor_control, prio_control, preemption_control, &r, &t);
    if (old_time_control) *old_time_control = t;
    return r;
}
#define __L4_UNCHANGED (~(L4_Word_t)0)
L4_INLINE L4_Word_t L4_Set_Priority(L4_ThreadId_t t, L4_Word_t prio)
{
    return L4_Schedule(t, __L4_UNCHANGED, __L4_UNCHANGED, prio & 0xFF, __L4_UNCHANGED, 0);
}
L4_INLINE L4_Word_t L4_Set_ProcessorNo(L4_ThreadId_t t, L4_Word_t cpu)
{
    return L4_Schedule(t, __L4_UNCHANGED, __L4_processor_control_set_processor(0, cpu), __L4_UNCHANGED, __L4_UNCHANGED, 0);
}
/* TimeControl: time slice (high 16 bits) and total quantum (low 16). */
L4_INLINE L4_Word_t L4_Set_Timeslice(L4_ThreadId_t t, L4_Time_t slice, L4_Time_t quantum)
{
    return L4_Schedule(t, __L4_time_control_set_quantum(__L4_time_control_set_timeslice(0, slice.raw), quantum.raw),
                       __L4_UNCHANGED, __L4_UNCHANGED, __L4_UNCHANGED, 0);
}
/* Reads the time slice and total quantum (changing nothing). */
L4_INLINE L4_Word_t L4_Timeslice(L4_ThreadId_t t, L4_Time_t *slice, L4_Time_t *quantum)
{
    L4_Word_t time_control = 0;
    L4_Word_t r = L4_Schedule(t, __L4_UNCHANGED, __L4_UNCHANGED, __L4_UNCHANGED, __L4_UNCHANGED, &time_control);
    if (slice) slice->raw = (L4_Word16_t)__L4_time_control_timeslice(time_control);
    if (quantum) quantum->raw = (L4_Word16_t)__L4_time_control_quantum(time_control);
    return r;
}
/* PreemptionControl: sensitive priority (bits 16-23), maximum delay in
   microseconds (bits 0-15). */
L4_INLINE L4_Word_t L4_Set_PreemptionDelay(L4_ThreadId_t t, L4_Word_t sensitive_prio, L4_Word_t max_delay)
{
    return L4_Schedule(t, __L4_UNCHANGED, __L4_UNCHANGED, __L4_UNCHANGED,
                       __L4_preemption_control_set_max_delay(
                           __L4_preemption_control_set_sensitive_priority(0, sensitive_prio), max_delay),
                       0);
}
#undef __L4_UNCHANGED

L4_INLINE void L4_ThreadSwitch(L4_ThreadId_t dest) { __L4_sys_ThreadSwitch(dest.raw); }
L4_INLINE void L4_Yield(void) { L4_ThreadSwitch(L4_nilthread); }

L4_INLINE L4_Clock_t L4_SystemClock(void)
{
    L4_Clock_t c;
    __L4_sys_SystemClock(&c.raw);
    return c;
}

#ifdef __cplusplus
}
#endif

#endif /* L4_SCHEDULE_H */
