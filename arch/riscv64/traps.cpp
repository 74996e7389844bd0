// Arch_traps for riscv64 tasks: LLVM MC (RISCV) decodes faulting
// instructions; KernelInterface's custom-0 word and the kernel-debugger
// ebreak and hint come from the description (UMOL4's riscv64 binding,
// docs/abi/aarch64-riscv64.md).
#include "arch/fixed_width_traps.hpp"
#include "umol4/gen/arch/riscv64/syscall_abi.hpp"

extern "C" void LLVMInitializeRISCVTargetInfo();
extern "C" void LLVMInitializeRISCVTargetMC();
extern "C" void LLVMInitializeRISCVDisassembler();

namespace umol4::arch::riscv64 {

const Arch_traps* traps(std::string_view arch)
{
    if (arch != "riscv64") return nullptr;
    return &mc_fixed_width_traps<Abi, &LLVMInitializeRISCVTargetInfo, &LLVMInitializeRISCVTargetMC,
                                 &LLVMInitializeRISCVDisassembler>(
        "riscv64-unknown-linux-gnu", "+m,+a,+f,+d,+c,+v,+zicsr,+zifencei,+zba,+zbb,+zbc,+zbs,+zfh,+zicbom,+zicboz");
}

}  // namespace umol4::arch::riscv64
