// The riscv64 arch plugin: its generated ABI bound into the core's Arch_plugin.
#include "arch/plugin_adapter.hpp"
#include "umol4/gen/arch/riscv64/syscall_abi.hpp"

namespace umol4::arch::riscv64 {

const Arch_plugin& plugin()
{
    static constexpr Arch_plugin p = make_arch_plugin<Abi>();
    return p;
}

}  // namespace umol4::arch::riscv64
