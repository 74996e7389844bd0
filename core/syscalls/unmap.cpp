// Kernel: Unmap (X.2 section 8): the fpages in MR0..MRk, with their access
// status written back.  A long one is preempted between pages, so that one
// call never holds the core (hostile-code finding 10: 64 whole-space fpages
// over two million mappings held it for 8 s).
#include "core/kernel.hpp"

namespace umol4 {

namespace {
// Pages an Unmap handles in one turn: some milliseconds at most.
constexpr unsigned unmap_pages_per_turn = 4096;
}  // namespace

bool Kernel::sys_unmap(Thread& t, Syscall_frame& f)
{
    Word control = sys::Unmap(f).control();
    layout::Unmap_control c{control};
    unsigned k = static_cast<unsigned>(c.count());
    bool flush = c.flush();
    Utcb_view u = _memory.utcb(t);
    // Going on where the same call was preempted: the registers and message
    // registers are as they were (the thread ran nothing in between; any
    // other call, or an ExchangeRegisters that moves it, dropped the progress).
    auto& p = t.unmap_progress;
    if (p && (p->control != control || u.mr(p->index) != p->fpage)) p.reset();
    unsigned first = p ? p->index : 0;
    if (p)
        for (unsigned i = 0; i < first; ++i) u.set_mr(i, p->results[i]);
    unsigned budget = unmap_pages_per_turn;
    Mapdb& db = _memory.vm().db();
    for (unsigned i = first; i <= k && i < 64; ++i) {
        Word fp = u.mr(i);
        if (fp == 0) continue;  // nil fpages are skipped
        layout::Fpage page{fp};
        unsigned sl = static_cast<unsigned>(page.size_log2());
        Word size = (sl == 1 && page.base() == 0) || sl >= t.arch().word_bits ? t.arch().word_mask()
                                                                           : (Word(1) << std::max(sl, 12u)) - 1;
        Word base = (fp & layout::Fpage::base_mask) & ~size, last = base + size;
        unsigned rights = _memory.implied_rights(static_cast<unsigned>(page.rights()));
        bool resumed = p && i == first;
        unsigned status = resumed ? p->status : 0;
        // Page by page, each looked up afresh: an earlier one's subtree may
        // have held a later one (a space's page mapped to itself).
        auto stopped = db.for_each_page(t.space->vm, resumed ? p->cursor : base, last, [&](Word, Mapping& m) {
            if (budget-- == 0) return false;
            status |= db.unmap(m, rights, flush);
            return true;
        });
        if (stopped) {
            std::vector<Word> results(i);
            for (unsigned j = 0; j < i; ++j) results[j] = u.mr(j);
            p = Thread::Unmap_progress{control, fp, *stopped, i, status, std::move(results)};
            return false;
        }
        u.set_mr(i, page.set_rights(_memory.implied_rights(status)).raw);  // ia32: "accessed" is R|X [P]
    }
    p.reset();
    return true;
}

}  // namespace umol4
