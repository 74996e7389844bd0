// Arch_traps for aarch64 tasks: fault access types and descriptions with
// LLVM MC (AArch64); KernelInterface's udf and the kernel-debugger brk come
// from the description (UMOL4's aarch64 binding, docs/abi/aarch64-riscv64.md).
#include "arch/fixed_width_traps.hpp"
#include "arch/mc_disassembler.hpp"
#include "umol4/gen/arch/aarch64/syscall_abi.hpp"

extern "C" void LLVMInitializeAArch64TargetInfo();
extern "C" void LLVMInitializeAArch64TargetMC();
extern "C" void LLVMInitializeAArch64Disassembler();

namespace umol4::arch::aarch64 {
namespace {

Mc_instructions& decoder()
{
    return leaked_mc_instructions<&LLVMInitializeAArch64TargetInfo, &LLVMInitializeAArch64TargetMC, &LLVMInitializeAArch64Disassembler>(
        "aarch64-unknown-linux-gnu", "+v9.4a,+sve2,+sme2,+mte,+lse,+rcpc3,+ls64,+mops,+crypto");
}

}  // namespace

const Arch_traps* traps(std::string_view arch)
{
    // A store (STR, STP, ST1, STXR, atomics, CAS) writes; every other access is a read.
    static const Arch_traps t = fixed_width_traps<Abi>([](std::span<const std::uint8_t> c) { return decoder().access(c); },
                                                       [](std::span<const std::uint8_t> c) { return decoder().describe(c); });
    return arch == "aarch64" ? &t : nullptr;
}

}  // namespace umol4::arch::aarch64
