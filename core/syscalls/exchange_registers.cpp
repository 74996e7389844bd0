// Kernel: ExchangeRegisters (X.2 section 4).
#include "core/kernel.hpp"

namespace umol4 {

// Its own space's threads; with pagerexregs also those in its pager's space.
bool Kernel::may_exchange_registers(Thread& t, Thread& dest)
{
    if (dest.space == t.space) return true;
    if (!_pager_exregs) return false;
    Thread* pager = _threads.lookup(_abi.tcr_id(dest, tcr::pager));
    return pager && pager->space == t.space;
}

void Kernel::sys_exchange_registers(Thread& t, Syscall_frame& f)
{
    sys::ExchangeRegisters x(f);
    Thread* dest = _threads.resolve(t, x.dest());
    if (!dest || !may_exchange_registers(t, *dest) || dest->state == Thread_state::inactive) {
        for (auto& w : f.out) w = 0;
        set_error(t, L4_error::invalid_thread);
        return;
    }
    layout::Exregs_control control{x.control()};
    _sched.stop_running(*dest);  // its registers, as of now
    Utcb_view u = _memory.utcb(*dest);
    // Old values first.
    x.set_result(ids().is_local(x.dest()) ? dest->id : dest->local_id(_arch.mr0_offset));
    const Arch_plugin& da = dest->arch();
    x.set_old_sp(da.sp(dest->regs.data()));
    x.set_old_ip(da.pc(dest->regs.data()));
    x.set_old_flags(da.flags(dest->regs.data()));
    x.set_old_user_handle(u.get(tcr::user_defined_handle));
    x.set_old_pager(_abi.tcr_id(*dest, tcr::pager));
    bool receiving = dest->state == Thread_state::receiving, sending = dest->state == Thread_state::sending;
    if (dest->xfer) {
        // Locked in a transfer (perhaps taking a string fault): its own phase.
        sending = dest->xfer->sender == dest;
        receiving = !sending;
    }
    x.set_old_control(layout::Exregs_control{}.set_halt(dest->halted).set_cancel_receive(receiving).set_cancel_send(sending).raw);
    // Then the changes, in the manual's order.
    if (control.set_sp()) { da.set_sp(dest->regs.data(), x.sp()); dest->regs_changed = true; }
    if (control.set_ip()) { da.set_pc(dest->regs.data(), x.ip()); dest->regs_changed = true; }
    if (control.set_flags()) { da.set_user_flags(dest->regs.data(), x.flags()); dest->regs_changed = true; }
    // A preempted Unmap does not go on from elsewhere: its next Unmap is new.
    if (control.set_sp() || control.set_ip()) dest->unmap_progress.reset();
    if (control.set_user_handle()) u.set(tcr::user_defined_handle, x.user_handle());
    if (control.set_pager()) _abi.set_tcr_id(*dest, tcr::pager, x.pager());
    if (dest != &t) {
        _ipc.abort(*dest, control.cancel_send(), control.cancel_receive());
        if (control.apply_halt()) {
            if (control.halt()) {
                dest->halted = true;
                _sched.unready(*dest);
            } else if (dest->halted) {
                dest->halted = false;
                dest->awaits_console = false;  // it goes on with "no input" (all ones)
                if (!dest->blocked()) _sched.make_ready(*dest);
            }
        }
    }
}

}  // namespace umol4
