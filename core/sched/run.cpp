// The scheduler loop: which L4 threads run on the box's virtual CPUs, for
// how long, and what happens when one stops.  A thread runs on its own
// vCPU only (Tcb::cpu); each vCPU runs the best of its ready threads, and
// the core waits for the first stop of any of them.
#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/kernel.hpp"

namespace umol4 {

namespace {
// What one stop of an L4 thread costs in virtual time (about a real one).
constexpr std::chrono::microseconds event_cost{10};
// Deterministic: a thread counts as computing without stops (and is taken
// to have used its slice, or run until the next virtual deadline) only
// after this much real time, far above what a loaded host delays a stop.
constexpr std::chrono::milliseconds spin_guard{50};
}  // namespace

void Kernel::dispatch()
{
    for (unsigned i = 0; i < _cpus.size(); ++i) {
        Vcpu& c = _cpus[i];
        if (c.current) continue;
        // A thread going on in its slice after a stop the program does not
        // see yields to one of higher priority woken since it was
        // dispatched, as it would have been preempted had it kept running.
        Tcb* d = _ready.donated(i);
        if (d && d->carried_on && c.last == d && _ready.has_above(i, d->priority, c.dispatch_stamp)) {
            _ready.forget_donation(*d);
            d->carried_on = false;
            c.preempted_for_higher = true;
            ++_stats.preemptions;
        }
        if (Tcb* t = _ready.pop(i)) start_on(c, *t);
    }
}

// The timeslice is enforced: at its end the thread is interrupted and goes
// to the back of the ready threads of its priority.
void Kernel::start_on(Vcpu& c, Tcb& t)
{
    if (t.regs_changed) {
        _host.set_regs(t.host, t.regs);
        t.regs_changed = false;
    }
    _host.resume(t.host);
    t.on_cpu = true;
    c.current = &t;
    c.started = Clock::now();
    c.virtual_started = _virtual_now;
    // After a stop the program does not see, the thread goes on in the same
    // slice: the same end (none if it was asked to stop), and threads ready
    // since it was first dispatched still preempt it.
    bool goes_on = t.carried_on && c.last == &t;
    t.carried_on = false;
    c.last = &t;
    if (goes_on) return;
    c.preempted_for_higher = false;
    c.dispatch_stamp = _ready.stamp();
    c.slice = t.slice_left.value_or(t.timeslice);
    t.slice_left.reset();
    c.slice_ran = std::chrono::microseconds(0);
    if (t.quantum) c.slice = std::min(c.slice, std::max(*t.quantum - t.used, std::chrono::microseconds(0)));
    c.real_slice = _deterministic ? std::max<Clock::duration>(c.slice, spin_guard) : c.slice;
    c.slice_end = c.started + c.real_slice;
}

void Kernel::leave_cpu(Tcb& t, bool by_event)
{
    Vcpu& c = _cpus[t.cpu];
    auto ran = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - c.started);
    if (_deterministic) {
        if (by_event) _virtual_now += event_cost;
        ran = std::chrono::duration_cast<std::chrono::microseconds>(_virtual_now - c.virtual_started);
    }
    t.used += ran;
    c.slice_ran += ran;
    t.on_cpu = false;
    c.current = nullptr;
}

void Kernel::event_stop(Tcb& t, const Host_event& ev)
{
    if (t.on_cpu) leave_cpu(t, ev.kind != Host_event::Kind::preempted);
    if (ev.kind != Host_event::Kind::preempted) {
        handle(t, ev);
        return;
    }
    load_regs(t);
    preempted(t);
}

// A slice that ran out sends it behind its peers (round robin); a
// higher-priority thread only makes it wait at the head of them.  The last
// slice shrank to the quantum's remainder: when it is used up, the
// scheduler hears of it.
void Kernel::preempted(Tcb& t)
{
    ++_stats.preemptions;
    const Vcpu& c = _cpus[t.cpu];
    bool keep_place = c.preempted_for_higher;
    if (keep_place) t.slice_left = std::max(std::chrono::microseconds(0), c.slice - c.slice_ran);
    if (!(t.quantum && t.used >= *t.quantum && start_preemption_ipc(t))) make_ready(t, keep_place);
}

void Kernel::stop_running(Tcb& t)
{
    if (!t.on_cpu) return;
    // Its slice had ended and the interrupt was on its way: a preemption.
    bool slice_over = !_cpus[t.cpu].slice_end;
    Host_event ev = _host.stop(t.host);
    using K = Host_event::Kind;
    if (ev.kind == K::preempted && slice_over) {
        event_stop(t, ev);
        return;
    }
    leave_cpu(t, false);
    switch (ev.kind) {
    case K::preempted: break;
    case K::syscall:
        // Not served yet: the thread makes the call again when it runs.
        load_regs(t);
        arch(t).set_pc(t.regs.data(), arch(t).pc(t.regs.data()) - arch(t).trap_bytes);
        t.regs_changed = true;
        make_ready(t, true);
        return;
    case K::memory_fault:
    case K::general_fault:
    case K::illegal:
    case K::arithmetic: break;  // the instruction faults again when it runs
    default:
        handle(t, ev);  // kernel-debugger requests, a thread killed from outside
        return;
    }
    load_regs(t);
    make_ready(t, true);
}

void Kernel::migrate(Tcb& t, unsigned cpu)
{
    if (t.cpu == cpu) return;
    stop_running(t);
    bool queued = _ready.contains(t);
    _ready.remove(t);
    t.cpu = cpu;
    if (t.state != Thread_state::inactive && t.host >= 0) {  // not before activation, not interrupt threads
        _host.place(t.host, cpu);
        utcb(t).set(tcr::processor_no, cpu);
    }
    if (queued) _ready.push(t, false);
}

