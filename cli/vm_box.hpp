// `umol4 run` of another CPU's images: the box boots in that arch's QEMU
// system VM (the one the tests use), inside a core built for that arch,
// with the console attached both ways and the box's exit code passed
// through.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace umol4::cli {

// The folder of the VM kit of `arch` beside this umol4 (installed:
// ../lib/umol4/<arch>/vm; build tree: sdk-stage/lib/umol4/<arch>/vm):
// Image (the kernel), umol4 (a static core of that arch), init, qemu.sh.
std::optional<std::string> find_vm_kit(const std::string& arch);

// Boots the VM with `files` (the images and input files, which `args`
// name) under /host at their absolute paths, runs `umol4 run ARGS` in it and returns
// its exit code; VM memory is the box's and room for the kernel.
int run_in_vm(const std::string& arch, const std::string& kit, const std::vector<std::string>& files,
              const std::vector<std::string>& args, std::uint64_t box_memory_bytes);

}  // namespace umol4::cli
