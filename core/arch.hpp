// One arch as this core knows it: its ABI (generated from
// syscall-bindings/arch/<arch>.toml), its trap decoders and how the Linux
// host runs its tasks.  arch/registry.cpp (configured per build from
// UMOL4_CORE_ARCHES) lists the arches of this core; nothing else looks an
// arch up by name.
#pragma once

#include <span>
#include <string_view>

#include "core/arch_plugin.hpp"
#include "core/arch_traps.hpp"

namespace umol4 {

namespace linux_host {
struct Linux_arch;
}

struct Arch {
    const Arch_plugin& abi;
    const Arch_traps* traps;              // nullptr: a build without LLVM
    const linux_host::Linux_arch* linux;  // nullptr: the host runs no tasks of it

    std::string_view name() const { return abi.name; }
};

std::span<const Arch> arches();
const Arch* find_arch(std::string_view name);

}  // namespace umol4
