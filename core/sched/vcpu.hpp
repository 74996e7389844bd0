// A virtual CPU of the box: the L4 thread it runs (resumed on the host) and
// the slice that thread was given.
#pragma once

#include <chrono>
#include <optional>

#include "core/objects/thread.hpp"

namespace umol4 {

struct Vcpu {
    Thread* current = nullptr;
    Thread* last = nullptr;                 // the thread it ran last (current, or the one that stopped)
    Clock::time_point started;           // real time the thread was resumed
    Clock::time_point virtual_started;   // the kernel's clock then (deterministic mode)
    std::chrono::microseconds slice{0};  // what it was given (quantum's remainder at most)
    std::chrono::microseconds slice_ran{0};  // what it has run of that slice
    Clock::duration real_slice{0};       // how long it may run in real time
    // When it is interrupted; empty once it has been asked to stop.
    std::optional<Clock::time_point> slice_end;
    // Interrupted for a thread of higher priority, not at its slice's end:
    // it keeps its place at the head of its priority.
    bool preempted_for_higher = false;
    // Ready_queues::stamp() when it was dispatched: only threads ready since
    // then preempt it (those passed over for a donation do not).
    std::uint64_t dispatch_stamp = 0;
};

}  // namespace umol4
