// Kernel: memory of the box, thread and space objects.
#include "core/kernel.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace umol4 {

namespace {
constexpr Word page_size = 4096;
constexpr Word page_of(Word a) { return a & ~(page_size - 1); }
}  // namespace

Kernel::Kernel(Host& host, const Arch_plugin& arch, const Arch_traps* traps, Console& console, Word conventional)
    : _host(host), _arch(arch),
      _native{.arch = &arch, .traps = traps, .ids = Id_format(arch.word_bits), .host_arch = {},
              .reserved_low = host.reserved_range().first, .reserved_high = host.reserved_range().second,
              .low_alias = host.low_alias()},
      _console(console), _uart(console), _ids(arch.word_bits),
      _phys(host.physical()), _conventional(conventional), _kernel_next(conventional), _kernel_space(host, -1, _native),
      // Every frame mapped into 64 spaces on average: about 40 bytes of core
      // memory per mapping, 80 MiB for a 128 MiB box.
      _mapping_limit(64 * (conventional / page_size))
{
    _native.kip_frame = allocate_kernel_frame();
    _ports.attach(_uart);
}

void Kernel::offer_compat(const Arch_plugin& arch, const Arch_traps* traps)
{
    auto layout = _host.task_layout(_arch.compat_arch);
    if (!_arch.compat_control || arch.name != _arch.compat_arch || !layout) return;
    _compat = Space_abi{.arch = &arch, .traps = traps, .ids = Id_format(arch.word_bits), .host_arch = arch.name,
                        .kip_frame = allocate_kernel_frame(), .reserved_low = layout->reserved_low,
                        .reserved_high = layout->reserved_high, .low_alias = layout->low_alias, .compat = true};
}

Word Kernel::allocate_kernel_frame()
{
    if (_kernel_next + page_size > _phys.size()) throw Host_exhausted("kernel memory exhausted");
    Word f = _kernel_next;
    _kernel_next += page_size;
    std::memset(_phys.data() + f, 0, page_size);
    return f;
}

void Kernel::install_kip(const Kip_config& config)
{
    _system_base = config.system_base;
    _user_base = config.user_base;
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
    std::memcpy(_phys.data() + abi.kip_frame, kip.data(), kip.size());
}

Utcb_view Kernel::utcb(const Tcb& t)
{
    // The box arch's places (a compat thread's 32-bit UTCB lies where a
    // 64-bit one would), in the words of the thread's own arch.
    return Utcb_view(_phys.data() + t.utcb_frame + _arch.mr0_offset, arch(t).word_bits / 8);
}

Word Kernel::tcr_id(const Tcb& t, int index)
{
    return box_id(t, utcb(t).get(index));
}

void Kernel::set_tcr_id(const Tcb& t, int index, Word id)
{
    utcb(t).set(index, own_id(t, id));
}

std::byte* Kernel::translate(const Space& s, Word vaddr, unsigned rights)
{
    Word page = page_of(vaddr), off = vaddr - page;
    if (s.kip_area.contains(vaddr)) {
        if (rights & rights_w) return nullptr;
        return vaddr - s.kip_area.base < page_size ? kip_of(s) + (vaddr - s.kip_area.base) : nullptr;
    }
    if (s.utcb_area.contains(vaddr)) {
        auto it = s.utcb_frames.find(page);
        return it == s.utcb_frames.end() ? nullptr : _phys.data() + it->second + off;
    }
    if (const Mapping* m = _vm.db().find(s.vm, page)) {
        if ((m->rights() & rights) != rights) return nullptr;
        return _phys.data() + m->frame() + off;
    }
    return nullptr;
}

std::vector<std::uint8_t> Kernel::read_code(const Tcb& t, Word pc)
{
    std::vector<std::uint8_t> code;
    for (Word a = pc; a < pc + 16; ++a) {
        std::byte* p = translate(*t.space, a);
        if (!p) break;
        code.push_back(static_cast<std::uint8_t>(*p));
    }
    return code;
}

std::string Kernel::read_string(const Tcb& t, Word vaddr, std::size_t max)
{
    std::string s;
    for (Word a = vaddr; s.size() < max; ++a) {
        std::byte* p = translate(*t.space, a);
        if (!p || *p == std::byte{0}) break;
        s.push_back(static_cast<char>(*p));
    }
    return s;
}

Space& Kernel::new_space()
{
    auto s = std::make_unique<Space>(_host, _host.create_task(), _native);
    auto id = _vm.add_space(&s->mappings, _host.mapping_budget());
    if (!id) {
        _host.destroy_task(s->task);
        throw Host_exhausted("too many address spaces");
    }
    s->vm = *id;
    _spaces.push_back(std::move(s));
    return *_spaces.back();
}

// The last thread took its space along: every mapping, with what other
// spaces derived from it, and the task process.
void Kernel::destroy_space(Space& space)
{
    _vm.remove_space(space.vm);
    _host.destroy_task(space.task);
    _spaces.erase(std::remove_if(_spaces.begin(), _spaces.end(), [&](auto& p) { return p.get() == &space; }),
                  _spaces.end());
}

