// A thread runs on its own vCPU only (Thread::cpu); each vCPU runs the best
// of its ready threads, and the core waits for the first stop of any of them.
#include "core/sched/scheduler.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace umol4 {

namespace {
// What one stop of an L4 thread costs in virtual time (about a real one).
constexpr std::chrono::microseconds event_cost{10};
// Deterministic: a thread counts as computing without stops (and is taken
// to have used its slice, or run until the next virtual deadline) only
// after this much real time, far above what a loaded host delays a stop.
constexpr std::chrono::milliseconds spin_guard{50};
}  // namespace

Scheduler::Scheduler(Host& host, Box_memory& memory, Owner& owner) : _host(host), _memory(memory), _owner(owner) {}

void Scheduler::set_deterministic(bool on)
{
    _deterministic = on;
    _virtual_now = _boot_time;
}

void Scheduler::set_cpus(unsigned n)
{
    _cpus.assign(n, Vcpu{});
    _ready = Ready_queues(n);
}

void Scheduler::make_ready(Thread& t, bool front)
{
    t.state = Thread_state::ready;
    if (t.halted || t.host_lost) return;
    _ready.push(t, front);
}

void Scheduler::carry_on(Thread& t)
{
    const Vcpu& c = _cpus[t.cpu];
    if (c.last == &t && !c.slice_end) {
        // It was being stopped (its slice was over, or a thread of higher
        // priority woke) when it trapped: that preemption takes effect now.
        preempted(t);
        return;
    }
    make_ready(t, true);
    if (t.halted) return;
    _ready.donate(t);
    t.carried_on = true;
}

void Scheduler::halt(Thread& t, const std::string& why)
{
    t.halted = true;
    t.state = Thread_state::halted;
    _ready.remove(t);
    spdlog::debug("thread {:#x} halted: {}", t.id, why);
}

void Scheduler::lost(Thread& t)
{
    if (t.on_cpu) leave_cpu(t, true);
    t.host_lost = true;
    halt(t, "its task process died");
}

void Scheduler::load_regs(Thread& t)
{
    if (t.host_lost) return;  // what it had when its task died
    _host.get_regs(t.host, t.regs);
    t.regs_changed = false;
}

bool Scheduler::idle() const
{
    return std::none_of(_cpus.begin(), _cpus.end(), [](const Vcpu& c) { return c.current; });
}

void Scheduler::forget(Thread& t)
{
    _ready.remove(t);
    for (Vcpu& c : _cpus)
        if (c.last == &t) c.last = nullptr;
}

void Scheduler::dispatch()
{
    for (unsigned i = 0; i < _cpus.size(); ++i) {
        Vcpu& c = _cpus[i];
        if (c.current) continue;
        // A thread going on in its slice after a stop the program does not
        // see yields to one of higher priority woken since it was
        // dispatched, as it would have been preempted had it kept running.
        Thread* d = _ready.donated(i);
        if (d && d->carried_on && c.last == d && _ready.has_above(i, d->priority, c.dispatch_stamp)) {
            _ready.forget_donation(*d);
            d->carried_on = false;
            c.preempted_for_higher = true;
            ++_preemptions;
        }
        if (Thread* t = _ready.pop(i)) start_on(c, *t);
    }
}