// A woken thread of higher priority preempts the one running on its vCPU.
void Kernel::preempt_for_higher()
{
    for (unsigned i = 0; i < _cpus.size(); ++i) {
        Vcpu& c = _cpus[i];
        // Threads ready since it was dispatched: woken (a timeout, an
        // interrupt, another vCPU), not those a donation passed over.
        if (c.current && c.slice_end && _ready.has_above(i, c.current->priority, c.dispatch_stamp)) {
            _host.interrupt(c.current->host);
            c.slice_end.reset();
            c.preempted_for_higher = true;
        }
    }
}

void Kernel::enforce_slices()
{
    for (Vcpu& c : _cpus) {
        if (!c.current || !c.slice_end || Clock::now() < *c.slice_end) continue;
        // Delayed preemption: with d set and budget left the slice is
        // extended once and p tells the thread.
        Tcb& t = *c.current;
        Utcb_view u = utcb(t);
        Word flags = u.get(tcr::flags);
        if ((flags & 0x40) && t.delay_budget.count() > 0) {
            u.set(tcr::flags, flags | 0x80);
            c.slice_end = *c.slice_end + t.delay_budget;
            t.delay_budget = std::chrono::microseconds(0);
        } else {
            _host.interrupt(t.host);
            c.slice_end.reset();
        }
    }
}

Box_exit Kernel::run(std::optional<std::chrono::milliseconds> timeout)
{
    std::optional<Clock::time_point> box_deadline;
    if (timeout) box_deadline = Clock::now() + *timeout;
    auto wait_until = [&](std::optional<Clock::time_point> a) {
        std::optional<Clock::time_point> until = a;
        if (box_deadline && (!until || *box_deadline < *until)) until = box_deadline;
        std::optional<std::chrono::nanoseconds> d;
        if (until) d = std::max(std::chrono::nanoseconds(0), std::chrono::nanoseconds(*until - Clock::now()));
        return _host.wait(d);
    };
    auto check_host = [&](const Host_event& ev) {
        if (ev.kind == Host_event::Kind::interrupted) finish(Box_exit::interrupted, "interrupted");
        if (box_deadline && Clock::now() >= *box_deadline) finish(Box_exit::timeout, "timeout");
    };
    while (!_stop) try {
        // Every round, not only when the host is quiet: other vCPUs' stops
        // may keep wait() from ever timing out.
        check_host(Host_event{});
        if (_stop) break;
        if (_checking)
            if (std::string broken = check_invariants(); !broken.empty())
                throw std::logic_error("kernel invariant broken: " + broken);
        expire_timeouts();
        preempt_for_higher();
        enforce_slices();
        dispatch();
        if (std::none_of(_cpus.begin(), _cpus.end(), [](const Vcpu& c) { return c.current; })) {
            auto d = next_deadline();
            if (!d) {
                // Threads whose page fault the pager never answered are
                // stuck for good: report them.
                for (auto& [_, tp] : _threads) {
                    if (tp->ipc == Tcb::Ipc_kind::page_fault) {
                        ++_unhandled_faults;
                        spdlog::error("thread {:#x} stopped: its pager never resolved the page fault at {:#x}", tp->id,
                                      tp->fault_address);
                    }
                }
                if (_unhandled_faults)
                    finish(Box_exit::faulted, fmt::format("every thread waits forever; {} stopped on a fault", _unhandled_faults));
                else
                    finish(Box_exit::finished, "every thread waits forever");
                break;
            }
            Host_event ev;
            if (_deterministic) {
                // Nobody runs: the virtual clock jumps to the next deadline.
                _virtual_now = std::max(_virtual_now, *d);
                ev = _host.wait(std::chrono::nanoseconds(0));
            } else {
                ev = wait_until(d);
            }
            check_host(ev);
            // A stopped thread killed from outside.
            if (auto it = _by_host.find(ev.thread); it != _by_host.end()) event_stop(*it->second, ev);
            continue;
        }
        // Deterministic (one vCPU): the virtual clock stands still while the
        // thread runs; a thread that makes no event before the next virtual
        // deadline (or its slice end) is taken to have run until then.
        Vcpu& only = _cpus[0];
        std::optional<Clock::time_point> d = next_deadline(), virtual_deadline;
        if (_deterministic && d) {
            virtual_deadline = d;
            d = only.started + std::max<Clock::duration>(spin_guard, *d - only.virtual_started);
        }
        for (const Vcpu& c : _cpus)
            if (c.current && c.slice_end && (!d || *c.slice_end < *d)) d = c.slice_end;
        Host_event ev = wait_until(d);
        if (ev.kind == Host_event::Kind::timeout || ev.kind == Host_event::Kind::interrupted) {
            check_host(ev);
            if (_stop) break;
            if (_deterministic && only.current) {
                if (only.slice_end && Clock::now() >= *only.slice_end)
                    _virtual_now = std::max(_virtual_now, only.virtual_started + only.slice +
                                                              (*only.slice_end - only.started - only.real_slice));
                else if (virtual_deadline && d && Clock::now() >= *d)
                    _virtual_now = std::max(_virtual_now, *virtual_deadline);
            }
            continue;
        }
        if (auto it = _by_host.find(ev.thread); it != _by_host.end()) event_stop(*it->second, ev);
    } catch (const Host_task_died& e) {
        // Its space cannot be trusted any more (as for thread_died).
        spdlog::error("a task process was killed from outside ({}); the box stops", e.what());
        finish(Box_exit::faulted, "a task process was killed");
    }
    _host.kill_all();
    return _exit;
}

}  // namespace umol4
