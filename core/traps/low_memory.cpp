// Kernel: data accesses of L4 threads to pages below the host's low limit
// (Linux's vm.mmap_min_addr), which no task process can map at their own
// address.  The host installs such pages at an alias in the reserved range;
// the core moves the faulting instruction's memory operand onto the alias
// and runs that one instruction, then moves the register back.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/kernel.hpp"

namespace umol4 {

void Kernel::step_low_access(Thread& t, Word address, unsigned access)
{
    _memory.vm().resolve(t.space->vm, address, access);  // the alias installed, the access noted in the page's status
    Word const pc = t.arch().pc(t.regs.data());
    auto code = _memory.read_code(t, pc);
    std::vector<std::byte> regs = t.regs;
    std::optional<Rebased_operand> moved;
    if (traps(t) && traps(t)->rebase_memory_operand && !code.empty())
        moved = traps(t)->rebase_memory_operand(code, regs.data(), t.abi().low_alias, address);
    if (!moved) {
        unhandled(t, fmt::format("access to {:#x} below {:#x}, which this instruction cannot make there", address,
                                 _host.low_limit()));
        return;
    }
    ++_stats.low_steps;
    // Registers the host refuses (segments of the thread's own making) are
    // the thread's exception, not a step the host cannot make.
    if (!_host.set_regs(t.host, regs)) {
        registers_refused(t);
        return;
    }
    Host_event ev = _host.step(t.host, regs);
    switch (ev.kind) {
    case Host_event::Kind::stepped:
        traps(t)->undo_rebase(regs.data(), *moved);
        t.regs = std::move(regs);
        t.regs_changed = true;
        _sched.carry_on(t);
        return;
    case Host_event::Kind::thread_died: handle(t, ev); return;
    case Host_event::Kind::memory_fault: {
        // The instruction touched another page first (the other end of a
        // crossing access, its stack): as if it had faulted there itself.
        if (!_host.set_regs(t.host, t.regs)) {
            registers_refused(t);
            return;
        }
        Word other = ev.fault_address;
        Word const alias = t.abi().low_alias;
        if (other >= alias && other - alias < _host.low_limit()) other -= alias;
        if (page_of(other) == page_of(address)) {
            unhandled(t, fmt::format("access to {:#x} below {:#x} faulted on the page's alias", address,
                                     _host.low_limit()));
            return;
        }
        handle_memory_fault(t, other);
        return;
    }
    default:
        // The code changed under the core (another thread of the space):
        // the thread runs the new instruction as it is.
        spdlog::debug("thread {:#x}: the instruction at {:#x} changed before its step", t.id, pc);
        t.regs_changed = true;
        _sched.make_ready(t, true);
        return;
    }
}

}  // namespace umol4
