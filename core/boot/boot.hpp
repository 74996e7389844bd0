// Booting a box like a boot loader: read and place the images in physical
// memory, describe memory in the KIP, start sigma0 and the root task.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/boot/elf_image.hpp"
#include "core/kernel.hpp"

namespace umol4 {

struct Box_options {
    std::string sigma0, root;
    std::vector<std::string> modules;
    Word memory_bytes = Word(128) << 20;
    unsigned cpus = 1;
    std::optional<std::chrono::milliseconds> timeout;
};

inline constexpr Word min_memory_bytes = Word(4) << 20;
inline constexpr Word kernel_pool_bytes = Word(16) << 20;  // KIP, UTCBs
// Images start at or above it: code on the pages below (which Linux maps in
// no task) would run only one emulated instruction at a time.
inline constexpr Word lowest_image_address = 0x10000;

struct Box_images {
    Elf_image sigma0, root;
    std::vector<Elf_image> modules;
};

// Reads every image and checks it fits the box (one arch, inside memory,
// no overlaps); throws Boot_error with a one-line message.
Box_images read_box_images(const Box_options& options);

// Loads the images, builds the KIP, starts sigma0 and the root task on
// `kernel`'s host.
void boot(Kernel& kernel, Host& host, const Box_images& images, const Box_options& options);

}  // namespace umol4
