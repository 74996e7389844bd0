// Kernel: one system call from trap to resume.  The stub slot the trap came
// from names the call; the arch's generated decoder reads its inputs (ids
// converted at the ABI boundary); a sys_* handler does it on the objects;
// the encoder writes its outputs back; the thread is ready again (Ipc and
// ThreadSwitch decide that themselves).
#include <spdlog/spdlog.h>

#include "core/kernel.hpp"

namespace umol4 {

Word Kernel::kip_stubs_base(const Thread& t) const
{
    return t.arch().kip_entries_relative ? t.space->kip_area.base + kip_stubs_offset : _host.kip_stubs_address();
}

void Kernel::handle_syscall(Thread& t)
{
    _sched.load_regs(t);
    serve_syscall(t);
}

void Kernel::serve_syscall(Thread& t)
{
    ++_stats.syscalls;
    const Arch_plugin& a = t.arch();
    Word pc = a.pc(t.regs.data());
    auto call = a.call_at_stub_offset(pc - kip_stubs_base(t));
    if (!call) {
        // A system-call instruction outside the KIP stubs: L4 code trying
        // Linux.  It never reached Linux (SYSEMU); it is an exception.
        raise_exception(t, Exception::system_call,
                        "system-call instruction outside the KIP stubs (Linux system calls are not available)");
        return;
    }
    if (*call != Syscall::Unmap) t.unmap_progress.reset();  // one preempted goes on only in the same call
    Syscall_frame f;
    _abi.decode(t, *call, f);
    Utcb_view u = _memory.utcb(t);
    for (unsigned i = 0; i < f.mr_in; ++i) u.set_mr(i, f.mr[i]);
    switch (*call) {
    case Syscall::Ipc:
    case Syscall::Lipc:
        ++_stats.ipcs;
        _ipc.sys_ipc(t, f);  // the engine resumes the thread when the IPC completes
        return;
    case Syscall::ThreadSwitch: sys_thread_switch(t, f); return;
    case Syscall::ExchangeRegisters: sys_exchange_registers(t, f); break;
    case Syscall::ThreadControl:
    case Syscall::SpaceControl:
        try {
            if (*call == Syscall::ThreadControl) sys_thread_control(t, f);
            else sys_space_control(t, f);
        } catch (const Host_exhausted& e) {
            // Out of kernel or host resources: the L4 error, not a dead box.
            spdlog::warn("thread {:#x}: {}: {}", t.id, name_of(*call), e.what());
            refuse(t, f, L4_error::no_mem);
        }
        break;
    case Syscall::Schedule: sys_schedule(t, f); break;
    case Syscall::Unmap:
        if (!sys_unmap(t, f)) {
            // Preempted between pages: it goes on after the event loop's
            // round (timeouts, signals, the threads of its priority).
            _sched.restart_call(t, false);
            return;
        }
        break;
    case Syscall::SystemClock: f.out[0] = static_cast<Word>(_sched.since_boot().count()); break;
    case Syscall::ProcessorControl: sys_processor_control(t, f); break;
    case Syscall::MemoryControl: sys_memory_control(t, f); break;
    case Syscall::KernelInterface: break;  // an instruction, never a stub
    }
    for (unsigned i = 0; i < f.mr_out; ++i) f.mr[i] = u.mr(i);
    _abi.encode(t, f);
    t.regs_changed = true;
    _sched.make_ready(t, true);
}

}  // namespace umol4
