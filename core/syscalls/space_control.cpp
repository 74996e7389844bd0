// Kernel: SpaceControl (X.2 section 6): a space's KIP and UTCB areas, and
// compatibility spaces.
#include <spdlog/spdlog.h>

#include "core/kernel.hpp"

namespace umol4 {

void Kernel::sys_space_control(Thread& t, Syscall_frame& f)
{
    sys::SpaceControl sc(f);
    if (!privileged(t)) return refuse(t, f, L4_error::no_privilege);
    Thread* dest = _threads.lookup_space_holder(sc.space());
    if (!dest) return refuse(t, f, L4_error::invalid_space);
    Space& s = *dest->space;
    const Word compat_bit = _arch.compat_control;
    if (compat_bit && (sc.control() & compat_bit) && !s.initialized && !_compat) {
        spdlog::warn("thread {:#x}: SpaceControl asks for a compatibility space ({} code), which this host "
                     "cannot run; refused", t.id, _arch.compat_arch);
        return refuse(t, f, L4_error::invalid_param);
    }
    if (!s.initialized) {
        // The compat bit counts when the space is set up, before its first
        // thread runs; the areas must lie where its code can reach them.
        const bool compat = compat_bit && (sc.control() & compat_bit);
        const Space_abi& will = compat ? *_compat : *s.abi;
        // An area of 2^63 bytes or more fits no user range (and 1 << 64
        // would not even be a size): empty, so refused below.
        auto area = [&](Word fp) {
            Word log2 = layout::Fpage{fp}.size_log2();
            if (log2 >= 63) return Area{};
            Word size = Word(1) << log2;
            return Area{(fp & layout::Fpage::base_mask) & ~(size - 1), size};
        };
        Area utcb_area = area(sc.utcb_area()), kip_area = area(sc.kip_area());
        // Compared without overflow: base + size may wrap past 2^64.
        auto in_user = [&](const Area& a) {
            return !a.empty() && a.base >= 0x10000 && a.size <= will.reserved_low &&
                   a.base <= will.reserved_low - a.size && !will.host_owns(a.base + a.size - 1);
        };
        if (utcb_area.size < (Word(1) << _arch.utcb_s) || !in_user(utcb_area)) return refuse(t, f, L4_error::utcb_area);
        if (kip_area.size < page_size || !in_user(kip_area) || kip_area.contains(utcb_area.base) ||
            utcb_area.contains(kip_area.base))
            return refuse(t, f, L4_error::kip_area);
        if (compat) make_compat(s);
        s.utcb_area = utcb_area;
        s.kip_area = {kip_area.base, page_size};
        s.initialized = true;
        unsigned kip_rights = rights_r | (s.abi->arch->kip_entries_relative ? rights_x : 0);
        _host.map(s.task, s.kip_area.base, page_size, s.abi->kip_frame, kip_rights);
    }
    // The control word as it stands: the compat bit for a compatibility space.
    sc.set_old_control(s.abi->compat ? compat_bit : 0);
    sc.set_result(1);
}

}  // namespace umol4


namespace umol4 {

void Kernel::make_compat(Space& s)
{
    // Only a space nothing ran in: its threads are all inactive, so none
    // has a Linux thread, a UTCB page or a mapping yet.
    Task_handle task = _host.create_task(_compat->host_arch);
    _host.destroy_task(s.task);
    s.task = task;
    s.mappings.set_task(task);
    s.abi = &*_compat;
    for (Thread* t : s.threads) t->regs.assign(t->arch().regset_bytes, std::byte{0});
    spdlog::debug("space of {:#x}: a compatibility space ({} code)", s.threads.empty() ? 0 : s.threads[0]->id,
                  s.abi->arch->name);
}

}  // namespace umol4
