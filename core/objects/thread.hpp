// An L4 thread: its id, space and UTCB, and the state each kernel object
// keeps in it (scheduling, IPC, faults), grouped by the object that owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "core/host/host.hpp"
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

struct String_xfer;  // core/ipc/string_xfer.hpp

// Ownership: a Thread belongs to the Thread_table, which alone creates and
// deletes it.  The Scheduler (ready queues, vCPUs) and the Ipc_engine
// (partners, sender queues, propagation, transfers) hold plain pointers to
// threads; deleting one first has each of them forget it (Kernel::
// delete_thread), so no pointer outlives its thread.
class Thread {
public:
    // (No space: a record for the ready queues' own tests.)
    Thread(Word id, Space* space, std::size_t regset_bytes) : id(id), space(space), regs(regset_bytes) {}
    Thread(const Thread&) = delete;
    Thread& operator=(const Thread&) = delete;

    // Identity (the Thread_table; ThreadControl renames and moves).
    Word id = 0;                   // global id
    Space* space = nullptr;
    Thread_handle host = -1;       // its Linux thread (-1: inactive, or an interrupt thread)
    Word utcb_location = 0;        // virtual address of the UTCB in its space
    Word utcb_frame = 0;           // MemFile offset of the UTCB start
    Thread_state state = Thread_state::inactive;
    bool halted = false;           // halt flag (independent of IPC state)
    bool host_lost = false;        // its Linux thread died with its task: halted for good
    // Halted in ReadChar_Blocked until console input comes (Kernel::
    // serve_console_waiters); an ExchangeRegisters that resumes it ends the wait.
    bool awaits_console = false;
    Word scheduler = 0;

    // Scheduling (written by the Scheduler; Schedule sets the parameters).
    unsigned priority = 100;
    std::uint64_t ready_stamp = 0;  // when it last joined a ready queue (Ready_queues::stamp)
    bool carried_on = false;        // queued to go on in its slice (Scheduler::carry_on)
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

    // Interrupt threads (ids below SystemBase) are kernel objects: no Linux
    // thread, a kernel UTCB holding the interrupt message (Interrupt_lines).
    int interrupt_line = -1;
    Word interrupt_handler = 0;    // nil: not associated
    bool interrupt_pending = false;

    // Registers at the last stop (the trap handlers and the Scheduler load
    // and write them back).
    std::vector<std::byte> regs;
    bool regs_changed = false;     // must be written back before resuming

    // IPC in progress (written by the Ipc_engine).
    enum class Ipc_kind { none, syscall, page_fault, preemption, exception, startup, string_fault } ipc = Ipc_kind::none;
    Syscall_frame frame;           // the trapped Ipc call being served
    Word receive_from = 0;         // the receive phase's FromSpecifier (box format)
    Thread* partner = nullptr;     // whom this thread's send phase waits for
    Thread* propagating = nullptr; // the virtual sender of an accepted propagation
    std::deque<Thread*> senders;   // threads blocked sending to this one
    std::optional<Clock::time_point> deadline;
    Word receive_timeout_raw = 0;

    // Kernel messages (page fault, preemption, exception) save what they
    // overwrite of the thread's own message registers.
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
        Thread* propagating;
    } saved_ipc{};
    // Exception IPC saves MR0..MRn and BR0 (restored after the reply).
    std::vector<Word> saved_mrs;

    // An Unmap preempted between pages (syscalls/unmap.cpp): its pc was set
    // back to the trap, and this says where the call goes on when the thread
    // makes it again, with the results of the fpages already done.
    struct Unmap_progress {
        Word control = 0, fpage = 0, cursor = 0;
        unsigned index = 0, status = 0;
        std::vector<Word> results;  // MR0..MR(index-1)
    };
    std::optional<Unmap_progress> unmap_progress;

    Word local_id(unsigned mr0_offset) const { return utcb_location + mr0_offset; }
    bool blocked() const { return state == Thread_state::sending || state == Thread_state::receiving; }
    const Space_abi& abi() const { return *space->abi; }
    const Arch_plugin& arch() const { return *space->abi->arch; }
};

}  // namespace umol4
