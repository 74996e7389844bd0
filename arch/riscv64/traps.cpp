// Arch_traps for riscv64 tasks: fault access types with LLVM MC (RISCV),
// the kernel-debugger breakpoints and KernelInterface's custom-0 word
// (UMOL4's riscv64 binding, docs/abi/aarch64-riscv64.md).  riscv64 has no
// port I/O.
#include "arch/fixed_width_traps.hpp"
#include "arch/mc_disassembler.hpp"
#include "umol4/gen/arch/riscv64/syscall_abi.hpp"

extern "C" void LLVMInitializeRISCVTargetInfo();
extern "C" void LLVMInitializeRISCVTargetMC();
extern "C" void LLVMInitializeRISCVDisassembler();

namespace umol4::arch::riscv64 {
namespace {

constexpr auto load = load_regs<Regs>;

// Fixed encodings of the binding's trap instructions.
constexpr std::uint32_t kernel_interface_insn = 0x4c40000b;  // custom-0, 'L4'
constexpr std::uint32_t ebreak = 0x00100073;
constexpr std::uint16_t c_ebreak = 0x9002;
// The hint after the ebreak: addi zero, zero, op (I-type, rd = rs1 = x0).
constexpr std::uint32_t hint_mask = 0x000FFFFF, hint_bits = 0x00000013;
constexpr unsigned kdebug_enter_message = 0x7ff;

// Length of the ebreak at the start of `code` (2 for c.ebreak), 0 if none.
unsigned ebreak_length(std::span<const std::uint8_t> code)
{
    if (code.size() >= 2 && (code[0] | code[1] << 8) == c_ebreak) return 2;
    auto w = insn_word(code);
    return w && *w == ebreak ? 4 : 0;
}

Mc_instructions& decoder()
{
    return leaked_mc_instructions<&LLVMInitializeRISCVTargetInfo, &LLVMInitializeRISCVTargetMC, &LLVMInitializeRISCVDisassembler>(
        "riscv64-unknown-linux-gnu", "+m,+a,+f,+d,+c,+v,+zicsr,+zifencei,+zba,+zbb,+zbc,+zbs,+zfh,+zicbom,+zicboz");
}

// A store (sd, fsd, sc, AMOs, vector stores) writes; every other access is
// a read.
Access fault_access(std::span<const std::uint8_t> code) { return decoder().access(code); }

unsigned kernel_interface_length(std::span<const std::uint8_t> code)
{
    auto w = insn_word(code);
    return w && *w == kernel_interface_insn ? 4 : 0;
}

// A breakpoint stop leaves the PC on the ebreak (the core steps past it;
// the hint then runs as the no-op it is).  The hint says which request:
// addi zero, zero, op; 0x7ff enter with the message in a0; anything else a
// plain enter.
Kdebug_request kdebug_request(std::span<const std::uint8_t> code, const std::byte* b)
{
    Kdebug_request q;
    q.length = ebreak_length(code);
    auto hint = q.length ? insn_word(code, q.length) : std::nullopt;
    if (!hint || (*hint & hint_mask) != hint_bits) return q;
    unsigned const imm = *hint >> 20;
    Regs const r = load(b);
    if (imm == kdebug_enter_message) {
        q.kind = Kdebug_request::Kind::enter_message;
        q.message = r.a0;
    } else {
        q.kind = Kdebug_request::Kind::op;
        q.op = imm;
        q.argument = r.a0;
    }
    return q;
}

// scause exception codes, as the exception message reports them.
Word exception_number(Exception e)
{
    switch (e) {
    case Exception::divide: return 2;  // riscv does not trap division
    case Exception::breakpoint: return 3;
    case Exception::invalid_opcode: return 2;      // illegal instruction
    case Exception::general_protection: return 2;  // privileged instructions are illegal in U-mode
    case Exception::system_call: return 8;         // environment call from U-mode
    }
    return 2;
}

std::string describe(std::span<const std::uint8_t> code) { return decoder().describe(code); }

}  // namespace

const Arch_traps* traps(std::string_view arch)
{
    static const Arch_traps t = fixed_width_traps<Regs, &Regs::a0>("riscv64", &fault_access, &kernel_interface_length,
                                                                   &kdebug_request, &exception_number, &describe);
    return arch == "riscv64" ? &t : nullptr;
}

}  // namespace umol4::arch::riscv64
