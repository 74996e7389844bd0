// The scheduler of a box: which L4 threads run on its virtual CPUs, for
// how long (slices, quanta, delayed preemption), who preempts whom, and
// the box's clock (real, or virtual in the deterministic mode).
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/host/host.hpp"
#include "core/objects/box_memory.hpp"
#include "core/objects/thread.hpp"
#include "core/sched/ready_queues.hpp"
#include "core/sched/vcpu.hpp"

namespace umol4 {

class Scheduler {
public:
    // What the scheduler leaves to the kernel.
    class Owner {
    public:
        virtual ~Owner() = default;
        // A stop of t that is an event for the kernel (a trap, a fault).
        virtual void handle(Thread& t, const Host_event& ev) = 0;
        // t used up its total quantum: the preemption IPC to its scheduler
        // (false: it has none, t simply goes on).
        virtual bool quantum_used_up(Thread& t) = 0;
        // The host refused t's registers (Host::set_regs): t does not run;
        // it faults instead.
        virtual void registers_refused(Thread& t) = 0;
    };

    Scheduler(Host& host, Box_memory& memory, Owner& owner);

    // Deterministic mode (before boot): the clock is virtual, it advances
    // by a fixed cost per event and jumps to the next deadline when every
    // thread waits, so a program's event order is the same in every run
    // (spinning threads are still stopped after a real-time slice).
    void set_deterministic(bool on);
    bool deterministic() const { return _deterministic; }
    void set_cpus(unsigned n);
    unsigned cpus() const { return static_cast<unsigned>(_cpus.size()); }
    // The box's clock: SystemClock, timeouts, timers (--timeout and the
    // slices of spinners stay real).
    Clock::time_point now() const { return _deterministic ? _virtual_now : Clock::now(); }
    std::chrono::microseconds since_boot() const
    {
        return std::chrono::duration_cast<std::chrono::microseconds>(now() - _boot_time);
    }

    // Readiness.
    void make_ready(Thread& t, bool front = false);
    // What the core just did for t is invisible to the program (a fault on a
    // page the space has, an emulated instruction): on hardware it never left
    // its CPU, so it goes on there in the same slice, before threads of
    // higher priority that were ready already (it may be running on time a
    // ThreadSwitch gave it); those woken since still preempt it.
    void carry_on(Thread& t);
    // A system call not served (yet): its pc goes back to the trap and the
    // thread makes the call again when it runs (front: before the others of
    // its priority).
    void restart_call(Thread& t, bool front);
    void halt(Thread& t, const std::string& why);
    // Its Linux thread is gone (its task process died): off its vCPU,
    // halted, never to run or be asked for registers again.
    void lost(Thread& t);
    void unready(Thread& t) { _ready.remove(t); }
    bool queued(const Thread& t) const { return _ready.contains(t); }
    // t runs next on its vCPU, on the time of the thread that gives it.
    void donate(Thread& t) { _ready.donate(t); }

    // Running threads.
    void dispatch();
    void preempt_for_higher();
    void enforce_slices();
    // A stop of a running thread reported by the host.
    void stopped(Thread& t, const Host_event& ev);
    // Before the core touches a thread that runs on a vCPU (registers,
    // halt, deletion, migration): stopped, a system call it had just
    // trapped with taken back (it makes it again when it runs).
    void stop_running(Thread& t);
    void migrate(Thread& t, unsigned cpu);
    void load_regs(Thread& t);
    bool idle() const;
    // The thread is deleted: no vCPU or queue remembers it.
    void forget(Thread& t);

    // The event loop's waits: the real time to wait until for the kernel's
    // next deadline (slice ends too), and what the clock makes of a wait
    // that ran out or of a box where nobody runs.
    std::optional<Clock::time_point> wait_deadline(std::optional<Clock::time_point> kernel_deadline);
    void waited();
    void jump_to(Clock::time_point deadline);

    unsigned long preemptions() const { return _preemptions; }
    // What is inconsistent in the queues and vCPUs ("" if nothing).
    std::string check(const std::set<const Thread*>& live) const;

private:
    void start_on(Vcpu& c, Thread& t);
    void leave_cpu(Thread& t, bool by_event);
    void preempted(Thread& t);

    Host& _host;
    Box_memory& _memory;
    Owner& _owner;
    Ready_queues _ready;
    std::vector<Vcpu> _cpus{1};
    bool _deterministic = false;
    Clock::time_point _boot_time = Clock::now();
    Clock::time_point _virtual_now;
    // The virtual deadline of the current wait (deterministic mode).
    std::optional<Clock::time_point> _virtual_deadline, _real_deadline;
    unsigned long _preemptions = 0;
};

}  // namespace umol4
