// Kernel: Unmap (X.2 section 8): the fpages in MR0..MRk, with their access
// status written back.
#include "core/kernel.hpp"

namespace umol4 {

void Kernel::sys_unmap(Thread& t, Syscall_frame& f)
{
    Word control = f.in[0];
    unsigned k = static_cast<unsigned>(control & 0x3F);
    bool flush = control & (1 << 6);
    Utcb_view u = _memory.utcb(t);
    for (unsigned i = 0; i <= k && i < 64; ++i) {
        Word fp = u.mr(i);
        if (fp == 0) continue;  // nil fpages are skipped
        unsigned sl = static_cast<unsigned>((fp >> 4) & 0x3F);
        Word size = (sl == 1 && (fp >> 10) == 0) || sl >= t.arch().word_bits ? t.arch().word_mask()
                                                                           : (Word(1) << std::max(sl, 12u)) - 1;
        Word base = (fp & ~Word(0x3FF)) & ~size;
        unsigned rights = _memory.implied_rights(static_cast<unsigned>(fp & 7));
        // Page by page, each looked up afresh: an earlier one's subtree may
        // have held a later one (a space's page mapped to itself).
        unsigned status = 0;
        _memory.vm().db().for_each_page(t.space->vm, base, base + size,
                               [&](Word, Mapping& m) { status |= _memory.vm().db().unmap(m, rights, flush); });
        u.set_mr(i, (fp & ~Word(7)) | _memory.implied_rights(status));  // ia32: "accessed" is R|X [P]
    }
}

}  // namespace umol4
