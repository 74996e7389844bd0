// Ready_queues: per-vCPU priority queues, round robin, donation.
#include "core/sched/ready_queues.hpp"

#include <algorithm>

namespace umol4 {

void Ready_queues::push(Thread& t, bool front)
{
    auto& q = _cpus.at(t.cpu).ready;
    t.ready_stamp = ++_pushes;
    if (front) q.push_front(&t); else q.push_back(&t);
}

void Ready_queues::remove(Thread& t)
{
    for (Cpu& c : _cpus) {
        c.ready.erase(std::remove(c.ready.begin(), c.ready.end(), &t), c.ready.end());
        if (c.donated == &t) c.donated = nullptr;
    }
}

bool Ready_queues::contains(const Thread& t) const
{
    const auto& q = _cpus.at(t.cpu).ready;
    return std::find(q.begin(), q.end(), &t) != q.end();
}

void Ready_queues::donate(Thread& t)
{
    _cpus.at(t.cpu).donated = &t;
}

void Ready_queues::forget_donation(const Thread& t)
{
    for (Cpu& c : _cpus)
        if (c.donated == &t) c.donated = nullptr;
}

// The first ready thread of the highest priority.
Thread* Ready_queues::pop(unsigned cpu)
{
    Cpu& c = _cpus.at(cpu);
    auto& q = c.ready;
    if (Thread* d = c.donated) {
        c.donated = nullptr;
        auto it = std::find(q.begin(), q.end(), d);
        if (it != q.end()) {
            q.erase(it);
            return d;
        }
    }
    auto best = q.end();
    for (auto it = q.begin(); it != q.end(); ++it)
        if (best == q.end() || (*it)->priority > (*best)->priority) best = it;
    if (best == q.end()) return nullptr;
    Thread* t = *best;
    q.erase(best);
    return t;
}

bool Ready_queues::has_above(unsigned cpu, unsigned priority, std::uint64_t since) const
{
    const auto& q = _cpus.at(cpu).ready;
    return std::any_of(q.begin(), q.end(),
                       [&](const Thread* r) { return r->priority > priority && r->ready_stamp > since; });
}

bool Ready_queues::empty() const
{
    return std::all_of(_cpus.begin(), _cpus.end(), [](const Cpu& c) { return c.ready.empty(); });
}

}  // namespace umol4
