// The end of an IPC: results into the thread as its kind of IPC wants them
// (system-call registers, a repeated faulting instruction, an exception
// reply into registers, a startup IP and SP), and the thread ready again.
#include <fmt/format.h>

#include "core/ipc/ipc_engine.hpp"

namespace umol4 {

using namespace ipc;

namespace {
// Canceled (still blocked) or aborted (a transfer had begun): what
// ExchangeRegisters' abort flags, or a deleted partner, end an IPC with.
bool ipc_was_aborted(Word error)
{
    Ipc_error const code = code_of(error);
    return code == Ipc_error::canceled || code == Ipc_error::aborted;
}
}  // namespace

void Ipc_engine::complete_ipc(Thread& t, Word from, Word error)
{
    t.deadline.reset();
    t.partner = nullptr;
    t.propagating = nullptr;
    Utcb_view u = _mem.utcb(t);
    if (error) {
        u.set(tcr::error_code, error);
        // Failed before a transfer began: MR0 holds only the error bit.
        Ipc_error code = code_of(error);
        if (code == Ipc_error::timeout || code == Ipc_error::no_partner || code == Ipc_error::canceled)
            u.set_mr(0, layout::Msg_tag{}.set_error(1).raw);
    }
    if (t.interrupt_line >= 0) {
        // An interrupt thread's message was taken, or its handler's
        // acknowledgement arrived: no Linux thread to resume.
        t.ipc = Thread::Ipc_kind::none;
        if (t.state == Thread_state::receiving && !error) {
            _owner.interrupt_acknowledged(t);
        } else {
            // Delivered: masked until the handler acknowledges.
            t.state = Thread_state::receiving;
            t.receive_from = t.interrupt_handler;
            t.receive_timeout_raw = 0;
        }
        return;
    }
    auto kind = t.ipc;
    t.ipc = Thread::Ipc_kind::none;
    switch (kind) {
    case Thread::Ipc_kind::syscall: {
        Syscall_frame& f = t.frame;
        f.out[0] = from;
        for (unsigned i = 0; i < f.mr_out; ++i) f.mr[i] = u.mr(i);
        _abi.encode(t, f);
        t.regs_changed = true;
        _sched.make_ready(t, true);
        break;
    }
    case Thread::Ipc_kind::page_fault:
    case Thread::Ipc_kind::preemption:
        if (error && kind == Thread::Ipc_kind::page_fault && !ipc_was_aborted(error)) {
            _owner.unhandled(t, fmt::format("page fault at {:#x}: IPC to the pager failed (error {:#x})", t.fault_address, error));
            return;
        }
        // The pager's mapping serves the access the thread is about to
        // repeat: installed now, not on one more fault.
        if (kind == Thread::Ipc_kind::page_fault) _mem.vm().resolve(t.space->vm, t.fault_address, t.fault_access);
        // Invisible to the thread: its message registers come back and the
        // faulting instruction runs again.  [2.10] So is an abort of the
        // fault IPC by ExchangeRegisters: the instruction faults anew (or the
        // thread runs at the IP it was given).
        restore_kernel_message_mrs(t);
        _sched.make_ready(t, true);
        break;
    case Thread::Ipc_kind::exception: {
        if (error && ipc_was_aborted(error)) {
            // [2.10] Invisible: the thread's own message registers and
            // ErrorCode come back; it restarts the instruction (or runs at
            // the IP ExchangeRegisters gave it).
            const unsigned n = t.arch().exception_words;
            for (unsigned i = 0; i <= n; ++i) u.set_mr(i, t.saved_mrs[i]);
            u.set_br(0, t.saved_mrs[n + 1]);
            u.set(tcr::error_code, t.saved.error);
            u.set(tcr::virtual_sender, t.saved.vsender);
            _sched.make_ready(t, true);
            break;
        }
        if (error) {
            _owner.unhandled(t, fmt::format("exception IPC to the handler failed (error {:#x})", error));
            return;
        }
        // The reply's words become registers; then the message registers
        // are the thread's own again.
        unsigned count = static_cast<unsigned>(layout::Msg_tag{u.mr(0)}.untyped());
        std::vector<Word> mr(t.arch().exception_words);
        for (unsigned i = 0; i < mr.size() && i < count; ++i) mr[i] = u.mr(i + 1);
        if (count) {
            t.arch().exception_reply(t.regs.data(), mr.data(), std::min<unsigned>(count, t.arch().exception_words));
            t.regs_changed = true;
        }
        const unsigned n = t.arch().exception_words;
        for (unsigned i = 0; i <= n; ++i) u.set_mr(i, t.saved_mrs[i]);
        u.set_br(0, t.saved_mrs[n + 1]);
        _sched.make_ready(t, true);
        break;
    }
    case Thread::Ipc_kind::startup:
        if (!error && layout::Msg_tag{u.mr(0)}.untyped() == 2) {
            t.arch().set_pc(t.regs.data(), u.mr(1));
            t.arch().set_sp(t.regs.data(), u.mr(2));
            t.regs_changed = true;
        }
        _sched.make_ready(t, true);
        break;
    case Thread::Ipc_kind::string_fault: string_fault_done(t, error); break;
    case Thread::Ipc_kind::none: _sched.make_ready(t, true); break;
    }
}

}  // namespace umol4
