// Reading ELF images with LLVM's Object library, checking their segments
// against the box's physical memory, and copying them into it.
#include "core/boot/elf_image.hpp"

#include "core/boot/boot_error.hpp"

#include <fmt/format.h>
#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELF.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace umol4 {
namespace {

namespace ELF = llvm::ELF;

[[noreturn]] void fail(const std::string& path, const std::string& problem)
{
    throw Boot_error(path + ": " + problem);
}

constexpr Word page_down(Word a) { return a & ~(elf_page_size - 1); }
// Only used on ends inside a page-aligned physical range, so it cannot wrap.
constexpr Word page_up(Word a) { return page_down(a + elf_page_size - 1); }

// Segment ends are only computed after the range check; before it a hostile
// memsz could wrap, so a segment is then named by start and size.
std::string describe(const Elf_segment& s)
{
    if (s.memsz > std::numeric_limits<Word>::max() - s.vaddr)
        return fmt::format("0x{:x} (0x{:x} bytes)", s.vaddr, s.memsz);
    return fmt::format("0x{:x}-0x{:x}", s.vaddr, s.vaddr + s.memsz);
}

std::string arch_of(const std::string& path, unsigned machine, unsigned word_bits)
{
    const std::string name = ELF::convertEMachineToArchName(machine).str();
    for (const Known_arch& a : known_arches) {  // the description's arches
        if (a.elf_machine != machine)
            continue;
        if (a.word_bits != word_bits)
            fail(path, fmt::format("machine {} ({}) in a {}-bit ELF file (UMOL4 runs {} with {}-bit ELF files)",
                                   machine, name, word_bits, a.name, a.word_bits));
        return std::string(a.name);
    }
    fail(path, fmt::format("unsupported machine {} ({})", machine, name));
}

const char* type_name(unsigned type)
{
    switch (type) {
    case ELF::ET_NONE: return "none";
    case ELF::ET_REL: return "relocatable object";
    case ELF::ET_DYN: return "shared object or position-independent executable";
    case ELF::ET_CORE: return "core dump";
    default: return "unknown";
    }
}

std::vector<std::byte> read_file(const std::string& path)
{
    // A FIFO or device could block or never end: only regular files are read.
    llvm::sys::fs::file_status status;
    if (std::error_code ec = llvm::sys::fs::status(path, status))
        fail(path, "cannot open: " + ec.message());
    if (!llvm::sys::fs::is_regular_file(status))
        fail(path, "not a regular file");
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
    if (!buffer)
        fail(path, "cannot open: " + buffer.getError().message());
    const auto bytes = (*buffer)->getBuffer();
    const auto* begin = reinterpret_cast<const std::byte*>(bytes.data());
    return {begin, begin + bytes.size()};
}

// Header and program headers of one ELF class, through LLVM's bounds checks.
template <class ELFT>
void read_headers(Elf_image& image)
{
    const llvm::StringRef buffer(reinterpret_cast<const char*>(image.contents.data()), image.contents.size());
    if (buffer.size() < sizeof(typename ELFT::Ehdr))
        fail(image.path, "truncated ELF header");
    auto file = llvm::object::ELFFile<ELFT>::create(buffer);
    if (!file)
        fail(image.path, llvm::toString(file.takeError()));
    const auto& header = file->getHeader();

    image.word_bits = ELFT::Is64Bits ? 64 : 32;
    image.arch = arch_of(image.path, header.e_machine, image.word_bits);
    if (header.e_type != ELF::ET_EXEC)
        fail(image.path, fmt::format("not an executable (ELF type {}, {})", unsigned(header.e_type),
                                     type_name(header.e_type)));
    image.entry = header.e_entry;

    auto phdrs = file->program_headers();
    if (!phdrs)
        fail(image.path, llvm::toString(phdrs.takeError()));
    for (const auto& ph : *phdrs) {
        if (ph.p_type != ELF::PT_LOAD || ph.p_memsz == 0)
            continue;
        image.segments.push_back({.vaddr = ph.p_vaddr,
                                  .memsz = ph.p_memsz,
                                  .filesz = ph.p_filesz,
                                  .file_offset = ph.p_offset,
                                  .read = (ph.p_flags & ELF::PF_R) != 0,
                                  .write = (ph.p_flags & ELF::PF_W) != 0,
                                  .exec = (ph.p_flags & ELF::PF_X) != 0});
    }
}

// Each segment on its own: sizes, file bounds, physical range.  The range
// check is what bounds memsz, so nothing later can allocate or copy huge sizes.
void check_segment(const Elf_image& image, const Elf_segment& s, Word phys_low, Word phys_high)
{
    if (s.filesz > s.memsz)
        fail(image.path, fmt::format("segment at 0x{:x} has file size 0x{:x} larger than memory size 0x{:x}",
                                     s.vaddr, s.filesz, s.memsz));
    if (s.vaddr < phys_low || s.vaddr >= phys_high || s.memsz > phys_high - s.vaddr)
        fail(image.path, fmt::format("segment {} outside physical memory 0x{:x}-0x{:x}", describe(s),
                                     phys_low, phys_high));
    const Word size = image.contents.size();
    // A segment without file data (.bss only) may name any offset.
    if (s.filesz != 0 && (s.file_offset > size || s.filesz > size - s.file_offset))
        fail(image.path, fmt::format("segment at 0x{:x} has data beyond the end of the file "
                                     "(offset 0x{:x}, 0x{:x} bytes; the file has 0x{:x})",
                                     s.vaddr, s.file_offset, s.filesz, size));
}

// The segments together: no page holds two of them (each page of a box is
// mapped with one segment's rights), and the entry point is code.
void check_layout(const Elf_image& image)
{
    const auto& segs = image.segments;
    for (std::size_t i = 1; i < segs.size(); ++i) {
        const auto& a = segs[i - 1];
        const auto& b = segs[i];
        if (a.vaddr + a.memsz > b.vaddr)
            fail(image.path, fmt::format("segments {} and {} overlap", describe(a), describe(b)));
        if (page_up(a.vaddr + a.memsz) > page_down(b.vaddr))
            fail(image.path, fmt::format("segments {} and {} overlap in the page at 0x{:x}", describe(a),
                                         describe(b), page_down(b.vaddr)));
    }
    const bool entry_in_code = std::any_of(segs.begin(), segs.end(), [&](const Elf_segment& s) {
        return s.exec && image.entry >= s.vaddr && image.entry - s.vaddr < s.memsz;
    });
    if (!entry_in_code)
        fail(image.path, fmt::format("entry point 0x{:x} is not inside an executable segment", image.entry));
}

}  // namespace

