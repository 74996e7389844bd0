// Kernel: what to do when an L4 thread stops: system calls, page faults,
// kernel-debugger requests, KernelInterface, port I/O, exceptions.
#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/kernel.hpp"

namespace umol4 {

namespace {
constexpr Word page_size = 4096;
constexpr Word page_of(Word a) { return a & ~(page_size - 1); }
}  // namespace

void Kernel::handle(Tcb& t, const Host_event& ev)
{
    using K = Host_event::Kind;
    switch (ev.kind) {
    case K::syscall: handle_syscall(t); break;
    case K::memory_fault: handle_memory_fault(t, ev.fault_address); break;
    case K::breakpoint: handle_breakpoint(t); break;
    case K::illegal: handle_illegal(t); break;
    case K::general_fault: handle_general_fault(t); break;
    case K::arithmetic:
        load_regs(t);
        raise_exception(t, Exception::divide, "arithmetic exception");
        break;
    case K::thread_died:
        _by_host.erase(t.host);
        // Its task cannot be trusted any more: the box stops (exit 1).
        spdlog::error("the Linux thread of L4 thread {:#x} was killed from outside; the box stops", t.id);
        finish(Box_exit::faulted, fmt::format("the Linux thread of L4 thread {:#x} was killed", t.id));
        break;
    default: break;
    }
}

void Kernel::handle_syscall(Tcb& t)
{
    ++_stats.syscalls;
    load_regs(t);
    const Arch_plugin& a = arch(t);
    Word pc = a.pc(t.regs.data());
    Word base = a.kip_entries_relative ? t.space->kip_area.base + kip_stubs_offset : _host.kip_stubs_address();
    auto call = a.call_at_stub_offset(pc - base);
    if (!call) {
        // A system-call instruction outside the KIP stubs: L4 code trying
        // Linux.  It never reached Linux (SYSEMU); it is an exception.
        raise_exception(t, Exception::system_call,
                        "system-call instruction outside the KIP stubs (Linux system calls are not available)");
        return;
    }
    Syscall_frame f;
    decode(t, *call, f);
    Utcb_view u = utcb(t);
    for (unsigned i = 0; i < f.mr_in; ++i) u.set_mr(i, f.mr[i]);
    bool done = true;
    switch (*call) {
    case Syscall::Ipc:
    case Syscall::Lipc:
        ++_stats.ipcs;
        sys_ipc(t, f);
        done = false;  // complete_ipc() resumes the thread
        break;
    case Syscall::ExchangeRegisters: sys_exchange_registers(t, f); break;
    case Syscall::ThreadControl:
    case Syscall::SpaceControl:
        try {
            if (*call == Syscall::ThreadControl) sys_thread_control(t, f);
            else sys_space_control(t, f);
        } catch (const Host_exhausted& e) {
            // Out of kernel or host resources: the L4 error, not a dead box.
            spdlog::warn("thread {:#x}: {}: {}", t.id, name_of(*call), e.what());
            f.out[0] = 0;
            set_error(t, L4_error::no_mem);
        }
        break;
    case Syscall::Schedule: sys_schedule(t, f); break;
    case Syscall::Unmap: sys_unmap(t, f); break;
    case Syscall::SystemClock:
        f.out[0] = static_cast<Word>(std::chrono::duration_cast<std::chrono::microseconds>(now() - _boot_time).count());
        break;
    case Syscall::ThreadSwitch: {
        // nil: yield to the back of the ready threads.  A ready thread:
        // it runs next, on the caller's time; the caller stays ready.
        encode(t, f);
        t.regs_changed = true;
        // Always: the pending-preemption flag clears, the delay budget refills.
        u.set(tcr::flags, u.get(tcr::flags) & ~Word(0x80));
        t.delay_budget = t.max_delay;
        Tcb* dest = _ids.is_nil(f.in[0]) ? nullptr : resolve(t, f.in[0]);
        if (dest && dest != &t && dest->cpu == t.cpu && _ready.contains(*dest)) {
            make_ready(t, true);
            _ready.donate(*dest);
        } else if (dest == &t) {
            make_ready(t, true);
        } else {
            make_ready(t, false);
        }
        return;
    }
    case Syscall::ProcessorControl:
        f.out[0] = privileged(t) ? 1 : 0;
        if (!privileged(t)) set_error(t, L4_error::no_privilege);
        break;
    case Syscall::MemoryControl: {
        // Caching attributes have no meaning here: default (0) is accepted.
        bool ok = privileged(t);
        for (unsigned a = 1; a <= 4 && ok; ++a) ok = f.in[a] == 0;
        f.out[0] = ok ? 1 : 0;
        if (!ok) set_error(t, privileged(t) ? L4_error::invalid_param : L4_error::no_privilege);
        break;
    }
    case Syscall::KernelInterface: break;  // an instruction, never a stub
    }
    if (!done) return;
    for (unsigned i = 0; i < f.mr_out; ++i) f.mr[i] = u.mr(i);
    encode(t, f);
    t.regs_changed = true;
    make_ready(t, true);
}

// ptrace does not report the hardware's error code: the access comes from
// decoding the instruction.  A fetch faults before the instruction's data
// access, so a fault in the instruction's own page (or right at the next
// page, for one that crosses) is the fetch unless the host has that page
// installed executable.
unsigned Kernel::fault_access(Tcb& t, Word address)
{
    Word pc = arch(t).pc(t.regs.data());
    auto installed = _vm.cache(t.space->vm).find(page_of(address));
    bool executable = installed && (installed->prot & rights_x);
    bool at_fetch = page_of(address) == page_of(pc) || (address == page_of(address) && address > pc && address - pc < 16);
    if (at_fetch && !executable) return rights_x;
    auto code = read_code(t, pc);
    if (!traps(t) || code.empty()) return rights_x;
    auto a = static_cast<unsigned>(traps(t)->fault_access(code));
    return (a & rights_w) ? rights_w : rights_r;
}

void Kernel::handle_memory_fault(Tcb& t, Word address)
{
    ++_stats.page_faults;
    load_regs(t);
    Word pc = arch(t).pc(t.regs.data());
    unsigned access = fault_access(t, address);
    if (abi(t).host_owns(address)) {
        unhandled(t, fmt::format("access to {:#x}, reserved for the host", address));
        return;
    }
    if (t.space->kernel_area(address)) {
        unhandled(t, fmt::format("{} of {:#x} in the KIP or UTCB area", access == rights_w ? "write" : "access", address));
        return;
    }
    Word page = page_of(address);
    if (t.space->sigma0 && !mapping_of(*t.space, page)) {
        // sigma0 owns physical memory (virtual = physical), nothing else.
        unhandled(t, fmt::format("sigma0 touched {:#x}, outside physical memory", address));
        return;
    }
    if (address < _host.low_limit()) {
        // Linux installs no page here: the core runs the access itself.
        Mapping* m = mapping_of(*t.space, page);
        if (m && (m->rights() & access) == access) {
            if (access == rights_x)
                unhandled(t, fmt::format("code at {:#x} below {:#x} does not run (data accesses there are emulated)",
                                         address, _host.low_limit()));
            else
                step_low_access(t, address, access);
            return;
        }
    }
    // A page the space has (dropped from the host's cache, or installed
    // with fewer rights to note its access status) needs no pager.
    switch (_vm.resolve(t.space->vm, address, access)) {
    case Vm::Resolution::installed: carry_on(t); return;
    case Vm::Resolution::stuck:
        unhandled(t, fmt::format("fault at {:#x} (ip {:#x}) on a page installed with all its rights", address, pc));
        return;
    case Vm::Resolution::not_mapped: break;
    }
    ++_stats.faults_to_pagers;
    Word pager = tcr_id(t, tcr::pager);
    if (_ids.is_nil(pager) || !lookup(pager)) {
        unhandled(t, fmt::format("page fault at {:#x} (ip {:#x}) and no pager", address, pc));
        return;
    }
    start_fault_ipc(t, address, access);
}

void Kernel::handle_breakpoint(Tcb& t)
{
    ++_stats.kdebug;
    load_regs(t);
    if (!traps(t)) {
        raise_exception(t, Exception::breakpoint, "breakpoint");
        return;
    }
    Word pc = arch(t).pc(t.regs.data());
    Kdebug_request r = traps(t)->kdebug_request(read_code(t, pc), t.regs.data());
    if (r.kind == Kdebug_request::Kind::op) {
        switch (static_cast<Kdebug_op>(r.op)) {
        case Kdebug_op::PrintChar: {
            char c = static_cast<char>(r.argument & 0xFF);
            _console.write({&c, 1});
            break;
        }
        case Kdebug_op::PrintString: _console.write(read_string(t, r.argument)); break;
        case Kdebug_op::ReadChar: {
            auto c = _console.read(false);
            traps(t)->set_kdebug_result(t.regs.data(), c ? static_cast<unsigned char>(*c) : abi(t).ids.mask());
            break;
        }
        case Kdebug_op::ReadChar_Blocked: {
            auto c = _console.read(true);
            traps(t)->set_kdebug_result(t.regs.data(), c ? static_cast<unsigned char>(*c) : abi(t).ids.mask());
            if (!c) {
                // Past the end of the console input nothing will come: the
                // thread waits for good (a scripted menu ends with its box).
                // Resumed by ExchangeRegisters, it reads the end (all ones).
                traps(t)->finish_kdebug(t.regs.data(), r);
                t.regs_changed = true;
                halt(t, "waits for console input past its end");
                return;
            }
            break;
        }
        case Kdebug_op::SetThreadName: {
            // Two words at the argument: the thread and its name's address.
            // No debugger lists threads: the name goes to the log only.
            const unsigned wb = arch(t).word_bits / 8;
            Word w[2] = {0, 0};
            bool ok = true;
            for (unsigned i = 0; i < 2 * wb && ok; ++i) {
                const std::byte* p = translate(*t.space, r.argument + i);
                ok = p != nullptr;
                if (ok) w[i / wb] |= Word(std::to_integer<unsigned>(*p)) << (8 * (i % wb));
            }
            if (ok) spdlog::debug("thread {:#x} names thread {:#x} \"{}\"", t.id, w[0], read_string(t, w[1], 32));
            break;
        }
        case Kdebug_op::ClearPage:
        case Kdebug_op::ToggleBreakin: break;
        default: r.kind = Kdebug_request::Kind::enter; break;
        }
    }
    if (r.kind != Kdebug_request::Kind::op) {
        std::string msg = r.kind == Kdebug_request::Kind::enter_message ? read_string(t, r.message, 256) : "";
        _console.write(fmt::format("\n--- kernel debugger entered by thread {:#x} at {:#x}{}{} ---\n", t.id, pc,
                                   msg.empty() ? "" : ": ", msg));
        finish(Box_exit::debugger, msg.empty() ? "kernel debugger entered" : "kernel debugger: " + msg);
        return;
    }
    traps(t)->finish_kdebug(t.regs.data(), r);
    t.regs_changed = true;
    carry_on(t);
}

void Kernel::handle_illegal(Tcb& t)
{
    load_regs(t);
    Word pc = arch(t).pc(t.regs.data());
    auto code = read_code(t, pc);
    unsigned n = traps(t) ? traps(t)->kernel_interface_length(code) : 0;
    if (!n) {
        raise_exception(t, Exception::invalid_opcode, "invalid instruction");
        return;
    }
    Syscall_frame f;
    f.call = Syscall::KernelInterface;
    sys_kernel_interface(t, f);
    arch(t).encode(f, t.regs.data());
    arch(t).set_pc(t.regs.data(), pc + n);
    t.regs_changed = true;
    carry_on(t);
}

void Kernel::handle_general_fault(Tcb& t)
{
    load_regs(t);
    auto code = read_code(t, arch(t).pc(t.regs.data()));
    if (traps(t) && traps(t)->emulate_port_io(code, t.regs.data(), _ports)) {
        t.regs_changed = true;
        carry_on(t);
        return;
    }
    raise_exception(t, Exception::general_protection, "general protection fault");
}

void Kernel::raise_exception(Tcb& t, Exception e, const std::string& what)
{
    Word handler_id = tcr_id(t, tcr::exception_handler);
    Tcb* handler = _ids.is_nil(handler_id) ? nullptr : lookup(handler_id);
    if (handler && traps(t)) {
        start_exception_ipc(t, *handler, e);
        return;
    }
    unhandled(t, what);
}

void Kernel::start_exception_ipc(Tcb& t, Tcb& handler, Exception e)
{
    Utcb_view u = utcb(t);
    const unsigned n = arch(t).exception_words;
    t.saved_mrs.assign(n + 2, 0);
    for (unsigned i = 0; i <= n; ++i) t.saved_mrs[i] = u.mr(i);
    t.saved_mrs[n + 1] = u.br(0);
    t.saved.error = u.get(tcr::error_code);
    t.saved.vsender = u.get(tcr::virtual_sender);
    std::vector<Word> mr(n);
    arch(t).exception_message(t.regs.data(), traps(t)->exception_number(e), 0, mr.data());
    Word label = ((Word(0) - 5) << 4) & (abi(t).ids.mask() >> 16);
    u.set_mr(0, (label << 16) | n);
    for (unsigned i = 0; i < n; ++i) u.set_mr(i + 1, mr[i] & abi(t).ids.mask());
    u.set_br(0, 0);
    t.ipc = Tcb::Ipc_kind::exception;
    ipc(t, handler.id, handler.id, 0);
}

void Kernel::unhandled(Tcb& t, const std::string& what)
{
    ++_unhandled_faults;
    Word pc = arch(t).pc(t.regs.data());
    std::string insn = traps(t) ? traps(t)->describe(read_code(t, pc)) : "";
    spdlog::error("thread {:#x} stopped: {} (ip {:#x}{}{})", t.id, what, pc, insn.empty() ? "" : ": ", insn);
    spdlog::debug("registers: {}", arch(t).format_regs(t.regs.data()));
    halt(t, what);
}

}  // namespace umol4
