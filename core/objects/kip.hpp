// The kernel interface page of a box, built in the arch's word size and
// layout (field positions from syscall-bindings/x2.toml).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/syscall.hpp"

namespace umol4 {

struct Arch_plugin;

enum class Memory_type : unsigned {
    undefined = 0x0, conventional = 0x1, reserved = 0x2, dedicated = 0x3, shared = 0x4,
    boot_loader = 0xE, arch = 0xF,
};

struct Memory_desc {
    Memory_type type;
    unsigned subtype = 0;
    bool is_virtual = false;
    Word low = 0, end = 0;  // [low, end), 1 KiB granular
};

struct Boot_image_info {
    Word ip = 0, sp = 0, low = 0, high = 0;  // high: last byte, as the KIP stores it
};

struct Kip_config {
    Word stubs_address = 0;        // absolute: where tasks see the stubs; relative arches: KIP offset
    Boot_image_info sigma0, sigma1, root;
    std::vector<Memory_desc> memory;
    unsigned processors = 1;
    Word cpu_khz = 0;
    Word system_base = 32, user_base = 64;
    Word boot_info = 0;
    std::vector<std::string> features;
};

// Values KernelInterface reports beside the KIP address.
inline constexpr Word kip_api_version = 0x84050000;
inline constexpr Word kip_kernel_id = 0x55010000;  // UMOL4: id 0x55 ('U'), subid 1
inline constexpr Word kip_size = 4096;
// Where KIP-relative arches (ia32) find their stubs inside the KIP page.
inline constexpr Word kip_stubs_offset = 0xC00;

std::vector<std::byte> build_kip(const Arch_plugin& arch, const Kip_config& config);

}  // namespace umol4