// The timeslice is enforced: at its end the thread is interrupted and goes
// to the back of the ready threads of its priority.
void Scheduler::start_on(Vcpu& c, Thread& t)
{
    if (t.regs_changed) {
        t.regs_changed = false;
        if (!_host.set_regs(t.host, t.regs)) {
            _owner.registers_refused(t);
            return;
        }
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

void Scheduler::leave_cpu(Thread& t, bool by_event)
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

void Scheduler::stopped(Thread& t, const Host_event& ev)
{
    if (t.on_cpu) leave_cpu(t, ev.kind != Host_event::Kind::preempted);
    if (ev.kind != Host_event::Kind::preempted) {
        _owner.handle(t, ev);
        return;
    }
    load_regs(t);
    preempted(t);
}

// A slice that ran out sends it behind its peers (round robin); a
// higher-priority thread only makes it wait at the head of them.  The last
// slice shrank to the quantum's remainder: when it is used up, the
// scheduler hears of it.
void Scheduler::preempted(Thread& t)
{
    ++_preemptions;
    const Vcpu& c = _cpus[t.cpu];
    bool keep_place = c.preempted_for_higher;
    if (keep_place) t.slice_left = std::max(std::chrono::microseconds(0), c.slice - c.slice_ran);
    if (!(t.quantum && t.used >= *t.quantum && _owner.quantum_used_up(t))) make_ready(t, keep_place);
}

void Scheduler::stop_running(Thread& t)
{
    if (!t.on_cpu) return;
    // Its slice had ended and the interrupt was on its way: a preemption.
    bool slice_over = !_cpus[t.cpu].slice_end;
    Host_event ev = _host.stop(t.host);
    using K = Host_event::Kind;
    if (ev.kind == K::preempted && slice_over) {
        stopped(t, ev);
        return;
    }
    leave_cpu(t, false);
    switch (ev.kind) {
    case K::preempted: break;
    case K::syscall:
        if (!t.arch().trap_fault_code.empty()) {
            // The KIP stubs trap by a fault here: a system-call instruction
            // is L4 code trying Linux, whose exception is due now (it would
            // not come again from the instruction: backing up by the
            // stubs' trap_bytes would land inside it).
            _owner.handle(t, ev);
            return;
        }
        load_regs(t);
        restart_call(t, true);  // not served yet
        return;
    case K::memory_fault:
    case K::general_fault:
    case K::illegal:
    case K::arithmetic: break;  // the instruction faults again when it runs
    default:
        _owner.handle(t, ev);  // kernel-debugger requests, a thread killed from outside
        return;
    }
    load_regs(t);
    make_ready(t, true);
}

void Scheduler::restart_call(Thread& t, bool front)
{
    t.arch().set_pc(t.regs.data(), t.arch().pc(t.regs.data()) - t.arch().trap_bytes);
    t.regs_changed = true;
    make_ready(t, front);
}

void Scheduler::migrate(Thread& t, unsigned cpu)
{
    if (t.cpu == cpu) return;
    stop_running(t);
    bool queued = _ready.contains(t);
    _ready.remove(t);
    t.cpu = cpu;
    if (t.state != Thread_state::inactive && t.host >= 0) {  // not before activation, not interrupt threads
        if (!t.host_lost) _host.place(t.host, cpu);
        _memory.utcb(t).set(tcr::processor_no, cpu);
    }
    if (queued) _ready.push(t, false);
}

// A woken thread of higher priority preempts the one running on its vCPU.
void Scheduler::preempt_for_higher()
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

void Scheduler::enforce_slices()
{
    for (Vcpu& c : _cpus) {
        if (!c.current || !c.slice_end || Clock::now() < *c.slice_end) continue;
        // Delayed preemption: with d set and budget left the slice is
        // extended once and p tells the thread.
        Thread& t = *c.current;
        Utcb_view u = _memory.utcb(t);
        layout::Preemption_flags flags{u.get(tcr::flags)};
        if (flags.delay() && t.delay_budget.count() > 0) {
            u.set(tcr::flags, flags.set_pending(1).raw);
            c.slice_end = *c.slice_end + t.delay_budget;
            t.delay_budget = std::chrono::microseconds(0);
        } else {
            _host.interrupt(t.host);
            c.slice_end.reset();
        }
    }
}

// Deterministic (one vCPU): the virtual clock stands still while the thread
// runs; a thread that makes no event before the next virtual deadline (or
// its slice end) is taken to have run until then.
std::optional<Clock::time_point> Scheduler::wait_deadline(std::optional<Clock::time_point> d)
{
    const Vcpu& only = _cpus[0];
    _virtual_deadline.reset();
    if (_deterministic && d) {
        _virtual_deadline = d;
        d = only.started + std::max<Clock::duration>(spin_guard, *d - only.virtual_started);
    }
    for (const Vcpu& c : _cpus)
        if (c.current && c.slice_end && (!d || *c.slice_end < *d)) d = c.slice_end;
    _real_deadline = d;
    return d;
}

void Scheduler::waited()
{
    const Vcpu& only = _cpus[0];
    if (!_deterministic || !only.current) return;
    if (only.slice_end && Clock::now() >= *only.slice_end)
        _virtual_now = std::max(_virtual_now, only.virtual_started + only.slice +
                                                  (*only.slice_end - only.started - only.real_slice));
    else if (_virtual_deadline && _real_deadline && Clock::now() >= *_real_deadline)
        _virtual_now = std::max(_virtual_now, *_virtual_deadline);
}

void Scheduler::jump_to(Clock::time_point deadline)
{
    _virtual_now = std::max(_virtual_now, deadline);
}

std::string Scheduler::check(const std::set<const Thread*>& live) const
{
    std::set<const Thread*> queued;
    std::string error;
    _ready.for_each([&](unsigned cpu, const Thread& t) {
        if (!error.empty()) return;
        if (!live.count(&t)) error = "a deleted thread is ready";
        else if (!queued.insert(&t).second) error = fmt::format("thread {:#x} is queued twice", t.id);
        else if (t.cpu != cpu) error = fmt::format("thread {:#x} of CPU {} queued on CPU {}", t.id, t.cpu, cpu);
        else if (t.state != Thread_state::ready || t.halted || t.on_cpu)
            error = fmt::format("thread {:#x} is queued but not ready (or halted, or running)", t.id);
    });
    if (!error.empty()) return error;
    for (std::size_t c = 0; c < _cpus.size(); ++c) {
        const Thread* t = _cpus[c].current;
        if (t && (!live.count(t) || !t->on_cpu || t->cpu != c)) return fmt::format("vCPU {} runs a thread it does not own", c);
    }
    for (const Thread* t : live) {
        if (t->on_cpu && _cpus.at(t->cpu).current != t) return fmt::format("thread {:#x} runs on no vCPU", t->id);
        if (t->cpu >= _cpus.size()) return fmt::format("thread {:#x} on a vCPU the box lacks", t->id);
    }
    return "";
}

}  // namespace umol4
