// The kernel's own messages: page faults, preemption (the total quantum
// used up) and exceptions, with the thread's message registers saved.
#include "core/ipc/ipc_engine.hpp"

namespace umol4 {

using namespace ipc;

void Ipc_engine::save_kernel_message_mrs(Thread& t)
{
    Utcb_view u = _mem.utcb(t);
    t.saved = {{u.mr(0), u.mr(1), u.mr(2)}, u.br(0), u.get(tcr::error_code), u.get(tcr::virtual_sender)};
}

void Ipc_engine::restore_kernel_message_mrs(Thread& t)
{
    Utcb_view u = _mem.utcb(t);
    u.set_mr(0, t.saved.mr[0]);
    u.set_mr(1, t.saved.mr[1]);
    u.set_mr(2, t.saved.mr[2]);
    u.set_br(0, t.saved.br0);
    u.set(tcr::error_code, t.saved.error);
    u.set(tcr::virtual_sender, t.saved.vsender);
}

bool Ipc_engine::start_preemption_ipc(Thread& t)
{
    // The quantum is consumed; the scheduler gives a new one with Schedule.
    Word used = static_cast<Word>(t.used.count());
    t.quantum.reset();
    t.used = std::chrono::microseconds(0);
    Thread* scheduler = _threads.lookup(t.scheduler);
    if (!scheduler) return false;
    save_kernel_message_mrs(t);
    Utcb_view u = _mem.utcb(t);
    const Word mask = t.abi().ids.mask();
    u.set_mr(0, kernel_tag(mask, 3, 0, 2));
    u.set_mr(1, used & mask);
    u.set_mr(2, t.arch().word_bits == 64 ? 0 : used >> 32);
    u.set_br(0, 0);
    t.ipc = Thread::Ipc_kind::preemption;
    ipc(t, scheduler->id, scheduler->id, 0);
    return true;
}

void Ipc_engine::start_fault_ipc(Thread& t, Word address, unsigned access)
{
    load_fault_message(t, address, access, Thread::Ipc_kind::page_fault);
    Word pager = _abi.tcr_id(t, tcr::pager);
    ipc(t, pager, pager, 0);
}

// The page-fault message in the thread's UTCB (what it overwrites saved):
// label (-2<<4) | access, MR1 address, MR2 IP, a receive window of the
// whole space.
void Ipc_engine::load_fault_message(Thread& t, Word address, unsigned access, Thread::Ipc_kind kind)
{
    save_kernel_message_mrs(t);
    Utcb_view u = _mem.utcb(t);
    u.set_mr(0, kernel_tag(t.abi().ids.mask(), 2, access, 2));
    u.set_mr(1, address);
    u.set_mr(2, t.arch().pc(t.regs.data()));
    // The acceptor: no strings, a window of the complete space (that fpage
    // with its rights bits taken by the acceptor's flags).
    u.set_br(0, layout::Fpage{}.set_size_log2(1).raw & layout::Acceptor::window_mask);
    t.ipc = kind;
    t.fault_address = address;
    t.fault_access = access;
}

// The exception message of t's registers (what it overwrites saved) to its
// exception handler.
void Ipc_engine::start_exception_ipc(Thread& t, Thread& handler, Word number)
{
    Utcb_view u = _mem.utcb(t);
    const unsigned n = t.arch().exception_words;
    t.saved_mrs.assign(n + 2, 0);
    for (unsigned i = 0; i <= n; ++i) t.saved_mrs[i] = u.mr(i);
    t.saved_mrs[n + 1] = u.br(0);
    t.saved.error = u.get(tcr::error_code);
    t.saved.vsender = u.get(tcr::virtual_sender);
    std::vector<Word> mr(n);
    t.arch().exception_message(t.regs.data(), number, 0, mr.data());
    u.set_mr(0, kernel_tag(t.abi().ids.mask(), 5, 0, n));
    for (unsigned i = 0; i < n; ++i) u.set_mr(i + 1, mr[i] & t.abi().ids.mask());
    u.set_br(0, 0);
    t.ipc = Thread::Ipc_kind::exception;
    ipc(t, handler.id, handler.id, 0);
}

}  // namespace umol4
