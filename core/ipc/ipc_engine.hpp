// The IPC engine: send and receive phases, message transfer (untyped
// words, map and grant items, strings with their page faults), timeouts,
// and the kernel's own messages (page faults, exceptions, preemption).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/ipc/ipc_codes.hpp"
#include "core/ipc/string_xfer.hpp"
#include "core/objects/abi_boundary.hpp"
#include "core/objects/box_memory.hpp"
#include "core/objects/thread_table.hpp"
#include "core/sched/scheduler.hpp"

namespace umol4 {

class Ipc_engine {
public:
    // What the engine leaves to the kernel.
    class Owner {
    public:
        virtual ~Owner() = default;
        // A kernel message (page fault, exception) could not be delivered:
        // the thread stops for good.
        virtual void unhandled(Thread& t, const std::string& what) = 0;
        // An interrupt thread got its handler's acknowledgement.
        virtual void interrupt_acknowledged(Thread& irq) = 0;
    };

    Ipc_engine(Thread_table& threads, Scheduler& sched, Box_memory& memory, const Abi_boundary& abi, Owner& owner);

    // The Ipc/Lipc system call: the frame is kept, and the results are
    // encoded and the thread resumed when the IPC completes (at once, or
    // when a partner or a timeout ends it).
    void sys_ipc(Thread& t, const Syscall_frame& f);

    // Kernel messages, invisible to the thread when they end (its message
    // registers come back).
    void start_fault_ipc(Thread& t, Word address, unsigned access);
    bool start_preemption_ipc(Thread& t);  // false: no scheduler to tell
    void start_exception_ipc(Thread& t, Thread& handler, Word number);

    // An interrupt thread's message to its handler: delivered at once if
    // it waits for it, else queued.
    void send_interrupt(Thread& irq, Thread& handler);
    // Withdraws a queued send (an interrupt line re-associated or detached).
    void withdraw_send(Thread& s) { dequeue_sender(s); }

    // ExchangeRegisters' S (abort_send) and R (abort_receive) flags on dest:
    // canceled if still blocked (code 3), aborted if a transfer ran (7).
    void abort(Thread& dest, bool abort_send, bool abort_receive);
    // The thread is deleted: its transfer aborted, its send withdrawn,
    // threads sending to it or waiting for it fail with "non-existent".
    void forget(Thread& t);

    void expire_timeouts();
    // Transfers whose string fault was answered while another one's copy
    // ran go on (once each per round of the event loop).
    void resume_string_copies();
    std::optional<Clock::time_point> next_deadline() const;  // now, if a copy waits to go on
    // What is inconsistent in partners, queues and transfers ("" if nothing).
    std::string check(const std::set<const Thread*>& live) const;

private:
    enum class Transfer { done, failed, pending };
    enum class Copy { copied, short_buffer, clipped, fault, failed };
    using Segments = std::vector<std::pair<Word, Word>>;  // (address, length)

    // Phases (phases.cpp).
    bool ipc(Thread& t, Word to, Word from, Word timeouts);  // false: blocked
    bool ready_to_receive_from(const Thread& receiver, const Thread& sender) const;
    bool receive_phase(Thread& t);
    // The receive phase up to a queued sender's message: that sender if its
    // transfer is done (finish_transfer goes on with it), else nullptr (t
    // blocked, or completed, or the transfer stopped at a string fault);
    // done: as receive_phase returns.
    Thread* take_queued_message(Thread& t, bool& done);
    Thread* accepted_propagation(Thread& sender, const Thread& dest);
    void deliver(Thread& sender, Thread& receiver);  // completes the receiver, propagation included
    // A transfer that stopped has completed: the sender's send phase is
    // done (its receive phase follows) and the receiver gets the message.
    void finish_transfer(Thread& sender, Thread& receiver);
    void dequeue_sender(Thread& sender);
    std::optional<Clock::time_point> timeout_deadline(Word timeout16) const;
    // Completion (completion.cpp): results into the thread, as its kind of
    // IPC wants them.
    void complete_ipc(Thread& t, Word from, Word error);

    // Transfer (transfer.cpp): untyped words, then typed items in order.
    Transfer transfer(Thread& sender, Thread& receiver);
    Transfer run_items(String_xfer& x);
    bool apply_map_item(Thread& sender, Thread& receiver, Word w0, Word fpage);
    // One page of a map/grant item; false: the box's mapping limit is reached.
    bool map_one(Space& from, Word page, Space& to, Word target, unsigned send_rights, bool grant, bool fault_reply);

    // Strings (strings.cpp).
    Copy copy_string(String_xfer& x, const Segments& from, const Segments& to);
    std::byte* string_memory(Thread& t, Word address, unsigned access, bool& outside);
    bool start_string_fault(String_xfer& x, Thread& f, Word address, unsigned access);  // false: failed at once
    void string_fault_done(Thread& f, Word error);
    void resume(String_xfer& x);  // the copy after a fault, and the transfer's end
    void cancel_string_fault(Thread& f);
    void fail_transfer(String_xfer& x, Ipc_error sender_code, Ipc_error receiver_code);
    void time_out_transfer(String_xfer& x, bool receiver_first);
    void release_xfer(String_xfer& x);
    void expire_xfers();

    // Kernel messages (kernel_messages.cpp).
    void load_fault_message(Thread& t, Word address, unsigned access, Thread::Ipc_kind kind);
    void save_kernel_message_mrs(Thread& t);
    void restore_kernel_message_mrs(Thread& t);

    const Id_format& ids() const { return _threads.ids(); }

    Thread_table& _threads;
    Scheduler& _sched;
    Box_memory& _mem;
    const Abi_boundary& _abi;
    Owner& _owner;
    std::vector<std::unique_ptr<String_xfer>> _xfers;  // transfers stopped at a string fault
    bool _resuming = false;                             // a transfer's copy runs (resume)
};

}  // namespace umol4
