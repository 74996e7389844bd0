// Kernel: Schedule (X.2 section 7.1): priorities, slices, quanta, delayed
// preemption, processors.
#include "core/kernel.hpp"
#include "core/objects/time_period.hpp"

namespace umol4 {

void Kernel::sys_schedule(Thread& t, Syscall_frame& f)
{
    sys::Schedule s(f);
    Thread* dest = _threads.resolve(t, s.dest());
    if (!dest) {
        refuse(t, f, L4_error::invalid_thread);
        return;
    }
    if (!privileged(t) && dest->scheduler != t.id) {
        refuse(t, f, L4_error::no_privilege);
        return;
    }
    Word result = dest->state == Thread_state::inactive ? 1
                  : dest->halted                       ? 2
                  : dest->xfer                         ? (dest->xfer->sender == dest ? 5 : 7)  // in a transfer
                  : dest->state == Thread_state::sending ? 4
                  : dest->state == Thread_state::receiving ? 6
                                                           : 3;
    // Processor: 0-15, one of the box's vCPUs [R] (else invalid parameter).
    // All ones (in the caller's words): no change.
    const Word unchanged = t.arch().word_mask();
    bool migrating = s.processor_control() != unchanged;
    unsigned processor = static_cast<unsigned>(layout::Processor_control{s.processor_control()}.processor());
    if (migrating && processor >= _sched.cpus()) {
        refuse(t, f, L4_error::invalid_param);
        return;
    }
    if (s.prio_control() != unchanged) {
        unsigned prio = static_cast<unsigned>(layout::Prio_control{s.prio_control()}.priority());
        if (!privileged(t) && prio > t.priority) {
            refuse(t, f, L4_error::no_privilege);
            return;
        }
        dest->priority = prio;
    }
    // Old TimeControl: the timeslice and what is left of the total
    // quantum (never: unlimited) as time periods.
    Word old_slice = period_of(dest->timeslice);
    Word old_quantum = dest->quantum ? period_of(std::max(*dest->quantum - dest->used, std::chrono::microseconds(0))) : 0;
    if (s.time_control() != unchanged) {
        layout::Time_control time{s.time_control()};
        constexpr Word keep = 0xFFFF;  // a half of all ones: that half unchanged
        Word slice = time.timeslice();
        if (slice != keep && layout::Time_period{slice}.point()) {
            refuse(t, f, L4_error::invalid_thread);  // time points: not accepted
            return;
        }
        if (slice != keep) {
            Word us = period_microseconds(slice);
            // [P] a 0 us slice never expires.
            dest->timeslice = std::chrono::microseconds(us ? static_cast<long long>(us) : 0x7FFFFFFFFFFFLL);
            dest->slice_left.reset();
        }
        Word quantum = time.quantum();
        if (quantum != keep && !layout::Time_period{quantum}.point()) {
            // never (0) = infinite; a new quantum starts unused.
            if (quantum == 0) dest->quantum.reset();
            else dest->quantum = std::chrono::microseconds(static_cast<long long>(period_microseconds(quantum)));
            dest->used = std::chrono::microseconds(0);
        }
    }
    if (s.preemption_control() != unchanged) {
        // The sensitive priority only matters for wake-ups, which preempt
        // nobody yet.
        Word delay = layout::Preemption_control{s.preemption_control()}.max_delay();
        dest->max_delay = std::chrono::microseconds(static_cast<long long>(delay));
        dest->delay_budget = dest->max_delay;
    }
    if (migrating) _sched.migrate(*dest, processor);
    s.set_result(result);
    s.set_old_time_control(layout::Time_control{}.set_timeslice(old_slice).set_quantum(old_quantum).raw);
    set_error(t, L4_error::ok);
}

}  // namespace umol4
