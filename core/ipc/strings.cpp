// Typed items of a message in order (map/grant, strings), string copies
// into the receiver's buffers, and string-copy page faults served by the
// pagers of the sender or the receiver under transfer timeouts.
#include <algorithm>
#include <cstring>

#include <spdlog/spdlog.h>

#include "core/ipc/ipc_engine.hpp"

namespace umol4 {

using namespace ipc;

namespace {

constexpr unsigned last_br = 32;
using Segments = std::vector<std::pair<Word, Word>>;  // (address, length)

// A logical string: a string item and the items chained to it by c, as
// (address, length) segments; `next` is the word after it.
struct Logical_string {
    Segments segments;
    unsigned next = 0;
    Word first = 0;  // its first word (a buffer's C bit: another buffer follows)
};

// word(i) reads MR i or BR i; items must end at or before `last`.
template <class Word_at>
std::optional<Logical_string> parse_string(Word_at word, unsigned i, unsigned last)
{
    Logical_string s;
    s.first = word(i);
    for (;;) {
        if (i > last) return std::nullopt;
        Word w0 = word(i);
        if (is_map_item(w0)) return std::nullopt;  // a map/grant or unknown item, not a string
        layout::String_item item{w0};
        unsigned j = static_cast<unsigned>(item.substrings());
        if (i + 1 + j > last) return std::nullopt;
        for (unsigned k = 0; k <= j; ++k) s.segments.emplace_back(word(i + 1 + k), item.length());
        i += 2 + j;
        if (!item.compound()) break;  // c: the next item continues this string
    }
    s.next = i;
    return s;
}

// A position in a list of segments.
class Cursor {
public:
    explicit Cursor(const Segments& s) : _s(s) { advance(0); }
    bool end() const { return _k >= _s.size(); }
    Word address() const { return _s[_k].first + _off; }
    Word left() const { return _s[_k].second - _off; }
    void advance(Word n)
    {
        _off += n;
        while (_k < _s.size() && _off >= _s[_k].second) {
            _off -= _s[_k].second;
            ++_k;
        }
    }

private:
    const Segments& _s;
    std::size_t _k = 0;
    Word _off = 0;
};

}  // namespace

Ipc_engine::Transfer Ipc_engine::run_items(String_xfer& x)
{
    Thread& s = *x.sender;
    Thread& r = *x.receiver;
    Utcb_view su = _mem.utcb(s), ru = _mem.utcb(r);
    auto overflow = [&] {
        fail_transfer(x, Ipc_error::overflow, Ipc_error::overflow);
        return Transfer::failed;
    };
    while (x.mr <= x.last_mr) {
        Word w0 = su.mr(x.mr);
        if (is_map_item(w0)) {
            Word kind = layout::Map_item{w0}.kind();
            if ((kind != map_kind && kind != grant_kind) || x.mr + 1 > x.last_mr) return overflow();
            if (!apply_map_item(s, r, w0, su.mr(x.mr + 1))) return overflow();
            x.mr += 2;
            continue;
        }
        // A string fills exactly one receive buffer, never the next one.
        // Kernel messages (fault replies, exception replies) take no strings.
        bool kernel_ipc = r.ipc != Thread::Ipc_kind::syscall && r.ipc != Thread::Ipc_kind::none;
        auto send = parse_string([&](unsigned i) { return su.mr(i); }, x.mr, x.last_mr);
        if (!send || kernel_ipc || !(ru.br(0) & 1) || !x.buffer_left || x.br > last_br) return overflow();
        auto buffer = parse_string([&](unsigned i) { return ru.br(i); }, x.br, last_br);
        if (!buffer) return overflow();
        switch (copy_string(x, send->segments, buffer->segments)) {
        case Copy::copied: break;
        case Copy::short_buffer:
        case Copy::clipped: return overflow();
        case Copy::fault: return Transfer::pending;
        case Copy::failed: return Transfer::failed;
        }
        x.mr = send->next;
        x.string_done = 0;
        x.buffer_left = buffer->first & 1;
        x.br = buffer->next;
    }
    ru.set_mr(0, received_tag(x.tag, x.sender->cpu != x.receiver->cpu));
    return Transfer::done;
}

Ipc_engine::Copy Ipc_engine::copy_string(String_xfer& x, const Segments& from, const Segments& to)
{
    Cursor src(from), dst(to);
    src.advance(x.string_done);  // resumed after a fault: what is copied stays
    dst.advance(x.string_done);
    while (!src.end()) {
        if (dst.end()) return Copy::short_buffer;
        Word a = src.address(), b = dst.address();
        Word n = std::min({src.left(), dst.left(), page_size - (a & (page_size - 1)), page_size - (b & (page_size - 1))});
        bool outside = false;
        std::byte* in = string_memory(*x.sender, a, rights_r, outside);
        if (!in) {
            if (outside) return Copy::clipped;
            return start_string_fault(x, *x.sender, a, rights_r) ? Copy::fault : Copy::failed;
        }
        std::byte* out = string_memory(*x.receiver, b, rights_w, outside);
        if (!out) {
            if (outside) return Copy::clipped;
            return start_string_fault(x, *x.receiver, b, rights_w) ? Copy::fault : Copy::failed;
        }
        std::memmove(out, in, n);
        src.advance(n);
        dst.advance(n);
        x.string_done += n;
        x.total += n;
    }
    return Copy::copied;
}

// Where a string byte of `t` lives in the MemFile, if its space maps it
// with `access`; the copy counts as an access in the page's status.
// outside: the address can never be mapped (host range, KIP/UTCB area).
std::byte* Ipc_engine::string_memory(Thread& t, Word address, unsigned access, bool& outside)
{
    Space& space = *t.space;
    Word page = address & ~(page_size - 1);
    outside = !Page_table::covers(address) || space.abi->host_owns(address);
    if (outside) return nullptr;
    if (space.kernel_area(address)) {
        std::byte* p = _mem.translate(space, address, access);
        outside = !p;
        return p;
    }
    Mapping* m = _mem.mapping_of(space, page);
    if (!m || (m->rights() & access) != access) return nullptr;
    Mapdb::touch(*m, access);
    return _mem.frame(m->frame()) + (address - page);
}

// The faulting party Calls its pager with a page-fault message (both stay
// locked in the transfer); the first fault arms the transfer timeout.
bool Ipc_engine::start_string_fault(String_xfer& current, Thread& f, Word address, unsigned access)
{
    // The transfer outlives this call now: it moves to the kernel's list
    // (the callers return at once, without touching `current` again).
    bool kept = std::any_of(_xfers.begin(), _xfers.end(), [&](const auto& p) { return p.get() == &current; });
    if (!kept) _xfers.push_back(std::make_unique<String_xfer>(current));
    String_xfer& x = kept ? current : *_xfers.back();
    Thread& s = *x.sender;
    Thread& r = *x.receiver;
    s.xfer = r.xfer = &x;  // both locked in this transfer now
    s.state = Thread_state::sending;
    r.state = Thread_state::receiving;
    s.partner = nullptr;
    s.deadline.reset();
    r.deadline.reset();
    if (!x.armed) {
        x.armed = true;
        Word st = layout::Ipc_timeouts{_mem.utcb(s).get(tcr::xfer_timeouts)}.send();
        Word rt = layout::Ipc_timeouts{_mem.utcb(r).get(tcr::xfer_timeouts)}.receive();
        bool sz = is_zero_timeout(st), rz = is_zero_timeout(rt);
        if (sz || rz) {
            // Expired at this very fault: the receiver's strictly earlier
            // only if the sender's is not zero too.
            time_out_transfer(x, rz && !sz);
            return false;
        }
        auto ds = timeout_deadline(st), dr = timeout_deadline(rt);
        x.receiver_earlier = dr && (!ds || *dr < *ds);
        x.deadline = x.receiver_earlier ? dr : ds;
    }
    Word pager = _abi.tcr_id(f, tcr::pager);
    Thread* p = ids().is_nil(pager) ? nullptr : _threads.resolve(f, pager);
    if (!p || p == &f || (f.xfer && f.xfer != &x)) {
        // Nobody can serve it (sigma0 has no pager, a thread cannot page
        // itself): the transfer ends.
        spdlog::debug("thread {:#x}: string-copy fault at {:#x} and no pager", f.id, address);
        fail_transfer(x, Ipc_error::aborted, Ipc_error::aborted);
        return false;
    }
    f.saved_ipc = {f.state, f.ipc, f.receive_from, f.receive_timeout_raw, f.propagating};
    x.faulting = &f;
    load_fault_message(f, address, access, Thread::Ipc_kind::string_fault);
    f.propagating = nullptr;
    ipc(f, pager, pager, 0);  // may fail at once: string_fault_done()
    return true;
}

// Back in the thread's own IPC: its message registers and IPC state as
// they were, without the kernel's message.
void Ipc_engine::cancel_string_fault(Thread& f)
{
    if (f.state == Thread_state::sending) dequeue_sender(f);
    f.deadline.reset();
    restore_kernel_message_mrs(f);
    f.state = f.saved_ipc.state;
    f.ipc = f.saved_ipc.ipc;
    f.receive_from = f.saved_ipc.receive_from;
    f.receive_timeout_raw = f.saved_ipc.receive_timeout_raw;
    f.propagating = f.saved_ipc.propagating;
    if (f.xfer) f.xfer->faulting = nullptr;
}

void Ipc_engine::string_fault_done(Thread& f, Word error)
{
    cancel_string_fault(f);
    String_xfer& x = *f.xfer;
    if (error) {
        // The pager is gone or refused the IPC: the transfer cannot go on.
        spdlog::debug("thread {:#x}: string-copy fault at {:#x} not served (error {:#x})", f.id, f.fault_address, error);
        fail_transfer(x, Ipc_error::aborted, Ipc_error::aborted);
        return;
    }
    if (_resuming) {
        // Answered while another transfer's copy runs: two threads that are
        // each other's pager, both faulting, answer each other's fault with
        // their own, for ever.  The copy goes on in the next round of the
        // event loop: no recursion in the core, and the transfer timeouts
        // still end such a pair.
        x.resume = true;
        return;
    }
    resume(x);
}

void Ipc_engine::resume(String_xfer& x)
{
    Thread& s = *x.sender;
    Thread& r = *x.receiver;
    Transfer t;
    {
        struct Resuming {
            bool& flag;
            ~Resuming() { flag = false; }
        } guard{_resuming = true};
        t = run_items(x);
    }
    if (t != Transfer::done) return;
    release_xfer(x);  // x is gone
    finish_transfer(s, r);
}

void Ipc_engine::resume_string_copies()
{
    std::vector<String_xfer*> due;
    for (const auto& x : _xfers)
        if (x->resume) due.push_back(x.get());
    for (String_xfer* x : due) {
        // One resumed before may have ended it (its flag is gone with it).
        bool live = std::any_of(_xfers.begin(), _xfers.end(), [&](const auto& p) { return p.get() == x; });
        if (!live || !x->resume) continue;
        x->resume = false;
        resume(*x);
    }
}

void Ipc_engine::release_xfer(String_xfer& x)
{
    if (x.sender->xfer == &x) x.sender->xfer = nullptr;
    if (x.receiver->xfer == &x) x.receiver->xfer = nullptr;
    std::erase_if(_xfers, [&](const auto& p) { return p.get() == &x; });
}

// Both parties fail with the codes (and the bytes copied as the offset);
// MR0 shows the sender's tag with the error bit on both sides.
void Ipc_engine::fail_transfer(String_xfer& x, Ipc_error sender_code, Ipc_error receiver_code)
{
    if (x.faulting) cancel_string_fault(*x.faulting);
    Thread& s = *x.sender;
    Thread& r = *x.receiver;
    Word failed = layout::Msg_tag{x.tag}.set_error(1).raw, offset = x.total;
    release_xfer(x);
    _mem.utcb(s).set_mr(0, failed);
    _mem.utcb(r).set_mr(0, failed);
    s.partner = nullptr;
    // The sender made the copy and goes on first, the receiver is queued
    // behind it (as the reference kernel, which copies in the sender's
    // context; programs see the order: docs/box.md).
    complete_ipc(r, 0, error_word(receiver_code, true, offset));
    complete_ipc(s, 0, error_word(sender_code, false, offset));
}

void Ipc_engine::expire_xfers()
{
    auto t_now = _sched.now();
    std::vector<String_xfer*> due;
    for (auto& x : _xfers)
        if (x->deadline && *x->deadline <= t_now) due.push_back(x.get());
    for (String_xfer* x : due) time_out_transfer(*x, x->receiver_earlier);
}

// The side whose transfer timeout ran out first gets code 5, the other 6.
void Ipc_engine::time_out_transfer(String_xfer& x, bool receiver_first)
{
    fail_transfer(x, receiver_first ? Ipc_error::xfer_timeout_partner : Ipc_error::xfer_timeout_own,
                  receiver_first ? Ipc_error::xfer_timeout_own : Ipc_error::xfer_timeout_partner);
}

}  // namespace umol4

