// Kernel: a stop of an L4 thread, by kind, to its handler; exceptions to
// the thread's exception handler; a thread that stops for good.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/kernel.hpp"

namespace umol4 {

void Kernel::handle(Thread& t, const Host_event& ev)
{
    using K = Host_event::Kind;
    switch (ev.kind) {
    case K::syscall: handle_syscall(t); break;
    case K::memory_fault: handle_memory_fault(t, ev.fault_address); break;
    case K::breakpoint: handle_breakpoint(t); break;
    case K::illegal: handle_illegal(t); break;
    case K::general_fault: handle_general_fault(t); break;
    case K::arithmetic:
        _sched.load_regs(t);
        raise_exception(t, Exception::divide, "arithmetic exception");
        break;
    case K::alignment:
        _sched.load_regs(t);
        raise_exception(t, Exception::alignment, "misaligned access with alignment checking on");
        break;
    case K::thread_died:
        lose_space(*t.space, fmt::format("the Linux thread of L4 thread {:#x} was killed", t.id));
        break;
    default: break;
    }
}

void Kernel::lose_space(Space& space, const std::string& why)
{
    if (space.lost) return;
    // Its task process died (killed from outside, or by its own L4 code on
    // a trap path that lets it): its threads cannot run again, but nothing
    // of the other spaces depends on that process.  They stay, halted, for
    // their partners' timeouts and for deletion.
    space.lost = true;
    ++_unhandled_faults;
    spdlog::error("{}: its space's task process died; its {} thread(s) stop, the box goes on", why,
                  space.threads.size());
    for (Thread* t : space.threads) {
        _threads.detach_host(*t);
        _sched.lost(*t);
    }
}

void Kernel::registers_refused(Thread& t)
{
    spdlog::debug("thread {:#x}: the host refuses the registers the kernel gave it", t.id);
    _sched.load_regs(t);
    raise_exception(t, Exception::general_protection, "registers the host refuses");
}

void Kernel::raise_exception(Thread& t, Exception e, const std::string& what)
{
    Word handler_id = _abi.tcr_id(t, tcr::exception_handler);
    Thread* handler = ids().is_nil(handler_id) ? nullptr : _threads.lookup(handler_id);
    if (handler && traps(t)) {
        _ipc.start_exception_ipc(t, *handler, traps(t)->exception_number(e));
        return;
    }
    unhandled(t, what);
}

void Kernel::unhandled(Thread& t, const std::string& what)
{
    ++_unhandled_faults;
    Word pc = t.arch().pc(t.regs.data());
    std::string insn = traps(t) ? traps(t)->describe(_memory.read_code(t, pc)) : "";
    spdlog::error("thread {:#x} stopped: {} (ip {:#x}{}{})", t.id, what, pc, insn.empty() ? "" : ": ", insn);
    spdlog::debug("registers: {}", t.arch().format_regs(t.regs.data()));
    _sched.halt(t, what);
}

}  // namespace umol4

