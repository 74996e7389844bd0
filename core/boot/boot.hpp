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

// Each boot image is given as a boot loader's command line: the path, then
// the arguments the program finds in its boot information record.
struct Box_options {
    std::string sigma0, root;
    // Further images: programs (ELF executables of the box's arch) at their
    // link addresses, any other file as it is above the programs.
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

// A boot command line split: the file, and the whole line as the boot
// information gives it (path and arguments).  An argument naming an existing
// file is that file; otherwise the path ends at the first blank.
struct Boot_command {
    std::string path, line;
};
Boot_command split_boot_command(const std::string& argument);

// A module: the file's bytes as they are, at a page-aligned physical address
// above the programs (as a multiboot loader places them).
struct Boot_module {
    Boot_command command;
    std::vector<std::byte> contents;
    Word address = 0;
};

// A program given as a module: loaded at its link addresses like sigma0
// and the root task, which starts it (or not) as it likes.
struct Boot_program {
    Elf_image image;
    std::string line;
};

struct Box_images {
    Elf_image sigma0, root;
    std::string sigma0_line, root_line;
    std::vector<Boot_module> modules;
    std::vector<Boot_program> programs;
    Word boot_info_address = 0;
    std::vector<std::byte> boot_info;  // in the images' word size
};

// Reads every image and checks it fits the box (one arch, inside memory,
// no overlaps), places the data modules and the boot information above the
// programs; throws Boot_error with a one-line message.
Box_images read_box_images(const Box_options& options);

// Loads the images, builds the KIP, starts sigma0 and the root task on
// `kernel`'s host.
void boot(Kernel& kernel, Host& host, const Box_images& images, const Box_options& options);

}  // namespace umol4
