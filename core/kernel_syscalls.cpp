// Kernel: the system calls other than IPC.
#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/ipc/ipc_codes.hpp"
#include "core/kernel.hpp"

namespace umol4 {

namespace {
constexpr Word page_size = 4096;
}

bool Kernel::privileged(const Tcb& t) const
{
    return t.space->privileged;
}

void Kernel::sys_kernel_interface(Tcb& t, Syscall_frame& f)
{
    sys::KernelInterface ki(f);
    ki.set_kip_base(t.space->kip_area.base);
    ki.set_api_version(kip_api_version);
    ki.set_api_flags(arch(t).api_flags);
    ki.set_kernel_id(kip_kernel_id);
}

// Its own space's threads; with pagerexregs also those in its pager's space.
bool Kernel::may_exchange_registers(Tcb& t, Tcb& dest)
{
    if (dest.space == t.space) return true;
    if (!_pager_exregs) return false;
    Tcb* pager = lookup(tcr_id(dest, tcr::pager));
    return pager && pager->space == t.space;
}

void Kernel::sys_exchange_registers(Tcb& t, Syscall_frame& f)
{
    sys::ExchangeRegisters x(f);
    Tcb* dest = resolve(t, x.dest());
    if (!dest || !may_exchange_registers(t, *dest) || dest->state == Thread_state::inactive) {
        for (auto& w : f.out) w = 0;
        set_error(t, L4_error::invalid_thread);
        return;
    }
    Word control = x.control();
    stop_running(*dest);  // its registers, as of now
    Utcb_view u = utcb(*dest);
    // Old values first.
    x.set_result(_ids.is_local(x.dest()) ? dest->id : dest->local_id(_arch.mr0_offset));
    const Arch_plugin& da = arch(*dest);
    x.set_old_sp(da.sp(dest->regs.data()));
    x.set_old_ip(da.pc(dest->regs.data()));
    x.set_old_flags(da.flags(dest->regs.data()));
    x.set_old_user_handle(u.get(tcr::user_defined_handle));
    x.set_old_pager(tcr_id(*dest, tcr::pager));
    Word state = (dest->halted ? 1 : 0) | (dest->state == Thread_state::receiving ? 2 : 0) |
                 (dest->state == Thread_state::sending ? 4 : 0);
    // Locked in a transfer (perhaps taking a string fault): its own phase.
    bool xfer_sender = dest->xfer && dest->xfer->sender == dest;
    if (dest->xfer) state = (state & 1) | (xfer_sender ? 4 : 2);
    x.set_old_control(state);
    // Then the changes, in the manual's order.
    if (control & (1 << 3)) { da.set_sp(dest->regs.data(), x.sp()); dest->regs_changed = true; }
    if (control & (1 << 4)) { da.set_pc(dest->regs.data(), x.ip()); dest->regs_changed = true; }
    if (control & (1 << 5)) { da.set_user_flags(dest->regs.data(), x.flags()); dest->regs_changed = true; }
    if (control & (1 << 6)) u.set(tcr::user_defined_handle, x.user_handle());
    if (control & (1 << 7)) set_tcr_id(*dest, tcr::pager, x.pager());
    if (dest != &t) {
        if (dest->xfer) {
            // A transfer ran: aborted on both sides (code 7, with the offset).
            if (control & (xfer_sender ? (1 << 2) : (1 << 1))) fail_transfer(*dest->xfer, Ipc_error::aborted, Ipc_error::aborted);
        } else if (dest->state == Thread_state::sending && (control & (1 << 2))) {
            dequeue_sender(*dest);
            complete_ipc(*dest, 0, ipc::error_word(Ipc_error::canceled, false));
        } else if (dest->state == Thread_state::receiving && (control & (1 << 1))) {
            complete_ipc(*dest, 0, ipc::error_word(Ipc_error::canceled, true));
        }
        if (control & (1 << 8)) {
            if (control & 1) {
                dest->halted = true;
                _ready.remove(*dest);
            } else if (dest->halted) {
                dest->halted = false;
                if (!dest->blocked()) make_ready(*dest);
            }
        }
    }
}

void Kernel::sys_schedule(Tcb& t, Syscall_frame& f)
{
    sys::Schedule s(f);
    Tcb* dest = resolve(t, s.dest());
    if (!dest) {
        s.set_result(0);
        set_error(t, L4_error::invalid_thread);
        return;
    }
    if (!privileged(t) && dest->scheduler != t.id) {
        s.set_result(0);
        set_error(t, L4_error::no_privilege);
        return;
    }
    Word result = dest->state == Thread_state::inactive ? 1
                  : dest->halted                       ? 2
                  : dest->xfer                         ? (dest->xfer->sender == dest ? 5 : 7)  // in a transfer
                  : dest->state == Thread_state::sending ? 4
                  : dest->state == Thread_state::receiving ? 6
                                                           : 3;
    // Processor: 0-15, one of the box's vCPUs [R] (else invalid parameter).
    // All ones (in the caller's words): no change.
    const Word unchanged = arch(t).word_mask();
    Word processor = s.processor_control();
    bool migrating = processor != unchanged;
    if (migrating && (processor & 0xFFFF) >= _cpus.size()) {
        s.set_result(0);
        set_error(t, L4_error::invalid_param);
        return;
    }
    Word prio = s.prio_control();
    if (prio != unchanged) {
        if (!privileged(t) && (prio & 0xFF) > t.priority) {
            s.set_result(0);
            set_error(t, L4_error::no_privilege);
            return;
        }
        dest->priority = static_cast<unsigned>(prio & 0xFF);
    }
    // Old TimeControl: the timeslice (16-31) as a time period; the total
    // quantum (0-15) is unlimited (quantum accounting: not yet).
    auto period = [](std::chrono::microseconds us) {
        Word v = static_cast<Word>(us.count()), e = 0;
        while (v >= 1024 && e < 31) { v >>= 1; ++e; }
        return (e << 10) | v;
    };
    Word old_slice = period(dest->timeslice);
    Word old_quantum = dest->quantum ? period(std::max(*dest->quantum - dest->used, std::chrono::microseconds(0))) : 0;
    Word time = s.time_control();
    if (time != unchanged) {
        Word slice = (time >> 16) & 0xFFFF;
        if (slice != 0xFFFF && (slice & 0x8000)) {
            s.set_result(0);
            set_error(t, L4_error::invalid_thread);  // time points: not accepted
            return;
        }
        if (slice != 0xFFFF) {
            Word us = (slice & 0x3FF) << ((slice >> 10) & 0x1F);
            // [P] a 0 us slice never expires.
            dest->timeslice = std::chrono::microseconds(us ? static_cast<long long>(us) : 0x7FFFFFFFFFFFLL);
            dest->slice_left.reset();
        }
        Word quantum = time & 0xFFFF;
        if (quantum != 0xFFFF && !(quantum & 0x8000)) {
            // never (0) = infinite; a new quantum starts unused.
            if (quantum == 0) dest->quantum.reset();
            else dest->quantum = std::chrono::microseconds(static_cast<long long>((quantum & 0x3FF) << ((quantum >> 10) & 0x1F)));
            dest->used = std::chrono::microseconds(0);
        }
    }
    Word preempt = s.preemption_control();
    if (preempt != unchanged) {
        // Bits 0-15: maximum delay in microseconds (16-23, the sensitive
        // priority, only matters for wake-ups, which preempt nobody yet).
        dest->max_delay = std::chrono::microseconds(static_cast<long long>(preempt & 0xFFFF));
        dest->delay_budget = dest->max_delay;
    }
    if (migrating) migrate(*dest, static_cast<unsigned>(processor & 0xFFFF));
    s.set_result(result);
    s.set_old_time_control((old_slice << 16) | old_quantum);
    set_error(t, L4_error::ok);
}

void Kernel::sys_unmap(Tcb& t, Syscall_frame& f)
{
    Word control = f.in[0];
    unsigned k = static_cast<unsigned>(control & 0x3F);
    bool flush = control & (1 << 6);
    Utcb_view u = utcb(t);
    for (unsigned i = 0; i <= k && i < 64; ++i) {
        Word fp = u.mr(i);
        if (fp == 0) continue;  // nil fpages are skipped
        unsigned sl = static_cast<unsigned>((fp >> 4) & 0x3F);
        Word size = (sl == 1 && (fp >> 10) == 0) || sl >= arch(t).word_bits ? arch(t).word_mask()
                                                                           : (Word(1) << std::max(sl, 12u)) - 1;
        Word base = (fp & ~Word(0x3FF)) & ~size;
        unsigned rights = implied_rights(static_cast<unsigned>(fp & 7));
        // Page by page, each looked up afresh: an earlier one's subtree may
        // have held a later one (a space's page mapped to itself).
        unsigned status = 0;
        _vm.db().for_each_page(t.space->vm, base, base + size,
                               [&](Word, Mapping& m) { status |= _vm.db().unmap(m, rights, flush); });
        u.set_mr(i, (fp & ~Word(7)) | implied_rights(status));  // ia32: "accessed" is R|X [P]
    }
}

void Kernel::sys_thread_control(Tcb& t, Syscall_frame& f)
{
    sys::ThreadControl tc(f);
    auto fail = [&](L4_error e) {
        tc.set_result(0);
        set_error(t, e);
    };
    if (!privileged(t)) return fail(L4_error::no_privilege);
    Word dest = tc.dest() & _ids.mask();
    if (_ids.is_nil(dest) || _ids.is_local(dest)) return fail(L4_error::invalid_space);
    Word number = _ids.number(dest);
    if (number < _system_base) {
        if (!associate_interrupt(t, dest, tc.pager() & _ids.mask())) return fail(L4_error::invalid_thread);
        tc.set_result(1);
        return;
    }
    if (number < _user_base) return fail(L4_error::invalid_thread);  // kernel threads
    auto existing = _threads.find(number);
    Word space_id = tc.space() & _ids.mask();
    Word location = tc.utcb_location() & arch(t).word_mask();
    const Word unchanged = arch(t).word_mask();  // all ones: no new UTCB location
    if (existing == _threads.end()) {
        if (_ids.is_nil(space_id)) {  // deleting what does not exist
            tc.set_result(1);
            return;
        }
        // Create, in a new space (space = dest) or beside an existing thread.
        if (_ids.is_nil(tc.scheduler())) return fail(L4_error::invalid_thread);
        Space* space = nullptr;
        if (space_id == dest) {
            if (!_ids.is_nil(tc.pager())) return fail(L4_error::invalid_space);
            space = &new_space();
        } else {
            Tcb* mate = lookup_space_holder(space_id);
            if (!mate) return fail(L4_error::invalid_space);
            space = mate->space;
        }
        if (!_ids.is_nil(tc.pager())) {
            if (!space->initialized) return fail(L4_error::invalid_space);
            if (location == unchanged || !valid_utcb_location(*space, location)) return fail(L4_error::utcb_area);
        }
        auto tcb = std::make_unique<Tcb>();
        tcb->id = dest;
        tcb->space = space;
        tcb->scheduler = tc.scheduler();
        tcb->cpu = t.cpu;  // the creator's vCPU
        tcb->utcb_location = location;
        tcb->regs.resize(space->abi->arch->regset_bytes);
        space->threads.push_back(tcb.get());
        Tcb& nt = *tcb;
        _threads[number] = std::move(tcb);
        if (!_ids.is_nil(tc.pager())) activate(nt, tc.pager());
        tc.set_result(1);
        return;
    }
    Tcb& et = *existing->second;
    if (_ids.is_nil(space_id)) {
        if (&et == &t) return fail(L4_error::invalid_thread);  // a thread cannot delete itself
        delete_thread(et);
        tc.set_result(1);
        return;
    }
    if (location != unchanged) {
        if (et.state != Thread_state::inactive || !valid_utcb_location(*et.space, location)) return fail(L4_error::utcb_area);
        et.utcb_location = location;
    }
    if (!_ids.is_nil(tc.pager())) {
        if (et.state != Thread_state::inactive) {
            set_tcr_id(et, tcr::pager, tc.pager());
        } else {
            if (!et.space->initialized || !valid_utcb_location(*et.space, et.utcb_location)) return fail(L4_error::utcb_area);
            activate(et, tc.pager());
        }
    }
    if (!_ids.is_nil(tc.scheduler())) et.scheduler = tc.scheduler();
    tc.set_result(1);
}

void Kernel::delete_thread(Tcb& t)
{
    // A transfer it is locked in is aborted (the partner gets code 7); IPC
    // partners are released: its own send is withdrawn, threads sending to
    // it or waiting for it specifically fail with "non-existent" [R].
    stop_running(t);
    if (t.xfer) fail_transfer(*t.xfer, Ipc_error::aborted, Ipc_error::aborted);
    dequeue_sender(t);
    for (auto& [_, other] : _threads) {
        if (other->propagating == &t) other->propagating = nullptr;
        if (other->saved_ipc.propagating == &t) other->saved_ipc.propagating = nullptr;
    }
    // Threads locked in a transfer wait for it, not for their receive
    // partner (unless it is the pager of their string fault).
    std::vector<Tcb*> waiting;
    for (auto& [_, other] : _threads)
        if (other.get() != &t && other->state == Thread_state::receiving &&
            (!other->xfer || other->ipc == Tcb::Ipc_kind::string_fault) && !_ids.is_any(other->receive_from) &&
            !_ids.is_anylocal(other->receive_from) && resolve(*other, other->receive_from) == &t)
            waiting.push_back(other.get());
    std::deque<Tcb*> senders;
    senders.swap(t.senders);
    for (Tcb* s : senders) {
        s->partner = nullptr;
        complete_ipc(*s, 0, ipc::error_word(Ipc_error::no_partner, false));
    }
    for (Tcb* r : waiting) complete_ipc(*r, 0, ipc::error_word(Ipc_error::no_partner, true));
    _ready.remove(t);
    for (Vcpu& c : _cpus)
        if (c.last == &t) c.last = nullptr;
    if (t.host >= 0) {
        _by_host.erase(t.host);
        _host.destroy_thread(t.host);
    }
    Space& space = *t.space;
    space.threads.erase(std::remove(space.threads.begin(), space.threads.end(), &t), space.threads.end());
    _threads.erase(_ids.number(t.id));  // t is gone
    if (space.threads.empty()) destroy_space(space);
}

bool Kernel::valid_utcb_location(const Space& space, Word location) const
{
    Word align = Word(1) << _arch.utcb_a;
    if ((location & (align - 1)) || !space.utcb_area.contains(location) ||
        !space.utcb_area.contains(location + _arch.utcb_size - 1))
        return false;
    for (const Tcb* t : space.threads)  // [R] no two threads on one UTCB
        if (t->state != Thread_state::inactive && t->utcb_location == location) return false;
    return true;
}

// An active thread: a Linux thread in its space's task, a UTCB, and a
// closed wait for its pager's startup message.
void Kernel::activate(Tcb& nt, Word pager)
{
    Space& space = *nt.space;
    Word location = nt.utcb_location;
    Word page = location & ~(page_size - 1);
    map_utcb_page(space, location);
    nt.utcb_frame = space.utcb_frames[page] + (location - page);
    std::memset(_phys.data() + nt.utcb_frame, 0, _arch.utcb_size);
    nt.host = _host.create_thread(space.task);
    _by_host[nt.host] = &nt;
    if (nt.cpu) _host.place(nt.host, nt.cpu);
    _host.set_utcb_pointer(nt.host, nt.local_id(_arch.mr0_offset));
    _host.get_regs(nt.host, nt.regs);
    const Arch_plugin& a = arch(nt);
    // Until its startup message it has no IP or SP of its own (not the
    // host's gate, where the new Linux thread stands): started early by
    // ExchangeRegisters, it faults at 0 like a thread with nothing to run.
    a.set_pc(nt.regs.data(), 0);
    a.set_sp(nt.regs.data(), 0);
    nt.regs_changed = true;
    Utcb_view nu = utcb(nt);
    set_tcr_id(nt, tcr::my_global_id, nt.id);
    set_tcr_id(nt, tcr::pager, pager);
    nu.set(tcr::processor_no, nt.cpu);
    nu.set(tcr::word_size_mask, abi(nt).ids.mask());
    nt.ipc = Tcb::Ipc_kind::startup;
    nt.receive_from = pager & _ids.mask();
    nt.receive_timeout_raw = 0;
    nt.state = Thread_state::receiving;
}

void Kernel::sys_space_control(Tcb& t, Syscall_frame& f)
{
    sys::SpaceControl sc(f);
    auto fail = [&](L4_error e) {
        sc.set_result(0);
        set_error(t, e);
    };
    if (!privileged(t)) return fail(L4_error::no_privilege);
    Tcb* dest = lookup_space_holder(sc.space());
    if (!dest) return fail(L4_error::invalid_space);
    Space& s = *dest->space;
    const Word compat_bit = _arch.compat_control;
    if (compat_bit && (sc.control() & compat_bit) && !s.initialized && !_compat) {
        spdlog::warn("thread {:#x}: SpaceControl asks for a compatibility space ({} code), which this host "
                     "cannot run; refused", t.id, _arch.compat_arch);
        return fail(L4_error::invalid_param);
    }
    if (!s.initialized) {
        // The compat bit counts when the space is set up, before its first
        // thread runs; the areas must lie where its code can reach them.
        const bool compat = compat_bit && (sc.control() & compat_bit);
        const Space_abi& will = compat ? *_compat : *s.abi;
        auto area = [&](Word fp) {
            unsigned sl = static_cast<unsigned>((fp >> 4) & 0x3F);
            Word size = Word(1) << sl;
            return Area{(fp & ~Word(0x3FF)) & ~(size - 1), size};
        };
        Area utcb_area = area(sc.utcb_area()), kip_area = area(sc.kip_area());
        auto in_user = [&](const Area& a) {
            return a.base >= 0x10000 && a.base + a.size <= will.reserved_low && !will.host_owns(a.base + a.size - 1);
        };
        if (utcb_area.size < (Word(1) << _arch.utcb_s) || !in_user(utcb_area)) return fail(L4_error::utcb_area);
        if (kip_area.size < page_size || !in_user(kip_area) || kip_area.contains(utcb_area.base) ||
            utcb_area.contains(kip_area.base))
            return fail(L4_error::kip_area);
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
