// Kernel: IPC — send and receive phases, message transfer with map and
// grant items, timeouts, and page-fault IPC to pagers.
#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/ipc/ipc_codes.hpp"
#include "core/kernel.hpp"

namespace umol4 {

using namespace ipc;

namespace {
constexpr Word page_size = 4096;
constexpr Word page_of(Word a) { return a & ~(page_size - 1); }

// Canceled (still blocked) or aborted (a transfer had begun): what
// ExchangeRegisters' abort flags, or a deleted partner, end an IPC with.
bool ipc_was_aborted(Word error)
{
    Ipc_error const code = code_of(error);
    return code == Ipc_error::canceled || code == Ipc_error::aborted;
}
}  // namespace

std::optional<Clock::time_point> Kernel::timeout_deadline(Word t) const
{
    if (t == 0 || (t & 0x8000)) return std::nullopt;  // never; absolute points: not supported, never
    Word m = t & 0x3FF, e = (t >> 10) & 0x1F;
    return now() + std::chrono::microseconds(static_cast<long long>(m << e));
}


// The frame is kept: complete_ipc() encodes the results and resumes the
// thread, at once or when a partner or a timeout ends the IPC.
void Kernel::sys_ipc(Tcb& t, Syscall_frame& f)
{
    t.frame = f;
    t.ipc = Tcb::Ipc_kind::syscall;
    ipc(t, f.in[0], f.in[1], f.in[2]);
}

// A receiver matches the actual sender or, with propagation, the virtual one.
bool Kernel::ready_to_receive_from(const Tcb& r, const Tcb& s) const
{
    // A halt takes effect when the thread returns to user mode: a fault IPC
    // of a string copy still gets its reply.
    if (r.state != Thread_state::receiving || (r.halted && r.ipc != Tcb::Ipc_kind::string_fault)) return false;
    if (r.xfer && r.ipc != Tcb::Ipc_kind::string_fault) return false;  // locked in a transfer
    Word from = r.receive_from;
    if (_ids.is_any(from)) return true;
    if (_ids.is_anylocal(from)) return r.space == s.space;
    Tcb* want = const_cast<Kernel*>(this)->resolve(r, from);
    return want == &s || (s.propagating && want == s.propagating);
}

// Propagation (MR0.p): accepted if the VirtualSender exists and shares the
// sender's or the destination's space; otherwise p is cleared.
Tcb* Kernel::accepted_propagation(Tcb& s, const Tcb& dest)
{
    Utcb_view u = utcb(s);
    Word tag = u.mr(0);
    if (!(tag & 0x1000)) return nullptr;
    Tcb* v = resolve(s, tcr_id(s, tcr::virtual_sender));
    if (v && (v->space == s.space || v->space == dest.space)) return v;
    u.set_mr(0, tag & ~Word(0x1000));
    return nullptr;
}

// After a successful transfer: the receiver learns who sent (the virtual
// sender when propagated, with ActualSender set), and a virtual sender
// waiting for the propagator now waits for the receiver instead.
void Kernel::deliver(Tcb& s, Tcb& r)
{
    Tcb* v = s.propagating;
    s.propagating = nullptr;
    if (!v) {
        complete_ipc(r, id_as_seen_by(r, s), 0);
        return;
    }
    Utcb_view ru = utcb(r);
    ru.set_mr(0, ru.mr(0) | 0x1000);
    set_tcr_id(r, tcr::virtual_sender, s.id);
    if (v->state == Thread_state::receiving && resolve(*v, v->receive_from) == &s) v->receive_from = r.id;
    complete_ipc(r, id_as_seen_by(r, *v), 0);
}

bool Kernel::ipc(Tcb& t, Word to, Word from, Word timeouts)
{
    Word snd = (timeouts >> 16) & 0xFFFF, rcv = timeouts & 0xFFFF;
    t.receive_from = from & _ids.mask();
    t.receive_timeout_raw = rcv;
    Tcb* delivered_to = nullptr;
    if (!_ids.is_nil(to)) {
        Tcb* dest = resolve(t, to);
        if (!dest || dest->state == Thread_state::inactive) {
            complete_ipc(t, 0, error_word(Ipc_error::no_partner, false));
            return true;
        }
        t.propagating = accepted_propagation(t, *dest);
        if (ready_to_receive_from(*dest, t)) {
            Transfer tr = transfer(t, *dest);
            if (tr == Transfer::failed) return true;
            if (tr == Transfer::pending) return false;  // finish_transfer() goes on
            deliver(t, *dest);
            delivered_to = dest;
        } else if (is_zero_timeout(snd)) {
            complete_ipc(t, 0, error_word(Ipc_error::timeout, false));
            return true;
        } else {
            t.state = Thread_state::sending;
            t.partner = dest;
            dest->senders.push_back(&t);
            t.deadline = timeout_deadline(snd);
            return false;
        }
    }
    if (_ids.is_nil(from)) {
        complete_ipc(t, 0, 0);
        return true;
    }
    bool done = receive_phase(t);
    // A sender that now waits hands its vCPU straight to the receiver, on
    // its own time (the reference kernel switches to it, whatever else of
    // higher priority is ready): a Call runs its server before a thread of
    // middle priority.
    if (delivered_to && !done && t.state == Thread_state::receiving && delivered_to->cpu == t.cpu &&
        _ready.contains(*delivered_to))
        _ready.donate(*delivered_to);
    return done;
}

void Kernel::finish_transfer(Tcb& s, Tcb& r)
{
    Tcb* v = s.propagating;
    // The sender's send phase is done; a Call goes on to receive.
    if (_ids.is_nil(s.receive_from)) {
        complete_ipc(s, 0, 0);
    } else {
        s.state = Thread_state::ready;
        receive_phase(s);
    }
    s.propagating = v;
    deliver(s, r);  // last: the receiver keeps the CPU
}

bool Kernel::receive_phase(Tcb& t)
{
    Word from = t.receive_from;
    Tcb* want = nullptr;
    if (!_ids.is_any(from) && !_ids.is_anylocal(from)) {
        want = resolve(t, from);
        if (!want) {
            complete_ipc(t, 0, error_word(Ipc_error::no_partner, true));
            return true;
        }
    }
    auto it = std::find_if(t.senders.begin(), t.senders.end(), [&](Tcb* s) {
        if (s->halted && s->ipc != Tcb::Ipc_kind::string_fault) return false;
        if (want) return s == want || (s->propagating && s->propagating == want);
        return _ids.is_any(from) || s->space == t.space;
    });
    if (it != t.senders.end()) {
        Tcb& s = **it;
        t.senders.erase(it);
        s.partner = nullptr;
        s.deadline.reset();
        Transfer tr = transfer(s, t);
        if (tr == Transfer::pending) return false;  // finish_transfer() goes on
        if (tr == Transfer::done) finish_transfer(s, t);
        return true;
    }
    if (is_zero_timeout(t.receive_timeout_raw)) {
        complete_ipc(t, 0, error_word(Ipc_error::timeout, true));
        return true;
    }
    t.state = Thread_state::receiving;
    t.deadline = timeout_deadline(t.receive_timeout_raw);
    return false;
}

// Copies the message of `s` into `r`: the untyped words, then the typed
// words verbatim, then the items take effect in order.
Kernel::Transfer Kernel::transfer(Tcb& s, Tcb& r)
{
    Utcb_view su = utcb(s), ru = utcb(r);
    Word tag = message_tag(s);
    unsigned u = static_cast<unsigned>(tag & 0x3F), typed = static_cast<unsigned>((tag >> 6) & 0x3F);
    for (unsigned i = 1; i <= u; ++i) ru.set_mr(i, su.mr(i));
    if (typed == 0) {
        ru.set_mr(0, received_tag(tag, s.cpu != r.cpu));
        return Transfer::done;
    }
    // Kept here; it moves to _xfers (and is linked to both threads) only if
    // it stops at a string fault.
    String_xfer x{.sender = &s, .receiver = &r, .mr = u + 1, .last_mr = u + typed, .tag = tag};
    if (1 + u + typed > 64) {
        fail_transfer(x, Ipc_error::overflow, Ipc_error::overflow);
        return Transfer::failed;
    }
    for (unsigned i = u + 1; i <= u + typed; ++i) ru.set_mr(i, su.mr(i));
    return run_items(x);
}

bool Kernel::apply_map_item(Tcb& s, Tcb& r, Word w0, Word fp)
{
    Utcb_view ru = utcb(r);
    Word window = ru.br(0) & ~Word(0xF);
    if (window == 0) return false;
    const unsigned wb = _arch.word_bits;
    // The complete address space: of the sender's arch for the fpage, of
    // the receiver's for the window (a compatibility space has 2^32 bytes).
    auto size_log2 = [&](Word f, const Tcb& owner) -> unsigned {
        unsigned sl = static_cast<unsigned>((f >> 4) & 0x3F);
        return (sl == 1 && (f >> 10) == 0) ? arch(owner).word_bits : sl;
    };
    auto base_of = [&](Word f, unsigned sl) { return sl >= wb ? 0 : (f & ~Word(0x3FF)) & ~((Word(1) << sl) - 1); };
    unsigned ss = size_log2(fp, s), rs = size_log2(window, r);
    if (ss < 12 || rs < 12) return true;  // smaller than a page: maps nothing
    Word fbase = base_of(fp, ss), wbase = base_of(window, rs);
    Word send_base = w0 & ~Word(0x3FF);
    auto mod = [&](Word v, unsigned sl) { return sl >= wb ? v : v & ((Word(1) << sl) - 1); };
    Word src, dst;
    unsigned n_log2;
    if (ss <= rs) {
        dst = wbase + (mod(send_base, rs) & ~((Word(1) << ss) - 1));
        src = fbase;
        n_log2 = ss;
    } else {
        src = fbase + (mod(send_base, ss) & ~((Word(1) << rs) - 1));
        dst = wbase;
        n_log2 = rs;
    }
    Word n = n_log2 >= wb ? _ids.mask() : (Word(1) << n_log2) - 1;  // last offset
    bool grant = (w0 & 0xE) == 0xA && !s.space->sigma0;
    unsigned send_rights = static_cast<unsigned>(fp & 7);

    // The source pages: sigma0's are all of physical memory; others' come
    // from its page table.  Collected first: mapping into the sender's own
    // space may add pages to the range, an overmap may remove some.
    bool fault_reply = r.ipc == Tcb::Ipc_kind::page_fault || r.ipc == Tcb::Ipc_kind::string_fault;
    std::vector<Word> pages;
    if (s.space->sigma0) {
        Word lo = src, hi = std::min<Word>(src + n, _conventional - 1);
        for (Word p = page_of(lo); lo <= hi && p <= hi; p += page_size) pages.push_back(p);
    } else {
        _vm.db().for_each_page(s.space->vm, src, src + n, [&](Word page, Mapping&) { pages.push_back(page); });
    }
    for (Word page : pages)
        if (!map_one(*s.space, page, *r.space, dst + (page - src), send_rights, grant, fault_reply)) return false;
    if (grant && ss > rs) {
        // The rest of a larger granted fpage leaves the sender as well.
        Word whole = ss >= wb ? _ids.mask() : (Word(1) << ss) - 1;
        _vm.db().for_each_page(s.space->vm, fbase, fbase + whole, [&](Word page, Mapping& m) {
            if (!s.space->kernel_area(page)) _vm.db().unmap(m, rights_r | rights_w | rights_x, true);
        });
    }
    return true;
}

bool Kernel::map_one(Space& from, Word page, Space& to, Word target, unsigned send_rights, bool grant,
                     bool fault_reply)
{
    if (from.kernel_area(page) || to.kernel_area(target) || to.abi->host_owns(target)) return true;
    Mapping* node = mapping_of(from, page);
    if (!node) return true;
    unsigned rights = implied_rights(node->rights() & send_rights) & node->rights();
    if (!rights) return true;
    // Past the limit, only page-fault replies still map (from a reserve of
    // a sixteenth), so a box at its limit keeps running.
    std::size_t limit = fault_reply ? _mapping_limit + _mapping_limit / 16 : _mapping_limit;
    if (_vm.db().mappings() >= limit && !_vm.db().find(to.vm, target)) {
        spdlog::warn("the box holds {} mappings, its limit: map item refused", _vm.db().mappings());
        return false;
    }
    if (grant) _vm.db().grant(*node, to.vm, target, rights);
    else _vm.db().map(*node, to.vm, target, rights);
    return true;
}

void Kernel::complete_ipc(Tcb& t, Word from, Word error)
{
    t.deadline.reset();
    t.partner = nullptr;
    t.propagating = nullptr;
    Utcb_view u = utcb(t);
    if (error) {
        u.set(tcr::error_code, error);
        // Failed before a transfer began: MR0 holds only the error bit.
        Ipc_error code = code_of(error);
        if (code == Ipc_error::timeout || code == Ipc_error::no_partner || code == Ipc_error::canceled)
            u.set_mr(0, 0x8000);
    }
    if (t.interrupt_line >= 0) {
        // An interrupt thread's message was taken, or its handler's
        // acknowledgement arrived: no Linux thread to resume.
        t.ipc = Tcb::Ipc_kind::none;
        if (t.state == Thread_state::receiving && !error) {
            interrupt_acknowledged(t);
        } else {
            // Delivered: masked until the handler acknowledges.
            t.state = Thread_state::receiving;
            t.receive_from = t.interrupt_handler;
            t.receive_timeout_raw = 0;
        }
        return;
    }
    auto kind = t.ipc;
    t.ipc = Tcb::Ipc_kind::none;
    switch (kind) {
    case Tcb::Ipc_kind::syscall: {
        Syscall_frame& f = t.frame;
        f.out[0] = from;
        for (unsigned i = 0; i < f.mr_out; ++i) f.mr[i] = u.mr(i);
        encode(t, f);
        t.regs_changed = true;
        make_ready(t, true);
        break;
    }
    case Tcb::Ipc_kind::page_fault:
    case Tcb::Ipc_kind::preemption:
        if (error && kind == Tcb::Ipc_kind::page_fault && !ipc_was_aborted(error)) {
            unhandled(t, fmt::format("page fault at {:#x}: IPC to the pager failed (error {:#x})", t.fault_address, error));
            return;
        }
        // The pager's mapping serves the access the thread is about to
        // repeat: installed now, not on one more fault.
        if (kind == Tcb::Ipc_kind::page_fault) _vm.resolve(t.space->vm, t.fault_address, t.fault_access);
        // Invisible to the thread: its message registers come back and the
        // faulting instruction runs again.  [2.10] So is an abort of the
        // fault IPC by ExchangeRegisters: the instruction faults anew (or the
        // thread runs at the IP it was given).
        restore_kernel_message_mrs(t);
        make_ready(t, true);
        break;
    case Tcb::Ipc_kind::exception: {
        if (error && ipc_was_aborted(error)) {
            // [2.10] Invisible: the thread's own message registers and
            // ErrorCode come back; it restarts the instruction (or runs at
            // the IP ExchangeRegisters gave it).
            const unsigned n = arch(t).exception_words;
            for (unsigned i = 0; i <= n; ++i) u.set_mr(i, t.saved_mrs[i]);
            u.set_br(0, t.saved_mrs[n + 1]);
            u.set(tcr::error_code, t.saved.error);
            u.set(tcr::virtual_sender, t.saved.vsender);
            make_ready(t, true);
            break;
        }
        if (error) {
            unhandled(t, fmt::format("exception IPC to the handler failed (error {:#x})", error));
            return;
        }
        // The reply's words become registers; then the message registers
        // are the thread's own again.
        unsigned count = static_cast<unsigned>(u.mr(0) & 0x3F);
        std::vector<Word> mr(arch(t).exception_words);
        for (unsigned i = 0; i < mr.size() && i < count; ++i) mr[i] = u.mr(i + 1);
        if (count) {
            arch(t).exception_reply(t.regs.data(), mr.data(), std::min<unsigned>(count, arch(t).exception_words));
            t.regs_changed = true;
        }
        const unsigned n = arch(t).exception_words;
        for (unsigned i = 0; i <= n; ++i) u.set_mr(i, t.saved_mrs[i]);
        u.set_br(0, t.saved_mrs[n + 1]);
        make_ready(t, true);
        break;
    }
    case Tcb::Ipc_kind::startup:
        if (!error && (u.mr(0) & 0x3F) == 2) {
            arch(t).set_pc(t.regs.data(), u.mr(1));
            arch(t).set_sp(t.regs.data(), u.mr(2));
            t.regs_changed = true;
        }
        make_ready(t, true);
        break;
    case Tcb::Ipc_kind::string_fault: string_fault_done(t, error); break;
    case Tcb::Ipc_kind::none: make_ready(t, true); break;
    }
}

void Kernel::save_kernel_message_mrs(Tcb& t)
{
    Utcb_view u = utcb(t);
    t.saved = {{u.mr(0), u.mr(1), u.mr(2)}, u.br(0), u.get(tcr::error_code), u.get(tcr::virtual_sender)};
}

void Kernel::restore_kernel_message_mrs(Tcb& t)
{
    Utcb_view u = utcb(t);
    u.set_mr(0, t.saved.mr[0]);
    u.set_mr(1, t.saved.mr[1]);
    u.set_mr(2, t.saved.mr[2]);
    u.set_br(0, t.saved.br0);
    u.set(tcr::error_code, t.saved.error);
    u.set(tcr::virtual_sender, t.saved.vsender);
}

bool Kernel::start_preemption_ipc(Tcb& t)
{
    // The quantum is consumed; the scheduler gives a new one with Schedule.
    Word used = static_cast<Word>(t.used.count());
    t.quantum.reset();
    t.used = std::chrono::microseconds(0);
    Tcb* scheduler = lookup(t.scheduler);
    if (!scheduler) return false;
    save_kernel_message_mrs(t);
    Utcb_view u = utcb(t);
    const Word mask = abi(t).ids.mask();
    Word label = ((Word(0) - 3) << 4) & (mask >> 16);
    u.set_mr(0, (label << 16) | 2);
    u.set_mr(1, used & mask);
    u.set_mr(2, arch(t).word_bits == 64 ? 0 : used >> 32);
    u.set_br(0, 0);
    t.ipc = Tcb::Ipc_kind::preemption;
    ipc(t, scheduler->id, scheduler->id, 0);
    return true;
}

void Kernel::start_fault_ipc(Tcb& t, Word address, unsigned access)
{
    load_fault_message(t, address, access, Tcb::Ipc_kind::page_fault);
    Word pager = tcr_id(t, tcr::pager);
    ipc(t, pager, pager, 0);
}

// The page-fault message in the thread's UTCB (what it overwrites saved):
// label (-2<<4) | access, MR1 address, MR2 IP, a receive window of the
// whole space.
void Kernel::load_fault_message(Tcb& t, Word address, unsigned access, Tcb::Ipc_kind kind)
{
    save_kernel_message_mrs(t);
    Utcb_view u = utcb(t);
    Word label = ((Word(0) - 2) << 4 | access) & (abi(t).ids.mask() >> 16);
    u.set_mr(0, (label << 16) | 2);
    u.set_mr(1, address);
    u.set_mr(2, arch(t).pc(t.regs.data()));
    u.set_br(0, 1 << 4);
    t.ipc = kind;
    t.fault_address = address;
    t.fault_access = access;
}

void Kernel::dequeue_sender(Tcb& s)
{
    if (!s.partner) return;
    auto& q = s.partner->senders;
    q.erase(std::remove(q.begin(), q.end(), &s), q.end());
    s.partner = nullptr;
}

void Kernel::expire_timeouts()
{
    run_timer();
    expire_xfers();
    auto t_now = now();
    for (auto& [_, tp] : _threads) {
        Tcb& t = *tp;
        if (!t.deadline || *t.deadline > t_now) continue;
        if (t.state == Thread_state::sending) {
            dequeue_sender(t);
            complete_ipc(t, 0, error_word(Ipc_error::timeout, false));
        } else if (t.state == Thread_state::receiving) {
            complete_ipc(t, 0, error_word(Ipc_error::timeout, true));
        } else {
            t.deadline.reset();
        }
    }
}

std::optional<Clock::time_point> Kernel::next_deadline() const
{
    std::optional<Clock::time_point> d = _timer_next;
    if (_uart_poll_next && (!d || *_uart_poll_next < *d)) d = _uart_poll_next;
    for (auto& [_, t] : _threads)
        if (t->deadline && (!d || *t->deadline < *d)) d = t->deadline;
    for (auto& x : _xfers)
        if (x->deadline && (!d || *x->deadline < *d)) d = x->deadline;
    return d;
}

}  // namespace umol4
