// ELF images of L4 programs: their loadable segments, checked, and loading
// them at physical address = link address, as a boot loader does.
#pragma once

#include "core/syscall.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace umol4 {

// Segments are checked and rounded with 4 KiB pages on every arch: it is the
// smallest page any of them maps, and the unit sigma0 hands out.
inline constexpr Word elf_page_size = 4096;

struct Elf_segment {
    Word vaddr;        // link address = physical address it is loaded at
    Word memsz;        // bytes in memory (> 0)
    Word filesz;       // bytes from the file (<= memsz); the rest is zero
    Word file_offset;  // where those bytes start in the file; no alignment required
    bool read, write, exec;
};

struct Elf_image {
    std::string path;
    std::string arch;                   // "x86_64", "ia32", "aarch64" or "riscv64"
    unsigned word_bits;                 // 32 or 64
    Word entry;                         // inside an executable segment
    std::vector<Elf_segment> segments;  // PT_LOAD with memsz > 0, sorted by vaddr, no shared pages
    Word low, high;                     // page-rounded extent [low, high) of all segments
    std::vector<std::byte> contents;    // the whole file, kept for loading
};

// Reads and checks the image at path.  Every segment must lie inside the
// physical memory [phys_low, phys_high), whose ends are page-aligned
// (std::invalid_argument otherwise).  Throws Boot_error "<path>: <problem>".
Elf_image read_elf_image(const std::string& path, Word phys_low, Word phys_high);

// Copies each segment's file bytes to physical[vaddr...] and zero-fills it up
// to memsz; other bytes are left alone.  physical holds the box's physical
// memory from address 0.  Throws Boot_error if a segment does not fit in it.
void load_elf_image(const Elf_image& image, std::span<std::byte> physical);

}  // namespace umol4
