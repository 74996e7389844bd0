// Boot: images into physical memory, the KIP's memory map, boot information,
// initial servers.
#include "core/boot/boot.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "core/boot/boot_error.hpp"
#include "core/boot/boot_info.hpp"

namespace umol4 {
namespace {

// Boot-loader memory subtypes, as the reference boot loader marks them.
constexpr unsigned boot_info_subtype = 1, init_server_subtype = 2, module_subtype = 3;

Word page_up(Word v) { return (v + elf_page_size - 1) & ~(elf_page_size - 1); }

// The KIP has room for this many boot-loader memory descriptors beside the others.
constexpr std::size_t max_modules = 64;

std::vector<std::byte> read_module(const std::string& path, Word memory_bytes)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw Boot_error(fmt::format("{}: a directory, not a module", path));
    auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > memory_bytes)
        throw Boot_error(fmt::format("{}: module of {} bytes, larger than the box's memory", path, size));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Boot_error(fmt::format("{}: cannot read module: {}", path, std::strerror(errno)));
    std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<std::byte> out(bytes.size());
    if (!bytes.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());  // an empty file is a module too
    return out;
}

// Text: the read-only segments; data: the file part of the writable ones;
// bss: their zero-filled tails (the reference loader's view of a program).
Simple_exec simple_exec_of(const Elf_image& image)
{
    Simple_exec e;
    e.entry = image.entry;
    e.elf_class = image.word_bits == 32 ? 1 : 2;
    auto extend = [](Word& start, Word& size, Word low, Word high) {
        if (high <= low) return;
        Word end = size ? std::max(start + size, high) : high;
        start = size ? std::min(start, low) : low;
        size = end - start;
    };
    for (const Elf_segment& s : image.segments) {
        if (!s.write) {
            extend(e.text_start, e.text_size, s.vaddr, s.vaddr + s.memsz);
            continue;
        }
        extend(e.data_start, e.data_size, s.vaddr, s.vaddr + s.filesz);
        extend(e.bss_start, e.bss_size, s.vaddr + s.filesz, s.vaddr + s.memsz);
    }
    return e;
}

// An ELF file (its magic): a program module, read as one.
bool is_elf_file(const std::string& path)
{
    char magic[4] = {};
    std::ifstream in(path, std::ios::binary);
    return in.read(magic, sizeof magic) && std::memcmp(magic, "\x7f" "ELF", 4) == 0;
}

}  // namespace

Boot_command split_boot_command(const std::string& argument)
{
    std::error_code ec;
    if (argument.empty()) throw Boot_error("an empty boot image argument (expected PATH [ARGUMENTS])");
    if (std::filesystem::exists(argument, ec)) return {argument, argument};
    std::size_t blank = argument.find_first_of(" \t");
    if (blank == 0) throw Boot_error(fmt::format("'{}': a boot command line starts with the image's path", argument));
    return {argument.substr(0, blank), argument};
}

Box_images read_box_images(const Box_options& o)
{
    if (o.memory_bytes < min_memory_bytes || (o.memory_bytes & 0xFFF))
        throw Boot_error(fmt::format("--memory {:#x}: must be a multiple of 4 KiB and at least {} MiB", o.memory_bytes,
                                     min_memory_bytes >> 20));
    auto read = [&](const Boot_command& c) { return read_elf_image(c.path, lowest_image_address, o.memory_bytes); };
    Boot_command s0 = split_boot_command(o.sigma0), root = split_boot_command(o.root);
    Box_images images{read(s0), read(root), s0.line, root.line, {}, {}, 0, {}};
    const Elf_image &a = images.sigma0, &b = images.root;
    // Like a boot loader, images share one physical memory: no overlaps.
    std::vector<const Elf_image*> placed{&a};
    auto place = [&](const Elf_image& image) {
        if (image.arch != a.arch)
            throw Boot_error(fmt::format("{}: {} image in a box of {} (sigma0 {})", image.path, image.arch, a.arch,
                                         a.path));
        for (const Elf_image* other : placed)
            if (image.low < other->high && other->low < image.high)
                throw Boot_error(fmt::format("{}: image {:#x}-{:#x} overlaps {} ({:#x}-{:#x})", image.path, image.low,
                                             image.high, other->path, other->low, other->high));
        placed.push_back(&image);
    };
    place(b);

    // Programs among the modules go to their link addresses; the other
    // modules, then the boot information, one after the other above all
    // programs, each on its own pages.  The records keep the command line's order.
    if (o.modules.size() > max_modules)
        throw Boot_error(fmt::format("{} modules: a box boots at most {}", o.modules.size(), max_modules));
    std::vector<Boot_command> commands;
    std::vector<bool> is_program;
    images.programs.reserve(o.modules.size());  // `placed` points into it
    for (const std::string& m : o.modules) {
        commands.push_back(split_boot_command(m));
        is_program.push_back(is_elf_file(commands.back().path));
        if (!is_program.back()) continue;
        images.programs.push_back({read(commands.back()), commands.back().line});
        place(images.programs.back().image);
    }
    Word programs_end = 0;
    for (const Elf_image* i : placed) programs_end = std::max(programs_end, i->high);
    Word next = page_up(programs_end);
    std::vector<Boot_record> records{simple_exec_record(simple_exec_of(a), images.sigma0_line),
                                     simple_exec_record(simple_exec_of(b), images.root_line)};
    auto program = images.programs.begin();
    for (std::size_t i = 0; i < commands.size(); ++i) {
        if (is_program[i]) {
            records.push_back(simple_exec_record(simple_exec_of(program->image), program->line));
            ++program;
            continue;
        }
        const Boot_command& c = commands[i];
        Boot_module module{c, read_module(c.path, o.memory_bytes), next};
        next = page_up(next + module.contents.size());
        records.push_back(module_record(module.address, module.contents.size(), module.command.line));
        images.modules.push_back(std::move(module));
    }
    images.boot_info = build_boot_info(a.word_bits / 8, records);
    images.boot_info_address = next;
    Word end = page_up(next + images.boot_info.size());
    if (end > o.memory_bytes || end < next)
        throw Boot_error(fmt::format("the modules and boot information need memory up to {:#x}, above the programs "
                                     "(which end at {:#x}); the box has {:#x}: give more --memory",
                                     end, programs_end, o.memory_bytes));
    return images;
}

