// Kernel: instructions the core emulates or serves: kernel-debugger
// requests (breakpoints), KernelInterface (an illegal instruction), port
// I/O (a general protection fault).
#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/kernel.hpp"

namespace umol4 {

void Kernel::handle_breakpoint(Thread& t)
{
    ++_stats.kdebug;
    _sched.load_regs(t);
    if (!traps(t)) {
        raise_exception(t, Exception::breakpoint, "breakpoint");
        return;
    }
    Word pc = t.arch().pc(t.regs.data());
    Kdebug_request r = traps(t)->kdebug_request(_memory.read_code(t, pc), t.regs.data());
    if (r.kind == Kdebug_request::Kind::op) {
        switch (static_cast<Kdebug_op>(r.op)) {
        case Kdebug_op::PrintChar: {
            char c = static_cast<char>(r.argument & 0xFF);
            _console.write({&c, 1});
            break;
        }
        case Kdebug_op::PrintString: _console.write(_memory.read_string(t, r.argument)); break;
        case Kdebug_op::ReadChar: {
            auto c = _console.read(false);
            traps(t)->set_kdebug_result(t.regs.data(), c ? static_cast<unsigned char>(*c) : t.abi().ids.mask());
            break;
        }
        case Kdebug_op::ReadChar_Blocked: {
            // Only what is there already: the core never blocks on the
            // host's input (timeouts, signals and other vCPUs go on).
            auto c = _console.input_ready() ? _console.read(false) : std::nullopt;
            traps(t)->set_kdebug_result(t.regs.data(), c ? static_cast<unsigned char>(*c) : t.abi().ids.mask());
            if (!c) {
                // The thread waits, halted, with the end of input (all ones)
                // as its result for now: serve_console_waiters gives it the
                // character that comes; past the end of the input nothing
                // will (a scripted menu ends with its box).  Resumed by
                // ExchangeRegisters, it reads all ones.
                traps(t)->finish_kdebug(t.regs.data(), r);
                t.regs_changed = true;
                _sched.halt(t, _console.at_end() ? "waits for console input past its end" : "waits for console input");
                if (!_console.at_end()) {
                    t.awaits_console = true;
                    _console_waiters.push_back(t.id);
                }
                return;
            }
            break;
        }
        case Kdebug_op::SetThreadName: {
            // Two words at the argument: the thread and its name's address.
            // No debugger lists threads: the name goes to the log only.
            const unsigned wb = t.arch().word_bits / 8;
            Word w[2] = {0, 0};
            bool ok = true;
            for (unsigned i = 0; i < 2 * wb && ok; ++i) {
                const std::byte* p = _memory.translate(*t.space, r.argument + i);
                ok = p != nullptr;
                if (ok) w[i / wb] |= Word(std::to_integer<unsigned>(*p)) << (8 * (i % wb));
            }
            if (ok) spdlog::debug("thread {:#x} names thread {:#x} \"{}\"", t.id, w[0], _memory.read_string(t, w[1], 32));
            break;
        }
        case Kdebug_op::ClearPage:
        case Kdebug_op::ToggleBreakin: break;
        default: r.kind = Kdebug_request::Kind::enter; break;
        }
    }
    if (r.kind != Kdebug_request::Kind::op) {
        std::string msg = r.kind == Kdebug_request::Kind::enter_message ? _memory.read_string(t, r.message, 256) : "";
        _console.write(fmt::format("\n--- kernel debugger entered by thread {:#x} at {:#x}{}{} ---\n", t.id, pc,
                                   msg.empty() ? "" : ": ", msg));
        finish(Box_exit::debugger, msg.empty() ? "kernel debugger entered" : "kernel debugger: " + msg);
        return;
    }
    traps(t)->finish_kdebug(t.regs.data(), r);
    t.regs_changed = true;
    _sched.carry_on(t);
}

void Kernel::serve_console_waiters()
{
    while (!_console_waiters.empty() && _console.input_ready()) {
        Thread* t = _threads.lookup(_console_waiters.front());
        _console_waiters.pop_front();
        if (!t || !t->awaits_console) continue;  // deleted, or resumed by ExchangeRegisters
        auto c = _console.read(false);
        if (!c) break;  // the end of input: it keeps its all ones, and waits for good
        t->awaits_console = false;
        traps(*t)->set_kdebug_result(t->regs.data(), static_cast<unsigned char>(*c));
        t->regs_changed = true;
        t->halted = false;
        _sched.make_ready(*t);
    }
    if (_console.at_end()) {
        for (Word id : _console_waiters)
            if (Thread* t = _threads.lookup(id)) t->awaits_console = false;
        _console_waiters.clear();
    }
}

void Kernel::handle_illegal(Thread& t)
{
    _sched.load_regs(t);
    Word pc = t.arch().pc(t.regs.data());
    auto code = _memory.read_code(t, pc);
    unsigned n = traps(t) ? traps(t)->kernel_interface_length(code) : 0;
    if (!n) {
        raise_exception(t, Exception::invalid_opcode, "invalid instruction");
        return;
    }
    Syscall_frame f;
    f.call = Syscall::KernelInterface;
    sys_kernel_interface(t, f);
    t.arch().encode(f, t.regs.data());
    t.arch().set_pc(t.regs.data(), pc + n);
    t.regs_changed = true;
    _sched.carry_on(t);
}

bool Kernel::at_fault_trap(Thread& t, Word pc, const std::vector<std::uint8_t>& code)
{
    const Arch_plugin& a = t.arch();
    if (a.trap_fault_code.empty() || code.size() < a.trap_fault_code.size() ||
        !std::equal(a.trap_fault_code.begin(), a.trap_fault_code.end(), code.begin()))
        return false;
    return a.call_at_stub_offset(pc + a.trap_bytes - kip_stubs_base(t)).has_value();
}

void Kernel::handle_general_fault(Thread& t)
{
    _sched.load_regs(t);
    Word pc = t.arch().pc(t.regs.data());
    auto code = _memory.read_code(t, pc);
    if (at_fault_trap(t, pc, code)) {
        // The instruction faulted where a system-call instruction would
        // have trapped: the call, pc past the trap as after one.
        t.arch().set_pc(t.regs.data(), pc + t.arch().trap_bytes);
        t.regs_changed = true;
        serve_syscall(t);
        return;
    }
    if (traps(t) && traps(t)->emulate_port_io(code, t.regs.data(), _ports)) {
        t.regs_changed = true;
        _sched.carry_on(t);
        return;
    }
    raise_exception(t, Exception::general_protection, "general protection fault");
}

}  // namespace umol4
