// Kernel: the box's objects, its KIPs and its initial servers.
#include "core/kernel.hpp"

#include <cstring>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace umol4 {

Kernel::Kernel(Host& host, const Arch& box_arch, Console& console, Word conventional)
    : Kernel(host, box_arch.abi, box_arch.traps, console, conventional)
{
}

// The box's arch in its two parts, so that each member below is built from
// the part it needs.
Kernel::Kernel(Host& host, const Arch_plugin& arch, const Arch_traps* traps, Console& console, Word conventional)
    : _host(host), _arch(arch),
      _native{.arch = &arch, .traps = traps, .ids = Id_format(arch.word_bits), .host_arch = {},
              .reserved_low = host.reserved_range().first, .reserved_high = host.reserved_range().second,
              .low_alias = host.low_alias()},
      _console(console), _uart(console), _memory(host, arch, conventional), _abi(_memory, arch),
      _threads(host, _memory.vm(), _native, arch.mr0_offset), _sched(host, _memory, *this),
      _ipc(_threads, _sched, _memory, _abi, *this), _irq(_threads, _ipc, _memory, _sched, _uart)
{
    _native.kip_frame = _memory.allocate_kernel_frame();
    _ports.attach(_uart);
}

void Kernel::offer_compat(const Arch& compat)
{
    const Arch_plugin& arch = compat.abi;
    auto layout = _host.task_layout(_arch.compat_arch);
    if (!_arch.compat_control || arch.name != _arch.compat_arch || !layout) return;
    _compat = Space_abi{.arch = &arch, .traps = compat.traps, .ids = Id_format(arch.word_bits), .host_arch = arch.name,
                        .kip_frame = _memory.allocate_kernel_frame(), .reserved_low = layout->reserved_low,
                        .reserved_high = layout->reserved_high, .low_alias = layout->low_alias, .compat = true};
}

void Kernel::install_kip(const Kip_config& config)
{
    _threads.set_bases(config.system_base, config.user_base);
    write_kip(_native, config, _host.kip_stub_code());
    if (_compat) {
        // The same box in the compat arch's words: its stubs, and the
        // virtual address space of its task processes.
        auto layout = _host.task_layout(_compat->host_arch);
        Kip_config c = config;
        c.stubs_address = layout->kip_stubs_address;
        std::erase_if(c.memory, [](const Memory_desc& m) { return m.is_virtual; });
        c.memory.push_back({Memory_type::conventional, 0, true, 0, _compat->reserved_low});
        c.memory.push_back({Memory_type::reserved, 0, true, _compat->reserved_low, _compat->reserved_high});
        write_kip(*_compat, c, layout->kip_stub_code);
    }
}

void Kernel::write_kip(const Space_abi& abi, const Kip_config& config, std::span<const std::byte> code)
{
    std::vector<std::byte> kip = build_kip(*abi.arch, config);
    if (abi.arch->kip_entries_relative) {
        // The stubs live in the KIP page itself (ia32: entries are offsets).
        if (code.size() > kip_size - kip_stubs_offset) throw std::length_error("KIP stubs do not fit the KIP page");
        std::memcpy(kip.data() + kip_stubs_offset, code.data(), code.size());
    }
    std::memcpy(_memory.frame(abi.kip_frame), kip.data(), kip.size());
}

Thread& Kernel::start_initial_server(Word number, Word ip, Word sp, Word pager, bool sigma0)
{
    Space& space = _threads.create_space();
    space.sigma0 = sigma0;
    space.privileged = true;
    space.initialized = true;
    space.kip_area = {0xBFF00000, page_size};
    space.utcb_area = {0xBF000000, std::max<Word>(page_size, Word(_arch.utcb_size) * 256)};
    unsigned kip_rights = rights_r | (_arch.kip_entries_relative ? rights_x : 0);
    _host.map(space.task, space.kip_area.base, page_size, _native.kip_frame, kip_rights);
    Thread& t = _threads.create(ids().make(number, 1), space);
    t.utcb_location = space.utcb_area.base;
    t.priority = 255;
    activate(t, pager);
    // Running at once, from its entry: no startup message.
    t.ipc = Thread::Ipc_kind::none;
    t.arch().set_pc(t.regs.data(), ip);
    t.arch().set_sp(t.regs.data(), sp);
    _sched.make_ready(t);
    return t;
}

void Kernel::finish(Box_exit how, std::string why)
{
    if (_stop) return;
    _stop = true;
    _exit = how;
    _exit_reason = std::move(why);
}

Kernel_stats Kernel::stats() const
{
    Kernel_stats s = _stats;
    s.preemptions = _sched.preemptions();
    return s;
}

}  // namespace umol4
