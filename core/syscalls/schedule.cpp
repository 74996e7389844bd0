// Kernel: Schedule (X.2 section 7.1): priorities, slices, quanta, delayed
// preemption, processors.
#include "core/kernel.hpp"

namespace umol4 {

void Kernel::sys_schedule(Thread& t, Syscall_frame& f)
{
    sys::Schedule s(f);
    Thread* dest = _threads.resolve(t, s.dest());
    if (!dest) {
        s.set_result(0);
        set_error(t, L4_error::invalid_thread);
        return;
    }
    if (!privileged(t) && dest->scheduler != t.id) {
        s.set_result(0);
        set_error(t, L4_error::no_privilege);
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
    Word processor = s.processor_control();
    bool migrating = processor != unchanged;
    if (migrating && (processor & 0xFFFF) >= _sched.cpus()) {
        s.set_result(0);
        set_error(t, L4_error::invalid_param);
        return;
    }
    Word prio = s.prio_control();
    if (prio != unchanged) {
        if (!privileged(t) && (prio & 0xFF) > t.priority) {
            s.set_result(0);
            set_error(t, L4_error::no_privilege);
            return;
        }
        dest->priority = static_cast<unsigned>(prio & 0xFF);
    }
    // Old TimeControl: the timeslice (16-31) as a time period; the total
    // quantum (0-15) is unlimited (quantum accounting: not yet).
    auto period = [](std::chrono::microseconds us) {
        Word v = static_cast<Word>(us.count()), e = 0;
        while (v >= 1024 && e < 31) { v >>= 1; ++e; }
        return (e << 10) | v;
    };
    Word old_slice = period(dest->timeslice);
    Word old_quantum = dest->quantum ? period(std::max(*dest->quantum - dest->used, std::chrono::microseconds(0))) : 0;
    Word time = s.time_control();
    if (time != unchanged) {
        Word slice = (time >> 16) & 0xFFFF;
        if (slice != 0xFFFF && (slice & 0x8000)) {
            s.set_result(0);
            set_error(t, L4_error::invalid_thread);  // time points: not accepted
            return;
        }
        if (slice != 0xFFFF) {
            Word us = (slice & 0x3FF) << ((slice >> 10) & 0x1F);
            // [P] a 0 us slice never expires.
            dest->timeslice = std::chrono::microseconds(us ? static_cast<long long>(us) : 0x7FFFFFFFFFFFLL);
            dest->slice_left.reset();
        }
        Word quantum = time & 0xFFFF;
        if (quantum != 0xFFFF && !(quantum & 0x8000)) {
            // never (0) = infinite; a new quantum starts unused.
            if (quantum == 0) dest->quantum.reset();
            else dest->quantum = std::chrono::microseconds(static_cast<long long>((quantum & 0x3FF) << ((quantum >> 10) & 0x1F)));
            dest->used = std::chrono::microseconds(0);
        }
    }
    Word preempt = s.preemption_control();
    if (preempt != unchanged) {
        // Bits 0-15: maximum delay in microseconds (16-23, the sensitive
        // priority, only matters for wake-ups, which preempt nobody yet).
        dest->max_delay = std::chrono::microseconds(static_cast<long long>(preempt & 0xFFFF));
        dest->delay_budget = dest->max_delay;
    }
    if (migrating) _sched.migrate(*dest, static_cast<unsigned>(processor & 0xFFFF));
    s.set_result(result);
    s.set_old_time_control((old_slice << 16) | old_quantum);
    set_error(t, L4_error::ok);
}

}  // namespace umol4