Mapping* Kernel::mapping_of(Space& s, Word page)
{
    if (s.sigma0 && page < _conventional) return _vm.db().root(s.vm, page);
    return _vm.db().find(s.vm, page);
}

void Kernel::map_utcb_page(Space& space, Word utcb_location)
{
    Word page = page_of(utcb_location);
    if (space.utcb_frames.count(page)) return;
    Word frame = allocate_kernel_frame();
    space.utcb_frames[page] = frame;
    _host.map(space.task, page, page_size, frame, rights_r | rights_w);
}

Tcb& Kernel::new_thread(Word id, Space& space, Word utcb_location)
{
    auto t = std::make_unique<Tcb>();
    t->id = id;
    t->space = &space;
    t->utcb_location = utcb_location;
    t->regs.resize(arch(*t).regset_bytes);
    map_utcb_page(space, utcb_location);
    t->utcb_frame = space.utcb_frames[page_of(utcb_location)] + (utcb_location - page_of(utcb_location));
    std::memset(_phys.data() + t->utcb_frame, 0, _arch.utcb_size);
    t->host = _host.create_thread(space.task);
    _host.get_regs(t->host, t->regs);
    _host.set_utcb_pointer(t->host, t->local_id(_arch.mr0_offset));
    _host.get_regs(t->host, t->regs);
    Utcb_view u = utcb(*t);
    set_tcr_id(*t, tcr::my_global_id, id);
    u.set(tcr::processor_no, 0);
    u.set(tcr::word_size_mask, abi(*t).ids.mask());
    space.threads.push_back(t.get());
    Tcb& ref = *t;
    _by_host[t->host] = t.get();
    _threads[_ids.number(id)] = std::move(t);
    return ref;
}

Tcb& Kernel::start_initial_server(Word number, Word ip, Word sp, Word pager, bool sigma0)
{
    Space& space = new_space();
    space.sigma0 = sigma0;
    space.privileged = true;
    space.initialized = true;
    space.kip_area = {0xBFF00000, page_size};
    space.utcb_area = {0xBF000000, std::max<Word>(page_size, Word(_arch.utcb_size) * 256)};
    unsigned kip_rights = rights_r | (_arch.kip_entries_relative ? rights_x : 0);
    _host.map(space.task, space.kip_area.base, page_size, _native.kip_frame, kip_rights);
    Tcb& t = new_thread(_ids.make(number, 1), space, space.utcb_area.base);
    utcb(t).set(tcr::pager, pager);
    t.priority = 255;
    arch(t).set_pc(t.regs.data(), ip);
    arch(t).set_sp(t.regs.data(), sp);
    t.regs_changed = true;
    make_ready(t);
    return t;
}

Tcb* Kernel::lookup(Word id) const
{
    auto it = _threads.find(_ids.number(id));
    if (it == _threads.end() || it->second->id != (id & _ids.mask())) return nullptr;
    return it->second.get();
}

// A global id, or a local id of a thread in the caller's space.
Tcb* Kernel::resolve(const Tcb& caller, Word id) const
{
    if (_ids.is_local(id)) {
        for (Tcb* t : caller.space->threads)
            if (t->local_id(_arch.mr0_offset) == id) return t;
        return nullptr;
    }
    return lookup(id);
}

Word Kernel::id_as_seen_by(const Tcb& receiver, const Tcb& sender) const
{
    return receiver.space == sender.space ? sender.local_id(_arch.mr0_offset) : sender.id;
}

void Kernel::make_ready(Tcb& t, bool front)
{
    t.state = Thread_state::ready;
    if (t.halted) return;
    _ready.push(t, front);
}

void Kernel::carry_on(Tcb& t)
{
    const Vcpu& c = _cpus[t.cpu];
    if (c.last == &t && !c.slice_end) {
        // It was being stopped (its slice was over, or a thread of higher
        // priority woke) when it trapped: that preemption takes effect now.
        preempted(t);
        return;
    }
    make_ready(t, true);
    if (t.halted) return;
    _ready.donate(t);
    t.carried_on = true;
}

void Kernel::load_regs(Tcb& t)
{
    _host.get_regs(t.host, t.regs);
    t.regs_changed = false;
}

void Kernel::halt(Tcb& t, const std::string& why)
{
    t.halted = true;
    t.state = Thread_state::halted;
    _ready.remove(t);
    spdlog::debug("thread {:#x} halted: {}", t.id, why);
}

void Kernel::finish(Box_exit how, std::string why)
{
    if (_stop) return;
    _stop = true;
    _exit = how;
    _exit_reason = std::move(why);
}

void Kernel::set_deterministic(bool on)
{
    _deterministic = on;
    _virtual_now = _boot_time;
}

void Kernel::set_cpus(unsigned n)
{
    _cpus.assign(n, Vcpu{});
    _ready = Ready_queues(n);
}

}  // namespace umol4
