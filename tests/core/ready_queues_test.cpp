// Ready_queues against a reference model: each queued thread has an order
// key (pushes to the front get ever smaller keys, to the back ever larger);
// a CPU runs its donated thread if still queued, else the highest priority
// with the smallest key.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>

#include "core/sched/ready_queues.hpp"

namespace umol4 {
namespace {

struct Model {
    std::map<Thread*, long> key;  // queued threads
    std::map<unsigned, Thread*> donated;
    long front = 0, back = 0;

    void push(Thread& t, bool to_front) { key[&t] = to_front ? --front : ++back; }
    void remove(Thread& t)
    {
        key.erase(&t);
        for (auto& [_, d] : donated)
            if (d == &t) d = nullptr;
    }
    Thread* pop(unsigned cpu)
    {
        Thread* d = donated[cpu];
        donated[cpu] = nullptr;
        if (d && key.count(d)) {
            key.erase(d);
            return d;
        }
        Thread* best = nullptr;
        for (auto [t, k] : key)
            if (t->cpu == cpu && (!best || t->priority > best->priority ||
                                  (t->priority == best->priority && k < key[best])))
                best = t;
        if (best) key.erase(best);
        return best;
    }
    bool has_above(unsigned cpu, unsigned prio) const
    {
        for (auto [t, k] : key)
            if (t->cpu == cpu && t->priority > prio) return true;
        return false;
    }
};

TEST(ReadyQueues, MatchTheReferenceModelOverRandomOperations)
{
    constexpr unsigned cpus = 3, threads = 24;
    std::mt19937 rng(4711);
    std::vector<std::unique_ptr<Thread>> pool;
    for (unsigned i = 0; i < threads; ++i) {
        pool.push_back(std::make_unique<Thread>(Word(i), nullptr, 0));
        pool.back()->cpu = i % cpus;
        pool.back()->priority = rng() % 4 * 50;
    }
    Ready_queues q(cpus);
    Model m;
    for (int step = 0; step < 100000; ++step) {
        Thread& t = *pool[rng() % threads];
        unsigned cpu = rng() % cpus;
        switch (rng() % 7) {
        case 0:
        case 1:
            if (!m.key.count(&t)) {
                bool front = rng() % 2;
                q.push(t, front);
                m.push(t, front);
            }
            break;
        case 2:
            q.remove(t);
            m.remove(t);
            break;
        case 3:
        case 4: ASSERT_EQ(q.pop(cpu), m.pop(cpu)) << "step " << step; break;
        case 5:
            if (m.key.count(&t)) {
                q.donate(t);
                m.donated[t.cpu] = &t;
            } else {
                // Moving to another CPU happens off the queues (Kernel::migrate).
                t.cpu = cpu;
            }
            break;
        case 6: t.priority = rng() % 4 * 50; break;
        }
        for (unsigned c = 0; c < cpus; ++c)
            ASSERT_EQ(q.has_above(c, 100), m.has_above(c, 100)) << "step " << step;
        ASSERT_EQ(q.contains(t), m.key.count(&t) == 1);
        ASSERT_EQ(q.empty(), m.key.empty());
    }
}

TEST(ReadyQueues, ADonationIsUsedOnceAndDroppedWithItsThread)
{
    Thread a(1, nullptr, 0), b(2, nullptr, 0);
    a.priority = 200;
    b.priority = 10;
    Ready_queues q(1);
    q.push(a, false);
    q.push(b, false);
    q.donate(b);
    EXPECT_EQ(q.pop(0), &b);  // whatever its priority
    q.push(b, false);
    EXPECT_EQ(q.pop(0), &a);  // once only
    q.donate(b);
    q.remove(b);
    q.push(b, false);
    q.push(a, false);
    EXPECT_EQ(q.pop(0), &a);  // the donation went with b's removal
    EXPECT_EQ(q.pop(0), &b);
    EXPECT_EQ(q.pop(0), nullptr);
}

}  // namespace
}  // namespace umol4
