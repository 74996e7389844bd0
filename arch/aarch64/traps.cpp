// Arch_traps for aarch64 tasks: LLVM MC (AArch64) decodes faulting
// instructions; KernelInterface's udf and the kernel-debugger brk come from
// the description (UMOL4's aarch64 binding, docs/abi/aarch64-riscv64.md).
#include "arch/fixed_width_traps.hpp"
#include "umol4/gen/arch/aarch64/syscall_abi.hpp"

extern "C" void LLVMInitializeAArch64TargetInfo();
extern "C" void LLVMInitializeAArch64TargetMC();
extern "C" void LLVMInitializeAArch64Disassembler();

namespace umol4::arch::aarch64 {

const Arch_traps* traps(std::string_view arch)
{
    if (arch != "aarch64") return nullptr;
    return &mc_fixed_width_traps<Abi, &LLVMInitializeAArch64TargetInfo, &LLVMInitializeAArch64TargetMC,
                                 &LLVMInitializeAArch64Disassembler>(
        "aarch64-unknown-linux-gnu", "+v9.4a,+sve2,+sme2,+mte,+lse,+rcpc3,+ls64,+mops,+crypto");
}

}  // namespace umol4::arch::aarch64
