// Kernel: memory faults.  ptrace does not report the hardware's error
// code: the access comes from decoding the instruction; the core resolves
// what the space has (its cache, access status) and the rest goes to the
// pager as page-fault IPC.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/kernel.hpp"

namespace umol4 {

// A fetch faults before the instruction's data
// access, so a fault in the instruction's own page (or right at the next
// page, for one that crosses) is the fetch unless the host has that page
// installed executable.
unsigned Kernel::fault_access(Thread& t, Word address)
{
    Word pc = t.arch().pc(t.regs.data());
    auto installed = _memory.vm().cache(t.space->vm).find(page_of(address));
    bool executable = installed && (installed->prot & rights_x);
    bool at_fetch = page_of(address) == page_of(pc) || (address == page_of(address) && address > pc && address - pc < 16);
    if (at_fetch && !executable) return rights_x;
    auto code = _memory.read_code(t, pc);
    if (!traps(t) || code.empty()) return rights_x;
    auto a = static_cast<unsigned>(traps(t)->fault_access(code));
    return (a & rights_w) ? rights_w : rights_r;
}

void Kernel::handle_memory_fault(Thread& t, Word address)
{
    ++_stats.page_faults;
    _sched.load_regs(t);
    Word pc = t.arch().pc(t.regs.data());
    unsigned access = fault_access(t, address);
    if (t.abi().host_owns(address)) {
        unhandled(t, fmt::format("access to {:#x}, reserved for the host", address));
        return;
    }
    if (t.space->kernel_area(address)) {
        unhandled(t, fmt::format("{} of {:#x} in the KIP or UTCB area", access == rights_w ? "write" : "access", address));
        return;
    }
    Word page = page_of(address);
    if (t.space->sigma0 && !_memory.mapping_of(*t.space, page)) {
        // sigma0 owns physical memory (virtual = physical), nothing else.
        unhandled(t, fmt::format("sigma0 touched {:#x}, outside physical memory", address));
        return;
    }
    if (address < _host.low_limit()) {
        // Linux installs no page here: the core runs the access itself.
        Mapping* m = _memory.mapping_of(*t.space, page);
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
    switch (_memory.vm().resolve(t.space->vm, address, access)) {
    case Vm::Resolution::installed: _sched.carry_on(t); return;
    case Vm::Resolution::stuck:
        unhandled(t, fmt::format("fault at {:#x} (ip {:#x}) on a page installed with all its rights", address, pc));
        return;
    case Vm::Resolution::not_mapped: break;
    }
    ++_stats.faults_to_pagers;
    Word pager = _abi.tcr_id(t, tcr::pager);
    if (ids().is_nil(pager) || !_threads.lookup(pager)) {
        unhandled(t, fmt::format("page fault at {:#x} (ip {:#x}) and no pager", address, pc));
        return;
    }
    _ipc.start_fault_ipc(t, address, access);
}

}  // namespace umol4
