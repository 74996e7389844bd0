// Boot: images into physical memory, the KIP's memory map, initial servers.
#include "core/boot/boot.hpp"

#include <fmt/format.h>

#include "core/boot/boot_error.hpp"

namespace umol4 {

Box_images read_box_images(const Box_options& o)
{
    if (o.memory_bytes < min_memory_bytes || (o.memory_bytes & 0xFFF))
        throw Boot_error(fmt::format("--memory {:#x}: must be a multiple of 4 KiB and at least {} MiB", o.memory_bytes,
                                     min_memory_bytes >> 20));
    auto read = [&](const std::string& path) { return read_elf_image(path, lowest_image_address, o.memory_bytes); };
    Box_images images{read(o.sigma0), read(o.root), {}};
    for (const auto& m : o.modules) images.modules.push_back(read(m));
    std::vector<const Elf_image*> all{&images.sigma0, &images.root};
    for (const auto& m : images.modules) all.push_back(&m);
    for (const Elf_image* i : all) {
        if (i->arch != images.sigma0.arch)
            throw Boot_error(fmt::format("{}: {} image in a box of {} (sigma0 {})", i->path, i->arch, images.sigma0.arch,
                                         images.sigma0.path));
    }
    // Like a boot loader, images share one physical memory: no overlaps.
    for (std::size_t a = 0; a < all.size(); ++a)
        for (std::size_t b = a + 1; b < all.size(); ++b)
            if (all[a]->low < all[b]->high && all[b]->low < all[a]->high)
                throw Boot_error(fmt::format("{}: image {:#x}-{:#x} overlaps {} ({:#x}-{:#x})", all[b]->path, all[b]->low,
                                             all[b]->high, all[a]->path, all[a]->low, all[a]->high));
    return images;
}

void boot(Kernel& kernel, Host& host, const Box_images& images, const Box_options& o)
{
    std::span<std::byte> phys = host.physical();
    load_elf_image(images.sigma0, phys);
    load_elf_image(images.root, phys);
    for (const auto& m : images.modules) load_elf_image(m, phys);

    Kip_config kip;
    kip.stubs_address = host.kip_stubs_address();
    kip.processors = o.cpus;
    kip.cpu_khz = host.cpu_khz();
    // Programs test features by name: on the virtual clock, time bounds a
    // thread's lateness (tests check upper bounds of time only there).
    if (kernel.deterministic()) kip.features.push_back("virtualclock");
    if (kernel.pager_exregs()) kip.features.push_back("pagerexregs");
    auto [res_low, res_high] = host.reserved_range();
    // Physical memory first, then what is taken out of it; sigma0 applies
    // them in order and later entries win.  Then the virtual address space.
    kip.memory.push_back({Memory_type::conventional, 0, false, 0, o.memory_bytes});
    kip.memory.push_back({Memory_type::reserved, 0, false, o.memory_bytes, o.memory_bytes + kernel_pool_bytes});
    auto image_desc = [&](const Elf_image& i) { kip.memory.push_back({Memory_type::boot_loader, 0, false, i.low, i.high}); };
    image_desc(images.sigma0);
    image_desc(images.root);
    for (const auto& m : images.modules) image_desc(m);
    kip.memory.push_back({Memory_type::conventional, 0, true, 0, res_low});
    kip.memory.push_back({Memory_type::reserved, 0, true, res_low, res_high});
    auto server = [](const Elf_image& i) { return Boot_image_info{i.entry, 0, i.low, i.high - 1}; };
    kip.sigma0 = server(images.sigma0);
    kip.root = server(images.root);
    kernel.install_kip(kip);

    Tcb& s0 = kernel.start_initial_server(kernel.user_base(), images.sigma0.entry, 0, 0, true);
    Tcb& root = kernel.start_initial_server(kernel.user_base() + 2, images.root.entry, 0, s0.id, false);
    root.scheduler = root.id;
    s0.scheduler = root.id;
}

}  // namespace umol4
