// Kernel: ThreadControl (X.2 section 5): threads created, activated,
// modified and deleted.
#include <cstring>

#include "core/kernel.hpp"

namespace umol4 {

void Kernel::sys_thread_control(Thread& t, Syscall_frame& f)
{
    sys::ThreadControl tc(f);
    if (!privileged(t)) return refuse(t, f, L4_error::no_privilege);
    Word dest = tc.dest() & ids().mask();
    if (ids().is_nil(dest) || ids().is_local(dest)) return refuse(t, f, L4_error::invalid_space);
    Word number = ids().number(dest);
    if (number < _threads.system_base()) {
        if (!_irq.associate(dest, tc.pager() & ids().mask())) return refuse(t, f, L4_error::invalid_thread);
        tc.set_result(1);
        return;
    }
    if (number < _threads.user_base()) return refuse(t, f, L4_error::invalid_thread);  // kernel threads
    Thread* existing = _threads.by_number(number);
    Word space_id = tc.space() & ids().mask();
    Word location = tc.utcb_location() & t.arch().word_mask();
    const Word unchanged = t.arch().word_mask();  // all ones: no new UTCB location
    if (!existing) {
        if (ids().is_nil(space_id)) {  // deleting what does not exist
            tc.set_result(1);
            return;
        }
        // Create, in a new space (space = dest) or beside an existing thread.
        if (ids().is_nil(tc.scheduler())) return refuse(t, f, L4_error::invalid_thread);
        Space* space = nullptr;
        if (space_id == dest) {
            if (!ids().is_nil(tc.pager())) return refuse(t, f, L4_error::invalid_space);
            space = &_threads.create_space();
        } else {
            Thread* mate = _threads.lookup_space_holder(space_id);
            if (!mate) return refuse(t, f, L4_error::invalid_space);
            space = mate->space;
        }
        if (!ids().is_nil(tc.pager())) {
            if (!space->initialized) return refuse(t, f, L4_error::invalid_space);
            if (location == unchanged || !valid_utcb_location(*space, location)) return refuse(t, f, L4_error::utcb_area);
        }
        Thread& nt = _threads.create(dest, *space);
        nt.scheduler = tc.scheduler();
        nt.cpu = t.cpu;  // the creator's vCPU
        nt.utcb_location = location;
        if (!ids().is_nil(tc.pager())) activate(nt, tc.pager());
        tc.set_result(1);
        return;
    }
    Thread& et = *existing;
    if (ids().is_nil(space_id)) {
        if (&et == &t) return refuse(t, f, L4_error::invalid_thread);  // a thread cannot delete itself
        delete_thread(et);
        tc.set_result(1);
        return;
    }
    if (location != unchanged) {
        if (et.state != Thread_state::inactive || !valid_utcb_location(*et.space, location)) return refuse(t, f, L4_error::utcb_area);
        et.utcb_location = location;
    }
    if (!ids().is_nil(tc.pager())) {
        if (et.state != Thread_state::inactive) {
            _abi.set_tcr_id(et, tcr::pager, tc.pager());
        } else {
            if (!et.space->initialized || !valid_utcb_location(*et.space, et.utcb_location)) return refuse(t, f, L4_error::utcb_area);
            activate(et, tc.pager());
        }
    }
    if (!ids().is_nil(tc.scheduler())) et.scheduler = tc.scheduler();
    tc.set_result(1);
}

// Every object that points at the thread forgets it first (thread.hpp):
// the IPC engine (its transfer aborted, partners told "non-existent" [R])
// and the scheduler; then its Linux thread ends, and the last thread of a
// space takes the space along.
void Kernel::delete_thread(Thread& t)
{
    _sched.stop_running(t);
    _ipc.forget(t);
    _sched.forget(t);
    if (t.host >= 0 && !t.host_lost) _host.destroy_thread(t.host);
    if (Space* empty = _threads.erase(t)) {  // t is gone
        _memory.release_frames(*empty);
        _threads.destroy_space(*empty);
    }
}

bool Kernel::valid_utcb_location(const Space& space, Word location) const
{
    Word align = Word(1) << _arch.utcb_a;
    if ((location & (align - 1)) || !space.utcb_area.contains(location) ||
        !space.utcb_area.contains(location + _arch.utcb_size - 1))
        return false;
    for (const Thread* t : space.threads)  // [R] no two threads on one UTCB
        if (t->state != Thread_state::inactive && t->utcb_location == location) return false;
    return true;
}

// An active thread: a Linux thread in its space's task, a UTCB, and a
// closed wait for its pager's startup message.
void Kernel::activate(Thread& nt, Word pager)
{
    Space& space = *nt.space;
    // A space whose task process died runs no thread again (ErrorCode 8).
    if (space.lost) throw Host_exhausted("its space's task process died");
    Word location = nt.utcb_location;
    nt.utcb_frame = _memory.utcb_frame(space, location);
    std::memset(_memory.frame(nt.utcb_frame), 0, _arch.utcb_size);
    _threads.attach_host(nt, _host.create_thread(space.task));
    if (nt.cpu) _host.place(nt.host, nt.cpu);
    _host.set_utcb_pointer(nt.host, nt.local_id(_arch.mr0_offset));
    _host.get_regs(nt.host, nt.regs);
    const Arch_plugin& a = nt.arch();
    // Until its startup message it has no IP or SP of its own (not the
    // host's gate, where the new Linux thread stands): started early by
    // ExchangeRegisters, it faults at 0 like a thread with nothing to run.
    a.set_pc(nt.regs.data(), 0);
    a.set_sp(nt.regs.data(), 0);
    nt.regs_changed = true;
    Utcb_view nu = _memory.utcb(nt);
    _abi.set_tcr_id(nt, tcr::my_global_id, nt.id);
    _abi.set_tcr_id(nt, tcr::pager, pager);
    nu.set(tcr::processor_no, nt.cpu);
    nu.set(tcr::word_size_mask, nt.abi().ids.mask());
    nt.ipc = Thread::Ipc_kind::startup;
    nt.receive_from = pager & ids().mask();
    nt.receive_timeout_raw = 0;
    nt.state = Thread_state::receiving;
}

}  // namespace umol4
