// Arch_traps for riscv64 tasks: fault access types and descriptions with
// LLVM MC (RISCV); KernelInterface's custom-0 word and the kernel-debugger
// ebreak and hint come from the description (UMOL4's riscv64 binding,
// docs/abi/aarch64-riscv64.md).
#include "arch/fixed_width_traps.hpp"
#include "arch/mc_disassembler.hpp"
#include "umol4/gen/arch/riscv64/syscall_abi.hpp"

extern "C" void LLVMInitializeRISCVTargetInfo();
extern "C" void LLVMInitializeRISCVTargetMC();
extern "C" void LLVMInitializeRISCVDisassembler();

namespace umol4::arch::riscv64 {
namespace {

Mc_instructions& decoder()
{
    return leaked_mc_instructions<&LLVMInitializeRISCVTargetInfo, &LLVMInitializeRISCVTargetMC, &LLVMInitializeRISCVDisassembler>(
        "riscv64-unknown-linux-gnu", "+m,+a,+f,+d,+c,+v,+zicsr,+zifencei,+zba,+zbb,+zbc,+zbs,+zfh,+zicbom,+zicboz");
}

}  // namespace

const Arch_traps* traps(std::string_view arch)
{
    // A store (sd, fsd, sc, AMOs, vector stores) writes; every other access is a read.
    static const Arch_traps t = fixed_width_traps<Abi>([](std::span<const std::uint8_t> c) { return decoder().access(c); },
                                                       [](std::span<const std::uint8_t> c) { return decoder().describe(c); });
    return arch == "riscv64" ? &t : nullptr;
}

}  // namespace umol4::arch::riscv64
