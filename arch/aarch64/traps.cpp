// Arch_traps for aarch64 tasks: fault access types with LLVM MC (AArch64),
// the kernel-debugger breakpoints and KernelInterface's udf (UMOL4's aarch64
// binding, docs/abi/aarch64-riscv64.md).  aarch64 has no port I/O.
#include "arch/fixed_width_traps.hpp"
#include "arch/mc_disassembler.hpp"
#include "umol4/gen/arch/aarch64/syscall_abi.hpp"

extern "C" void LLVMInitializeAArch64TargetInfo();
extern "C" void LLVMInitializeAArch64TargetMC();
extern "C" void LLVMInitializeAArch64Disassembler();

namespace umol4::arch::aarch64 {
namespace {

constexpr auto load = load_regs<Regs>;

// Fixed encodings of the binding's trap instructions.
constexpr std::uint32_t kernel_interface_insn = 0x00004c34;  // udf #0x4c34
constexpr std::uint32_t brk_mask = 0xFFE0001F, brk_bits = 0xD4200000;
constexpr unsigned kdebug_base = 0x4b00, kdebug_enter_message = 0x4bff;

Mc_instructions& decoder()
{
    return leaked_mc_instructions<&LLVMInitializeAArch64TargetInfo, &LLVMInitializeAArch64TargetMC, &LLVMInitializeAArch64Disassembler>(
        "aarch64-unknown-linux-gnu", "+v9.4a,+sve2,+sme2,+mte,+lse,+rcpc3,+ls64,+mops,+crypto");
}

// A store (STR, STP, ST1, STXR, atomics, CAS) writes; every other access
// is a read.
Access fault_access(std::span<const std::uint8_t> code) { return decoder().access(code); }

unsigned kernel_interface_length(std::span<const std::uint8_t> code)
{
    auto w = insn_word(code);
    return w && *w == kernel_interface_insn ? 4 : 0;
}

// A breakpoint stop leaves the PC on the brk (the core steps past it).  Its
// immediate says which request: 0x4b00 + op, 0x4bff enter with the message
// in x0, any other a plain enter.
Kdebug_request kdebug_request(std::span<const std::uint8_t> code, const std::byte* b)
{
    Kdebug_request q;
    auto w = insn_word(code);
    if (!w || (*w & brk_mask) != brk_bits) return q;
    q.length = 4;
    unsigned const imm = (*w >> 5) & 0xFFFF;
    Regs const r = load(b);
    if (imm == kdebug_enter_message) {
        q.kind = Kdebug_request::Kind::enter_message;
        q.message = r.x0;
    } else if (imm >= kdebug_base && imm < kdebug_enter_message) {
        q.kind = Kdebug_request::Kind::op;
        q.op = imm - kdebug_base;
        q.argument = r.x0;
    }
    return q;
}

// ESR_EL1 exception classes, as the exception message reports them.
Word exception_number(Exception e)
{
    switch (e) {
    case Exception::divide: return 0x00;  // aarch64 does not trap division
    case Exception::breakpoint: return 0x3C;          // BRK
    case Exception::invalid_opcode: return 0x00;      // unknown reason (udf, undefined)
    case Exception::general_protection: return 0x18;  // trapped system instruction
    case Exception::system_call: return 0x15;         // SVC from AArch64
    }
    return 0x00;
}

std::string describe(std::span<const std::uint8_t> code) { return decoder().describe(code); }

}  // namespace

const Arch_traps* traps(std::string_view arch)
{
    static const Arch_traps t = fixed_width_traps<Regs, &Regs::x0>("aarch64", &fault_access, &kernel_interface_length,
                                                                   &kdebug_request, &exception_number, &describe);
    return arch == "aarch64" ? &t : nullptr;
}

}  // namespace umol4::arch::aarch64
