// Arch_traps for riscv64 tasks: fault access types with LLVM MC (RISCV),
// the kernel-debugger breakpoints and KernelInterface's custom-0 word
// (UMOL4's riscv64 binding, docs/abi/aarch64-riscv64.md).  riscv64 has no
// port I/O.
#include <cstring>
#include <optional>

#include "arch/mc_disassembler.hpp"
#include "arch/regs_bytes.hpp"
#include "core/arch_traps.hpp"
#include "umol4/gen/arch/riscv64/syscall_abi.hpp"

extern "C" void LLVMInitializeRISCVTargetInfo();
extern "C" void LLVMInitializeRISCVTargetMC();
extern "C" void LLVMInitializeRISCVDisassembler();

namespace umol4::arch::riscv64 {
namespace {

constexpr auto load = load_regs<Regs>;
constexpr auto store = store_regs<Regs>;

// Fixed encodings of the binding's trap instructions.
constexpr std::uint32_t kernel_interface_insn = 0x4c40000b;  // custom-0, 'L4'
constexpr std::uint32_t ebreak = 0x00100073;
constexpr std::uint16_t c_ebreak = 0x9002;
// The hint after the ebreak: addi zero, zero, op (I-type, rd = rs1 = x0).
constexpr std::uint32_t hint_mask = 0x000FFFFF, hint_bits = 0x00000013;
constexpr unsigned kdebug_enter_message = 0x7ff;

std::optional<std::uint32_t> word_at(std::span<const std::uint8_t> code, std::size_t at = 0)
{
    if (code.size() < at + 4) return std::nullopt;
    std::uint32_t w;
    std::memcpy(&w, code.data() + at, 4);  // instructions are little-endian
    return w;
}

// Length of the ebreak at the start of `code` (2 for c.ebreak), 0 if none.
unsigned ebreak_length(std::span<const std::uint8_t> code)
{
    if (code.size() >= 2 && (code[0] | code[1] << 8) == c_ebreak) return 2;
    auto w = word_at(code);
    return w && *w == ebreak ? 4 : 0;
}

Mc_instructions& decoder()
{
    // Leaked on purpose: no exit-time destructor runs after LLVM's own statics.
    static Mc_instructions* const d = [] {
        LLVMInitializeRISCVTargetInfo();
        LLVMInitializeRISCVTargetMC();
        LLVMInitializeRISCVDisassembler();
        return new Mc_instructions("riscv64-unknown-linux-gnu",
                                   "+m,+a,+f,+d,+c,+v,+zicsr,+zifencei,+zba,+zbb,+zbc,+zbs,+zfh,+zicbom,+zicboz");
    }();
    return *d;
}

// A store (sd, fsd, sc, AMOs, vector stores) writes; every other access is
// a read.
Access fault_access(std::span<const std::uint8_t> code) { return decoder().access(code); }

unsigned kernel_interface_length(std::span<const std::uint8_t> code)
{
    auto w = word_at(code);
    return w && *w == kernel_interface_insn ? 4 : 0;
}

// A breakpoint stop leaves the PC on the ebreak; the hint after it says
// which request: addi zero, zero, op; 0x7ff enter with the message in a0;
// anything else a plain enter.
Kdebug_request kdebug_request(std::span<const std::uint8_t> code, const std::byte* b)
{
    Kdebug_request q;
    q.length = ebreak_length(code);
    auto hint = q.length ? word_at(code, q.length) : std::nullopt;
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

void set_kdebug_result(std::byte* b, Word v)
{
    Regs r = load(b);
    r.a0 = v;
    store(b, r);
}

// Past the ebreak; the hint then runs as the no-op it is.
void finish_kdebug(std::byte* b, const Kdebug_request& q)
{
    Regs r = load(b);
    r.pc += q.length;
    store(b, r);
}

bool emulate_port_io(std::span<const std::uint8_t>, std::byte*, Port_device&) { return false; }

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
    static const Arch_traps t{"riscv64", &fault_access, &kernel_interface_length, &kdebug_request, &set_kdebug_result,
                              &finish_kdebug, &emulate_port_io, &exception_number, &describe};
    return arch == "riscv64" ? &t : nullptr;
}

}  // namespace umol4::arch::riscv64
