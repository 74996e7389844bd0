// The ready threads of every virtual CPU: strict priorities, round robin
// within a priority (threads that used their slice or yield go to the back,
// those that only stopped for the kernel to the front), and the one-shot
// donation of ThreadSwitch.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "core/objects/thread.hpp"

namespace umol4 {

class Ready_queues {
public:
    explicit Ready_queues(unsigned cpus = 1) : _cpus(cpus) {}
    unsigned cpus() const { return static_cast<unsigned>(_cpus.size()); }

    // Onto the queue of t's own CPU (t.cpu).
    void push(Thread& t, bool front);
    void remove(Thread& t);
    bool contains(const Thread& t) const;
    // Runs next on its CPU whatever its priority, if it is still ready then.
    void donate(Thread& t);
    void forget_donation(const Thread& t);
    Thread* donated(unsigned cpu) const { return _cpus.at(cpu).donated; }
    // The thread the CPU runs next (taken off its queue), or nullptr.
    Thread* pop(unsigned cpu);
    // A ready thread of higher priority than `priority` waits on the CPU
    // (one that joined its queue after `since`, a stamp()).
    bool has_above(unsigned cpu, unsigned priority, std::uint64_t since = 0) const;
    // Counts pushes: each pushed thread's ready_stamp.
    std::uint64_t stamp() const { return _pushes; }
    bool empty() const;
    // Every queued thread with the CPU whose queue holds it (for checks).
    template <class F>
    void for_each(F f) const
    {
        for (unsigned c = 0; c < _cpus.size(); ++c)
            for (const Thread* t : _cpus[c].ready) f(c, *t);
    }

private:
    struct Cpu {
        std::deque<Thread*> ready;
        Thread* donated = nullptr;
    };
    std::vector<Cpu> _cpus;
    std::uint64_t _pushes = 0;
};

}  // namespace umol4
