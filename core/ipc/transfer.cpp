// A message from sender to receiver: the untyped words, then the typed
// items in order (map and grant items here, strings in strings.cpp).
#include <spdlog/spdlog.h>

#include "core/ipc/ipc_engine.hpp"

namespace umol4 {

using namespace ipc;

// Copies the message of `s` into `r`: the untyped words, then the typed
// words verbatim, then the items take effect in order.
Ipc_engine::Transfer Ipc_engine::transfer(Thread& s, Thread& r)
{
    Utcb_view su = _mem.utcb(s), ru = _mem.utcb(r);
    Word tag = _abi.message_tag(s);
    layout::Msg_tag mt{tag};
    unsigned u = static_cast<unsigned>(mt.untyped()), typed = static_cast<unsigned>(mt.typed());
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

bool Ipc_engine::apply_map_item(Thread& s, Thread& r, Word w0, Word fp)
{
    Utcb_view ru = _mem.utcb(r);
    Word window = ru.br(0) & layout::Acceptor::window_mask;  // an fpage without rights
    if (window == 0) return false;
    const unsigned wb = _abi.box_arch().word_bits;
    // The complete address space: of the sender's arch for the fpage, of
    // the receiver's for the window (a compatibility space has 2^32 bytes).
    auto size_log2 = [&](Word f, const Thread& owner) -> unsigned {
        layout::Fpage p{f};
        return (p.size_log2() == 1 && p.base() == 0) ? owner.arch().word_bits : static_cast<unsigned>(p.size_log2());
    };
    auto base_of = [&](Word f, unsigned sl) {
        return sl >= wb ? 0 : (f & layout::Fpage::base_mask) & ~((Word(1) << sl) - 1);
    };
    unsigned ss = size_log2(fp, s), rs = size_log2(window, r);
    if (ss < 12 || rs < 12) return true;  // smaller than a page: maps nothing
    Word fbase = base_of(fp, ss), wbase = base_of(window, rs);
    Word send_base = w0 & layout::Map_item::send_base_mask;
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
    Word n = n_log2 >= wb ? ids().mask() : (Word(1) << n_log2) - 1;  // last offset
    bool grant = layout::Map_item{w0}.kind() == grant_kind && !s.space->sigma0;
    unsigned send_rights = static_cast<unsigned>(layout::Fpage{fp}.rights());

    // The source pages: sigma0's are all of physical memory; others' come
    // from its page table.  Collected first: mapping into the sender's own
    // space may add pages to the range, an overmap may remove some.
    bool fault_reply = r.ipc == Thread::Ipc_kind::page_fault || r.ipc == Thread::Ipc_kind::string_fault;
    std::vector<Word> pages;
    if (s.space->sigma0) {
        Word lo = src, hi = std::min<Word>(src + n, _mem.conventional() - 1);
        for (Word p = page_of(lo); lo <= hi && p <= hi; p += page_size) pages.push_back(p);
    } else {
        _mem.vm().db().for_each_page(s.space->vm, src, src + n, [&](Word page, Mapping&) { pages.push_back(page); });
    }
    for (Word page : pages)
        if (!map_one(*s.space, page, *r.space, dst + (page - src), send_rights, grant, fault_reply)) return false;
    if (grant && ss > rs) {
        // The rest of a larger granted fpage leaves the sender as well.
        Word whole = ss >= wb ? ids().mask() : (Word(1) << ss) - 1;
        _mem.vm().db().for_each_page(s.space->vm, fbase, fbase + whole, [&](Word page, Mapping& m) {
            if (!s.space->kernel_area(page)) _mem.vm().db().unmap(m, rights_r | rights_w | rights_x, true);
        });
    }
    return true;
}

bool Ipc_engine::map_one(Space& from, Word page, Space& to, Word target, unsigned send_rights, bool grant,
                         bool fault_reply)
{
    if (from.kernel_area(page) || to.kernel_area(target) || to.abi->host_owns(target)) return true;
    Mapping* node = _mem.mapping_of(from, page);
    if (!node) return true;
    unsigned rights = _mem.implied_rights(node->rights() & send_rights) & node->rights();
    if (!rights) return true;
    if (!_mem.mapping_allowed(fault_reply) && !_mem.vm().db().find(to.vm, target)) {
        spdlog::warn("the box's {} mappings hold {} KiB of core memory, its limit: map item refused",
                     _mem.vm().db().mappings(), _mem.vm().db().mapping_bytes() >> 10);
        return false;
    }
    if (grant) _mem.vm().db().grant(*node, to.vm, target, rights);
    else _mem.vm().db().map(*node, to.vm, target, rights);
    return true;
}

}  // namespace umol4
