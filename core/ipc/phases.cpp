// The phases of an IPC: send (or queue), receive (or wait), delivery with
// propagation, timeouts; aborts by ExchangeRegisters and by deletion.
#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/ipc/ipc_engine.hpp"
#include "core/objects/time_period.hpp"

namespace umol4 {

using namespace ipc;

Ipc_engine::Ipc_engine(Thread_table& threads, Scheduler& sched, Box_memory& memory, const Abi_boundary& abi,
                       Owner& owner)
    : _threads(threads), _sched(sched), _mem(memory), _abi(abi), _owner(owner)
{
}

std::optional<Clock::time_point> Ipc_engine::timeout_deadline(Word t) const
{
    if (t == 0 || layout::Time_period{t}.point()) return std::nullopt;  // never; absolute points: not supported, never
    return _sched.now() + std::chrono::microseconds(static_cast<long long>(period_microseconds(t)));
}

// The frame is kept: complete_ipc() encodes the results and resumes the
// thread, at once or when a partner or a timeout ends the IPC.
void Ipc_engine::sys_ipc(Thread& t, const Syscall_frame& f)
{
    t.frame = f;
    t.ipc = Thread::Ipc_kind::syscall;
    ipc(t, f.in[0], f.in[1], f.in[2]);
}

// A receiver matches the actual sender or, with propagation, the virtual one.
bool Ipc_engine::ready_to_receive_from(const Thread& r, const Thread& s) const
{
    // A halt takes effect when the thread returns to user mode: a fault IPC
    // of a string copy still gets its reply.
    if (r.state != Thread_state::receiving || (r.halted && r.ipc != Thread::Ipc_kind::string_fault)) return false;
    if (r.xfer && r.ipc != Thread::Ipc_kind::string_fault) return false;  // locked in a transfer
    Word from = r.receive_from;
    if (ids().is_any(from)) return true;
    if (ids().is_anylocal(from)) return r.space == s.space;
    Thread* want = _threads.resolve(r, from);
    return want == &s || (s.propagating && want == s.propagating);
}

// Propagation (MR0.p): accepted if the VirtualSender exists and shares the
// sender's or the destination's space; otherwise p is cleared.
Thread* Ipc_engine::accepted_propagation(Thread& s, const Thread& dest)
{
    Utcb_view u = _mem.utcb(s);
    Word tag = u.mr(0);
    if (!layout::Msg_tag{tag}.propagated()) return nullptr;
    Thread* v = _threads.resolve(s, _abi.tcr_id(s, tcr::virtual_sender));
    if (v && (v->space == s.space || v->space == dest.space)) return v;
    u.set_mr(0, layout::Msg_tag{tag}.set_propagated(0).raw);
    return nullptr;
}

// After a successful transfer: the receiver learns who sent (the virtual
// sender when propagated, with ActualSender set), and a virtual sender
// waiting for the propagator now waits for the receiver instead.
void Ipc_engine::deliver(Thread& s, Thread& r)
{
    Thread* v = s.propagating;
    s.propagating = nullptr;
    if (!v) {
        complete_ipc(r, _threads.id_as_seen_by(r, s), 0);
        return;
    }
    Utcb_view ru = _mem.utcb(r);
    ru.set_mr(0, layout::Msg_tag{ru.mr(0)}.set_propagated(1).raw);
    _abi.set_tcr_id(r, tcr::virtual_sender, s.id);
    if (v->state == Thread_state::receiving && _threads.resolve(*v, v->receive_from) == &s) v->receive_from = r.id;
    complete_ipc(r, _threads.id_as_seen_by(r, *v), 0);
}

bool Ipc_engine::ipc(Thread& t, Word to, Word from, Word timeouts)
{
    layout::Ipc_timeouts w{timeouts};
    Word snd = w.send(), rcv = w.receive();
    t.receive_from = from & ids().mask();
    t.receive_timeout_raw = rcv;
    Thread* delivered_to = nullptr;
    if (!ids().is_nil(to)) {
        Thread* dest = _threads.resolve(t, to);
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
    if (ids().is_nil(from)) {
        complete_ipc(t, 0, 0);
        return true;
    }
    bool done = receive_phase(t);
    // A sender that now waits hands its vCPU straight to the receiver, on
    // its own time (the reference kernel switches to it, whatever else of
    // higher priority is ready): a Call runs its server before a thread of
    // middle priority.
    if (delivered_to && !done && t.state == Thread_state::receiving && delivered_to->cpu == t.cpu &&
        _sched.queued(*delivered_to))
        _sched.donate(*delivered_to);
    return done;
}

void Ipc_engine::finish_transfer(Thread& sender, Thread& receiver)
{
    // The sender's send phase is done; a Call goes on to receive, and may
    // take a message queued for it at once, whose sender goes on to
    // receive, and so on down a chain of queued senders.  A loop, not
    // recursion: the chain is as long as L4 code makes it.
    struct Delivery {
        Thread *s, *r, *propagating;
    };
    // The first on the stack; the chain's further links, rare, in a vector
    // (none allocated on the common path).
    const Delivery first{&sender, &receiver, sender.propagating};
    std::vector<Delivery> further;
    Thread *s = &sender, *r = &receiver;
    for (bool first_link = true;; first_link = false) {
        if (!first_link) further.push_back({s, r, s->propagating});
        if (ids().is_nil(s->receive_from)) {
            complete_ipc(*s, 0, 0);
            break;
        }
        s->state = Thread_state::ready;
        bool done;
        r = s;
        s = take_queued_message(*r, done);
        if (!s) break;
    }
    // The innermost first, the first receiver last: it keeps the CPU.
    for (auto d = further.rbegin(); d != further.rend(); ++d) {
        d->s->propagating = d->propagating;
        deliver(*d->s, *d->r);
    }
    first.s->propagating = first.propagating;
    deliver(*first.s, *first.r);
}

bool Ipc_engine::receive_phase(Thread& t)
{
    bool done;
    if (Thread* s = take_queued_message(t, done)) finish_transfer(*s, t);
    return done;
}

Thread* Ipc_engine::take_queued_message(Thread& t, bool& done)
{
    done = true;
    Word from = t.receive_from;
    Thread* want = nullptr;
    if (!ids().is_any(from) && !ids().is_anylocal(from)) {
        want = _threads.resolve(t, from);
        if (!want) {
            complete_ipc(t, 0, error_word(Ipc_error::no_partner, true));
            return nullptr;
        }
    }
    auto it = std::find_if(t.senders.begin(), t.senders.end(), [&](Thread* s) {
        if (s->halted && s->ipc != Thread::Ipc_kind::string_fault) return false;
        if (want) return s == want || (s->propagating && s->propagating == want);
        return ids().is_any(from) || s->space == t.space;
    });
    if (it != t.senders.end()) {
        Thread& s = **it;
        t.senders.erase(it);
        s.partner = nullptr;
        s.deadline.reset();
        Transfer tr = transfer(s, t);
        if (tr == Transfer::pending) done = false;  // finish_transfer() goes on
        return tr == Transfer::done ? &s : nullptr;
    }
    if (is_zero_timeout(t.receive_timeout_raw)) {
        complete_ipc(t, 0, error_word(Ipc_error::timeout, true));
        return nullptr;
    }
    t.state = Thread_state::receiving;
    t.deadline = timeout_deadline(t.receive_timeout_raw);
    done = false;
    return nullptr;
}

// A queued send withdrawn: out of its partner's sender queue.
void Ipc_engine::dequeue_sender(Thread& s)
{
    if (!s.partner) return;
    auto& q = s.partner->senders;
    q.erase(std::remove(q.begin(), q.end(), &s), q.end());
    s.partner = nullptr;
}

void Ipc_engine::expire_timeouts()
{
    expire_xfers();
    auto t_now = _sched.now();
    _threads.for_each([&](Thread& t) {
        if (!t.deadline || *t.deadline > t_now) return;
        if (t.state == Thread_state::sending) {
            dequeue_sender(t);
            complete_ipc(t, 0, error_word(Ipc_error::timeout, false));
        } else if (t.state == Thread_state::receiving) {
            complete_ipc(t, 0, error_word(Ipc_error::timeout, true));
        } else {
            t.deadline.reset();
        }
    });
}

std::optional<Clock::time_point> Ipc_engine::next_deadline() const
{
    std::optional<Clock::time_point> d;
    _threads.for_each([&](const Thread& t) {
        if (t.deadline && (!d || *t.deadline < *d)) d = t.deadline;
    });
    for (auto& x : _xfers) {
        if (x->resume) return _sched.now();
        if (x->deadline && (!d || *x->deadline < *d)) d = x->deadline;
    }
    return d;
}

void Ipc_engine::abort(Thread& dest, bool abort_send, bool abort_receive)
{
    if (dest.xfer) {
        // A transfer ran: aborted on both sides (code 7, with the offset).
        bool sender = dest.xfer->sender == &dest;
        if (sender ? abort_send : abort_receive) fail_transfer(*dest.xfer, Ipc_error::aborted, Ipc_error::aborted);
    } else if (dest.state == Thread_state::sending && abort_send) {
        dequeue_sender(dest);
        complete_ipc(dest, 0, error_word(Ipc_error::canceled, false));
    } else if (dest.state == Thread_state::receiving && abort_receive) {
        complete_ipc(dest, 0, error_word(Ipc_error::canceled, true));
    }
}

void Ipc_engine::forget(Thread& t)
{
    if (t.xfer) fail_transfer(*t.xfer, Ipc_error::aborted, Ipc_error::aborted);
    dequeue_sender(t);
    _threads.for_each([&](Thread& other) {
        if (other.propagating == &t) other.propagating = nullptr;
        if (other.saved_ipc.propagating == &t) other.saved_ipc.propagating = nullptr;
    });
    // Threads locked in a transfer wait for it, not for their receive
    // partner (unless it is the pager of their string fault).
    std::vector<Thread*> waiting;
    _threads.for_each([&](Thread& other) {
        if (&other != &t && other.state == Thread_state::receiving &&
            (!other.xfer || other.ipc == Thread::Ipc_kind::string_fault) && !ids().is_any(other.receive_from) &&
            !ids().is_anylocal(other.receive_from) && _threads.resolve(other, other.receive_from) == &t)
            waiting.push_back(&other);
    });
    std::deque<Thread*> senders;
    senders.swap(t.senders);
    for (Thread* s : senders) {
        s->partner = nullptr;
        complete_ipc(*s, 0, error_word(Ipc_error::no_partner, false));
    }
    for (Thread* r : waiting) complete_ipc(*r, 0, error_word(Ipc_error::no_partner, true));
}

void Ipc_engine::send_interrupt(Thread& irq, Thread& handler)
{
    if (ready_to_receive_from(handler, irq)) {
        if (transfer(irq, handler) == Transfer::done) deliver(irq, handler);  // untyped: never pending
        complete_ipc(irq, 0, 0);
    } else {
        irq.state = Thread_state::sending;
        irq.partner = &handler;
        handler.senders.push_back(&irq);
    }
}

std::string Ipc_engine::check(const std::set<const Thread*>& live) const
{
    for (const Thread* t : live) {
        if (t->partner && !live.count(t->partner)) return fmt::format("thread {:#x} sends to a deleted thread", t->id);
        // A blocked send waits in its partner's queue (a transfer holds its
        // threads otherwise).
        if (t->state == Thread_state::sending && !t->xfer &&
            (!t->partner || std::find(t->partner->senders.begin(), t->partner->senders.end(), t) ==
                                t->partner->senders.end()))
            return fmt::format("thread {:#x} sends but waits in no partner's queue", t->id);
        for (const Thread* s : t->senders)
            if (!live.count(s) || s->partner != t || s->state != Thread_state::sending)
                return fmt::format("thread {:#x} has a sender that does not send to it", t->id);
        if (t->xfer && (t->xfer->sender != t && t->xfer->receiver != t))
            return fmt::format("thread {:#x} is locked in someone else's transfer", t->id);
    }
    for (const auto& x : _xfers)
        if (!live.count(x->sender) || !live.count(x->receiver) || x->sender->xfer != x.get() ||
            x->receiver->xfer != x.get())
            return "a transfer whose threads are gone or elsewhere";
    return "";
}

}  // namespace umol4
