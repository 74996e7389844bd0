// Kernel: Unmap (X.2 section 8): the fpages in MR0..MRk, with their access
// status written back.
#include "core/kernel.hpp"

namespace umol4 {

void Kernel::sys_unmap(Thread& t, Syscall_frame& f)
{
    layout::Unmap_control c{sys::Unmap(f).control()};
    unsigned k = static_cast<unsigned>(c.count());
    bool flush = c.flush();
    Utcb_view u = _memory.utcb(t);
    for (unsigned i = 0; i <= k && i < 64; ++i) {
        Word fp = u.mr(i);
        if (fp == 0) continue;  // nil fpages are skipped
        layout::Fpage page{fp};
        unsigned sl = static_cast<unsigned>(page.size_log2());
        Word size = (sl == 1 && page.base() == 0) || sl >= t.arch().word_bits ? t.arch().word_mask()
                                                                           : (Word(1) << std::max(sl, 12u)) - 1;
        Word base = (fp & layout::Fpage::base_mask) & ~size;
        unsigned rights = _memory.implied_rights(static_cast<unsigned>(page.rights()));
        // Page by page, each looked up afresh: an earlier one's subtree may
        // have held a later one (a space's page mapped to itself).
        unsigned status = 0;
        Mapdb& db = _memory.vm().db();
        db.for_each_page(t.space->vm, base, base + size, [&](Word, Mapping& m) { status |= db.unmap(m, rights, flush); });
        u.set_mr(i, page.set_rights(_memory.implied_rights(status)).raw);  // ia32: "accessed" is R|X [P]
    }
}

}  // namespace umol4
