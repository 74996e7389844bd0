// Kernel: the system calls with little to do: KernelInterface,
// ThreadSwitch, ProcessorControl, MemoryControl.
#include "core/kernel.hpp"

namespace umol4 {

void Kernel::sys_kernel_interface(Thread& t, Syscall_frame& f)
{
    sys::KernelInterface ki(f);
    ki.set_kip_base(t.space->kip_area.base);
    ki.set_api_version(kip_api_version);
    ki.set_api_flags(t.arch().api_flags);
    ki.set_kernel_id(kip_kernel_id);
}

// nil: yield to the back of the ready threads.  A ready thread: it runs
// next, on the caller's time; the caller stays ready.
void Kernel::sys_thread_switch(Thread& t, Syscall_frame& f)
{
    _abi.encode(t, f);
    t.regs_changed = true;
    // Always: the pending-preemption flag clears, the delay budget refills.
    Utcb_view u = _memory.utcb(t);
    u.set(tcr::flags, layout::Preemption_flags{u.get(tcr::flags)}.set_pending(0).raw);
    t.delay_budget = t.max_delay;
    sys::ThreadSwitch ts(f);
    Thread* dest = ids().is_nil(ts.dest()) ? nullptr : _threads.resolve(t, ts.dest());
    if (dest && dest != &t && dest->cpu == t.cpu && _sched.queued(*dest)) {
        _sched.make_ready(t, true);
        _sched.donate(*dest);
    } else {
        _sched.make_ready(t, dest == &t);
    }
}

void Kernel::sys_processor_control(Thread& t, Syscall_frame& f)
{
    sys::ProcessorControl pc(f);
    pc.set_result(privileged(t) ? 1 : 0);
    if (!privileged(t)) set_error(t, L4_error::no_privilege);
}

// Caching attributes have no meaning here: default (0) is accepted.
void Kernel::sys_memory_control(Thread& t, Syscall_frame& f)
{
    sys::MemoryControl mc(f);
    bool ok = privileged(t) && mc.attribute0() == 0 && mc.attribute1() == 0 && mc.attribute2() == 0 &&
              mc.attribute3() == 0;
    mc.set_result(ok ? 1 : 0);
    if (!ok) set_error(t, privileged(t) ? L4_error::invalid_param : L4_error::no_privilege);
}

}  // namespace umol4
