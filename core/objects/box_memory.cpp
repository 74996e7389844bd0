// Box_memory: kernel frames, UTCB frames, translation of a space's addresses.
#include "core/objects/box_memory.hpp"

#include <cstring>

namespace umol4 {

Box_memory::Box_memory(Host& host, const Arch_plugin& box_arch, Word conventional)
    : _host(host), _box_arch(box_arch), _phys(host.physical()), _conventional(conventional),
      _kernel_next(conventional),
      // 80 MiB for a 128 MiB box.
      _mapping_memory_limit(default_mapping_bytes_per_frame * (conventional / page_size))
{
}

Word Box_memory::allocate_kernel_frame()
{
    Word f;
    if (!_free_kernel_frames.empty()) {
        f = _free_kernel_frames.back();
        _free_kernel_frames.pop_back();
    } else {
        if (_kernel_next + page_size > _phys.size()) throw Host_exhausted("kernel memory exhausted");
        f = _kernel_next;
        _kernel_next += page_size;
    }
    std::memset(_phys.data() + f, 0, page_size);
    return f;
}

void Box_memory::release_frames(Space& space)
{
    for (const auto& [page, frame] : space.utcb_frames) _free_kernel_frames.push_back(frame);
    space.utcb_frames.clear();
}

bool Box_memory::mapping_allowed(bool fault_reply) const
{
    // Past the limit, only page-fault replies still map (from a reserve of
    // a sixteenth), so a box at its limit keeps running.
    std::size_t limit = _mapping_memory_limit + (fault_reply ? _mapping_memory_limit / 16 : 0);
    return _vm.db().mapping_bytes() < limit;
}

Word Box_memory::utcb_frame(Space& space, Word location)
{
    Word page = page_of(location);
    auto it = space.utcb_frames.find(page);
    if (it == space.utcb_frames.end()) {
        Word frame = allocate_kernel_frame();
        it = space.utcb_frames.emplace(page, frame).first;
        _host.map(space.task, page, page_size, frame, rights_r | rights_w);
    }
    return it->second + (location - page);
}

Mapping* Box_memory::mapping_of(Space& s, Word page)
{
    if (s.sigma0 && page < _conventional) return _vm.db().root(s.vm, page);
    return _vm.db().find(s.vm, page);
}

std::byte* Box_memory::translate(const Space& s, Word vaddr, unsigned rights)
{
    Word page = page_of(vaddr), off = vaddr - page;
    if (s.kip_area.contains(vaddr)) {
        if (rights & rights_w) return nullptr;
        return vaddr - s.kip_area.base < page_size ? frame(s.abi->kip_frame) + (vaddr - s.kip_area.base) : nullptr;
    }
    if (s.utcb_area.contains(vaddr)) {
        auto it = s.utcb_frames.find(page);
        return it == s.utcb_frames.end() ? nullptr : frame(it->second) + off;
    }
    if (const Mapping* m = _vm.db().find(s.vm, page)) {
        if ((m->rights() & rights) != rights) return nullptr;
        return frame(m->frame()) + off;
    }
    return nullptr;
}

std::vector<std::uint8_t> Box_memory::read_code(const Thread& t, Word pc)
{
    std::vector<std::uint8_t> code;
    for (Word a = pc; a < pc + 16; ++a) {
        std::byte* p = translate(*t.space, a);
        if (!p) break;
        code.push_back(static_cast<std::uint8_t>(*p));
    }
    return code;
}

std::string Box_memory::read_string(const Thread& t, Word vaddr, std::size_t max)
{
    std::string s;
    for (Word a = vaddr; s.size() < max; ++a) {
        std::byte* p = translate(*t.space, a);
        if (!p || *p == std::byte{0}) break;
        s.push_back(static_cast<char>(*p));
    }
    return s;
}

}  // namespace umol4
