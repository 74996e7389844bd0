// An L4 thread: its id, space, UTCB, state, saved registers and IPC state.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "core/host/host.hpp"
#include "core/ipc/string_xfer.hpp"
#include "core/objects/space.hpp"
#include "core/syscall.hpp"

namespace umol4 {

enum class Thread_state {
    inactive,     // created without a pager: no UTCB, never runs
    ready,        // runnable
    sending,      // blocked in the send phase (in partner's sender queue)
    receiving,    // blocked in the receive phase
    halted,       // stopped by ExchangeRegisters or an unhandled exception
};

using Clock = std::chrono::steady_clock;

class Tcb {
public:
    Word id = 0;                   // global id
    Space* space = nullptr;
    Thread_handle host = -1;
    Word utcb_location = 0;        // virtual address of the UTCB in its space
    Word utcb_frame = 0;           // MemFile offset of the UTCB start
    Thread_state state = Thread_state::inactive;
    bool halted = false;           // halt flag (independent of IPC state)
    unsigned priority = 100;
    std::uint64_t ready_stamp = 0;  // when it last joined a ready queue (Ready_queues::stamp)
    bool carried_on = false;        // queued to go on in its slice (Kernel::carry_on)
    unsigned cpu = 0;              // the virtual CPU it runs on (ProcessorNo)
    bool on_cpu = false;           // resumed on the host: running right now
    std::chrono::microseconds timeslice{10000};
    // What a thread preempted for a higher priority had left of its slice:
    // it goes on with that, not a new one (else wake-ups every millisecond
    // would keep a slice from ever ending).
    std::optional<std::chrono::microseconds> slice_left;
    // Total quantum (nullopt: infinite) and the time used of it.
    std::optional<std::chrono::microseconds> quantum;
    std::chrono::microseconds used{0};
    // Delayed preemption: the budget a thread with the UTCB's d flag may
    // run past its slice end (set with Schedule, refilled by ThreadSwitch).
    std::chrono::microseconds max_delay{0}, delay_budget{0};
    Word scheduler = 0;
    // Interrupt threads (ids below SystemBase) are kernel objects: no Linux
    // thread, a kernel UTCB holding the interrupt message.
    int interrupt_line = -1;
    Word interrupt_handler = 0;    // nil: not associated
    bool interrupt_pending = false;

    std::vector<std::byte> regs;   // register file at the last stop
    bool regs_changed = false;     // must be written back before resuming

    // IPC in progress.
    enum class Ipc_kind { none, syscall, page_fault, preemption, exception, startup, string_fault } ipc = Ipc_kind::none;
    Syscall_frame frame;           // the trapped Ipc call being served
    Word receive_from = 0;         // the receive phase's FromSpecifier (box format)
    Tcb* partner = nullptr;        // whom this thread's send phase waits for
    Tcb* propagating = nullptr;    // the virtual sender of an accepted propagation
    std::deque<Tcb*> senders;      // threads blocked sending to this one
    std::optional<Clock::time_point> deadline;
    Word receive_timeout_raw = 0;

    // Page-fault IPC saves what the kernel message overwrites.
    struct Saved { Word mr[3]; Word br0; Word error; Word vsender; } saved{};
    Word fault_address = 0;
    unsigned fault_access = 0;     // r 4, w 2, x 1
    // A transfer of string items this thread is locked in (as sender or
    // receiver), and what its own IPC was while it takes a string fault.
    String_xfer* xfer = nullptr;
    struct Saved_ipc {
        Thread_state state;
        Ipc_kind ipc;
        Word receive_from, receive_timeout_raw;
        Tcb* propagating;
    } saved_ipc{};
    // Exception IPC saves MR0..MRn and BR0 (restored after the reply).
    std::vector<Word> saved_mrs;

    Word local_id(unsigned mr0_offset) const { return utcb_location + mr0_offset; }
    bool blocked() const { return state == Thread_state::sending || state == Thread_state::receiving; }
};

}  // namespace umol4