Elf_image read_elf_image(const std::string& path, Word phys_low, Word phys_high)
{
    if (phys_low >= phys_high || phys_low % elf_page_size != 0 || phys_high % elf_page_size != 0)
        throw std::invalid_argument(fmt::format("physical memory 0x{:x}-0x{:x} is empty or not page-aligned",
                                                phys_low, phys_high));
    Elf_image image{.path = path, .arch = {}, .word_bits = 0, .entry = 0, .segments = {}, .low = 0, .high = 0,
                    .contents = read_file(path)};
    const auto& bytes = image.contents;
    if (bytes.empty())
        fail(path, "empty file");
    const std::size_t magic_size = std::strlen(ELF::ElfMagic);
    if (std::memcmp(bytes.data(), ELF::ElfMagic, std::min(bytes.size(), magic_size)) != 0)
        fail(path, "not an ELF file");
    if (bytes.size() < ELF::EI_NIDENT)
        fail(path, "truncated ELF header");

    const auto [elf_class, encoding] = llvm::object::getElfArchType(
        llvm::StringRef(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    // All four arches are little-endian; a big-endian file is for another machine.
    if (encoding != ELF::ELFDATA2LSB)
        fail(path, encoding == ELF::ELFDATA2MSB ? std::string("big-endian ELF file")
                                                : fmt::format("invalid ELF data encoding {}", encoding));
    if (elf_class == ELF::ELFCLASS64)
        read_headers<llvm::object::ELF64LE>(image);
    else if (elf_class == ELF::ELFCLASS32)
        read_headers<llvm::object::ELF32LE>(image);
    else
        fail(path, fmt::format("invalid ELF class {}", elf_class));

    if (image.segments.empty())
        fail(path, "no loadable segment");
    for (const auto& s : image.segments)
        check_segment(image, s, phys_low, phys_high);
    std::sort(image.segments.begin(), image.segments.end(),
              [](const Elf_segment& a, const Elf_segment& b) { return a.vaddr < b.vaddr; });
    check_layout(image);
    image.low = page_down(image.segments.front().vaddr);
    image.high = page_up(image.segments.back().vaddr + image.segments.back().memsz);
    return image;
}

void load_elf_image(const Elf_image& image, std::span<std::byte> physical)
{
    // Check everything before copying anything: a failed load writes nothing.
    for (const auto& s : image.segments) {
        if (s.vaddr > physical.size() || s.memsz > physical.size() - s.vaddr)
            fail(image.path, fmt::format("segment {} outside the loaded physical memory 0x0-0x{:x}",
                                         describe(s), physical.size()));
        if (s.filesz > s.memsz || (s.filesz != 0 && (s.file_offset > image.contents.size() ||
                                                     s.filesz > image.contents.size() - s.file_offset)))
            fail(image.path, fmt::format("segment at 0x{:x} has data beyond the end of the file", s.vaddr));
    }
    for (const auto& s : image.segments) {
        auto target = physical.subspan(s.vaddr, s.memsz);
        auto data = s.filesz ? std::span(image.contents).subspan(s.file_offset, s.filesz) : std::span<const std::byte>();
        std::copy(data.begin(), data.end(), target.begin());
        std::fill(target.begin() + data.size(), target.end(), std::byte{0});
    }
}

}  // namespace umol4
