// Kernel: the event loop.  Every round: what is due (timers, timeouts),
// preemptions and slices, threads onto idle vCPUs; then the core waits for
// the first stop of a running thread (or the next deadline) and hands it
// to the scheduler, which hands what is an event to the trap handlers.
#include <algorithm>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/kernel.hpp"

namespace umol4 {

namespace {
// How often console input is looked for while a thread waits for it: the
// host's wait() sees stops and signals, not input.
constexpr auto console_poll_period = std::chrono::milliseconds(20);
}  // namespace

std::optional<Clock::time_point> Kernel::next_deadline() const
{
    auto d = _irq.next_deadline(), i = _ipc.next_deadline();
    if (i && (!d || *i < *d)) d = i;
    return d;
}

Box_exit Kernel::run(std::optional<std::chrono::milliseconds> timeout)
{
    std::optional<Clock::time_point> box_deadline;
    if (timeout) box_deadline = Clock::now() + *timeout;
    auto wait_until = [&](std::optional<Clock::time_point> a) {
        std::optional<Clock::time_point> until = a;
        if (box_deadline && (!until || *box_deadline < *until)) until = box_deadline;
        // Real time, also on the virtual clock: input comes in real time.
        if (auto poll = Clock::now() + console_poll_period; console_waiting() && (!until || poll < *until))
            until = poll;
        std::optional<std::chrono::nanoseconds> d;
        if (until) d = std::max(std::chrono::nanoseconds(0), std::chrono::nanoseconds(*until - Clock::now()));
        return _host.wait(d);
    };
    auto check_host = [&](const Host_event& ev) {
        if (ev.kind == Host_event::Kind::interrupted) finish(Box_exit::interrupted, "interrupted");
        if (box_deadline && Clock::now() >= *box_deadline) finish(Box_exit::timeout, "timeout");
    };
    auto stopped = [&](const Host_event& ev) {
        if (Thread* t = _threads.by_host(ev.thread)) _sched.stopped(*t, ev);
    };
    while (!_stop) try {
        // Every round, not only when the host is quiet: other vCPUs' stops
        // may keep wait() from ever timing out.
        check_host(Host_event{});
        if (_stop) break;
        if (_checking)
            if (std::string broken = check_invariants(); !broken.empty())
                throw std::logic_error("kernel invariant broken: " + broken);
        _irq.run();
        serve_console_waiters();
        _ipc.expire_timeouts();
        _ipc.resume_string_copies();
        _sched.preempt_for_higher();
        _sched.enforce_slices();
        _sched.dispatch();
        if (_sched.idle()) {
            auto d = next_deadline();
            if (!d && console_waiting()) {
                // Only input can wake a thread: wait for it (or a signal).
                Host_event ev = wait_until(std::nullopt);
                check_host(ev);
                stopped(ev);
                continue;
            }
            if (!d) {
                // Threads whose page fault the pager never answered are
                // stuck for good: report them.
                _threads.for_each([&](const Thread& t) {
                    if (t.ipc != Thread::Ipc_kind::page_fault) return;
                    ++_unhandled_faults;
                    spdlog::error("thread {:#x} stopped: its pager never resolved the page fault at {:#x}", t.id,
                                  t.fault_address);
                });
                if (_unhandled_faults)
                    finish(Box_exit::faulted, fmt::format("every thread waits forever; {} stopped on a fault", _unhandled_faults));
                else
                    finish(Box_exit::finished, "every thread waits forever");
                break;
            }
            Host_event ev;
            if (_sched.deterministic()) {
                // Nobody runs: the virtual clock jumps to the next deadline.
                _sched.jump_to(*d);
                ev = _host.wait(std::chrono::nanoseconds(0));
            } else {
                ev = wait_until(d);
            }
            check_host(ev);
            stopped(ev);  // a stopped thread killed from outside
            continue;
        }
        Host_event ev = wait_until(_sched.wait_deadline(next_deadline()));
        if (ev.kind == Host_event::Kind::timeout || ev.kind == Host_event::Kind::interrupted) {
            check_host(ev);
            if (_stop) break;
            _sched.waited();
            continue;
        }
        stopped(ev);
    } catch (const Host_task_died& e) {
        // Found in the middle of an operation: its space is lost, as when
        // wait() reports its threads dead.  Unknown whose: the box stops.
        if (Space* space = _threads.space_of_host(e.handle)) {
            lose_space(*space, fmt::format("a task process was killed ({})", e.what()));
            continue;
        }
        spdlog::error("a task process was killed ({}); the box stops", e.what());
        finish(Box_exit::faulted, "a task process was killed");
    }
    _host.kill_all();
    return _exit;
}

std::string Kernel::check_invariants() const
{
    std::set<const Thread*> live;
    std::string error;
    _threads.for_each([&](const Thread& t) {
        if (error.empty() && _threads.by_number(ids().number(t.id)) != &t)
            error = fmt::format("thread {:#x} filed under another number", t.id);
        live.insert(&t);
    });
    if (!error.empty()) return error;
    if (std::string e = _sched.check(live); !e.empty()) return e;
    if (std::string e = _ipc.check(live); !e.empty()) return e;
    const Vm& vm = _memory.vm();
    if (std::string db = vm.db().check(); !db.empty()) return "mapping database: " + db;
    // One map item past the check may add a node and three table levels.
    std::size_t limit = _memory.mapping_memory_limit();
    if (vm.db().mapping_bytes() > limit + limit / 16 + 4 * 4096)
        return fmt::format("{} bytes of mappings, over the box's limit of {}", vm.db().mapping_bytes(), limit);
    return "";
}

}  // namespace umol4