void boot(Kernel& kernel, Host& host, const Box_images& images, const Box_options& o)
{
    std::span<std::byte> phys = host.physical();
    load_elf_image(images.sigma0, phys);
    load_elf_image(images.root, phys);
    for (const Boot_program& p : images.programs) load_elf_image(p.image, phys);
    for (const Boot_module& m : images.modules)
        std::copy(m.contents.begin(), m.contents.end(), phys.begin() + static_cast<std::ptrdiff_t>(m.address));
    std::copy(images.boot_info.begin(), images.boot_info.end(),
              phys.begin() + static_cast<std::ptrdiff_t>(images.boot_info_address));

    Kip_config kip;
    kip.stubs_address = host.kip_stubs_address();
    kip.processors = o.cpus;
    kip.cpu_khz = host.cpu_khz();
    kip.boot_info = images.boot_info_address;
    // Programs test features by name: on the virtual clock, time bounds a
    // thread's lateness (tests check upper bounds of time only there).
    if (kernel.deterministic()) kip.features.push_back("virtualclock");
    if (kernel.pager_exregs()) kip.features.push_back("pagerexregs");
    auto [res_low, res_high] = host.reserved_range();
    // Physical memory first, then what is taken out of it; sigma0 applies
    // them in order and later entries win.  Then the virtual address space.
    kip.memory.push_back({Memory_type::conventional, 0, false, 0, o.memory_bytes});
    kip.memory.push_back({Memory_type::reserved, 0, false, o.memory_bytes, o.memory_bytes + kernel_pool_bytes});
    auto boot_loader = [&](unsigned subtype, Word low, Word end) {
        if (end > low) kip.memory.push_back({Memory_type::boot_loader, subtype, false, low, page_up(end)});
    };
    boot_loader(init_server_subtype, images.sigma0.low, images.sigma0.high);
    boot_loader(init_server_subtype, images.root.low, images.root.high);
    for (const Boot_program& p : images.programs) boot_loader(module_subtype, p.image.low, p.image.high);
    for (const Boot_module& m : images.modules) boot_loader(module_subtype, m.address, m.address + m.contents.size());
    boot_loader(boot_info_subtype, images.boot_info_address, images.boot_info_address + images.boot_info.size());
    kip.memory.push_back({Memory_type::conventional, 0, true, 0, res_low});
    kip.memory.push_back({Memory_type::reserved, 0, true, res_low, res_high});
    auto server = [](const Elf_image& i) { return Boot_image_info{i.entry, 0, i.low, i.high - 1}; };
    kip.sigma0 = server(images.sigma0);
    kip.root = server(images.root);
    kernel.install_kip(kip);

    Thread& s0 = kernel.start_initial_server(kernel.user_base(), images.sigma0.entry, 0, 0, true);
    Thread& root = kernel.start_initial_server(kernel.user_base() + 2, images.root.entry, 0, s0.id, false);
    root.scheduler = root.id;
    s0.scheduler = root.id;
}

}  // namespace umol4
