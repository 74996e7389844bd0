// The memory of a box: physical memory (the MemFile), the kernel's frames
// in it (KIPs, UTCBs), the mapping database with the host's cached
// mappings, and what a thread's space makes of a virtual address.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/arch_plugin.hpp"
#include "core/host/host.hpp"
#include "core/mapdb/vm.hpp"
#include "core/objects/space.hpp"
#include "core/objects/thread.hpp"
#include "core/objects/utcb.hpp"

namespace umol4 {

inline constexpr Word page_size = 4096;
constexpr Word page_of(Word a) { return a & ~(page_size - 1); }

class Box_memory {
public:
    // conventional: bytes of the box's physical memory that sigma0 owns;
    // the kernel's frames come from above them.
    Box_memory(Host& host, const Arch_plugin& box_arch, Word conventional);

    Word conventional() const { return _conventional; }
    std::byte* frame(Word offset) { return _phys.data() + offset; }
    // A zeroed frame for the kernel (Host_exhausted when none is left).
    Word allocate_kernel_frame();
    // A space goes: its UTCB frames go back to the kernel's pool.
    void release_frames(Space& space);

    Vm& vm() { return _vm; }
    const Vm& vm() const { return _vm; }
    // Core memory the whole box's mappings may hold (Mapdb::mapping_bytes:
    // nodes and page tables, whatever the layout), and whether a map item
    // may add one more (page-fault replies dip into a reserve of a 16th).
    std::size_t mapping_memory_limit() const { return _mapping_memory_limit; }
    void set_mapping_memory_limit(std::size_t bytes) { _mapping_memory_limit = bytes; }
    bool mapping_allowed(bool fault_reply) const;
    // By default: 64 mappings per frame of a dense layout (40 bytes each).
    static constexpr std::size_t default_mapping_bytes_per_frame = 64 * 40;

    // A thread's UTCB: the box arch's places, the thread's word size.
    Utcb_view utcb(const Thread& t) { return Utcb_view(frame(t.utcb_frame + _box_arch.mr0_offset), t.arch().word_bits / 8); }
    // The kernel frame behind a UTCB location of `space` (mapped on first use).
    Word utcb_frame(Space& space, Word location);
    // A space's mapping of `page`; sigma0's pages of physical memory exist
    // from the start (frame = address) and are made on first use.
    Mapping* mapping_of(Space& s, Word page);
    // Where execution cannot be withheld (ia32's PageInfo), it goes with reading.
    unsigned implied_rights(unsigned rights) const
    {
        return (!(_box_arch.page_rights & rights_x) && (rights & rights_r)) ? rights | rights_x : rights;
    }

    // What a space's threads reach at vaddr with `rights` (nullptr: nothing):
    // its KIP, UTCB pages and mapped pages.
    std::byte* translate(const Space& s, Word vaddr, unsigned rights = 0);
    std::vector<std::uint8_t> read_code(const Thread& t, Word pc);
    std::string read_string(const Thread& t, Word vaddr, std::size_t max = 4096);

private:
    Host& _host;
    const Arch_plugin& _box_arch;
    std::span<std::byte> _phys;
    Word _conventional;
    Word _kernel_next;             // bump allocator of kernel frames
    std::vector<Word> _free_kernel_frames;  // released, taken first
    Vm _vm;
    std::size_t _mapping_memory_limit;
};

}  // namespace umol4
