// x86 instruction decoding with LLVM MC, plus the memory and port semantics MC does not model.
#include "arch/x86/insn_decoder.hpp"

#include "arch/mc_disassembler.hpp"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/MC/MCInst.h>
#include <llvm/MC/MCInstrInfo.h>

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <vector>

// Only the X86 target is linked in, so call its initialisers directly rather
// than llvm::InitializeAll*(), which would pull in every configured target.
extern "C" void LLVMInitializeX86TargetInfo();
extern "C" void LLVMInitializeX86TargetMC();
extern "C" void LLVMInitializeX86Disassembler();

namespace umol4::arch::x86 {
namespace {

// The architectural limit; MC itself accepts longer prefix runs.
constexpr std::size_t max_length = 15;

enum Access : std::uint8_t { no_access = 0, read = 1, write = 2 };

enum class Kind : std::uint8_t { plain, prefix, port_imm, port_dx, port_string, int_imm };

// What decode() needs about one MC opcode, worked out once at start-up so that
// the fault path does a table lookup instead of comparing names.
struct Opcode_info {
    Kind kind = Kind::plain;
    Special special = Special::none;
    std::uint8_t access = no_access;
    std::uint8_t port_size = 0;
    bool out = false;
    std::uint8_t vector = 0;
};

bool starts_with_any(llvm::StringRef name, std::initializer_list<llvm::StringRef> stems)
{
    return std::any_of(stems.begin(), stems.end(), [&](llvm::StringRef s) { return name.starts_with(s); });
}

bool is_any(llvm::StringRef name, std::initializer_list<llvm::StringRef> names)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::uint8_t suffix_size(char c) { return c == 'B' ? 1 : c == 'W' ? 2 : c == 'L' ? 4 : c == 'Q' ? 8 : 0; }

Special special_of(llvm::StringRef n)
{
    if (n == "SYSCALL") return Special::syscall;
    if (n == "SYSENTER") return Special::sysenter;
    if (n == "HLT") return Special::hlt;
    if (is_any(n, {"CLI", "STI", "CLTS", "INVD", "WBINVD", "WBNOINVD", "SWAPGS", "XSETBV",
                   "MONITOR32rrr", "MONITOR64rrr", "MWAITrr", "MOV32cr", "MOV32rc", "MOV32dr",
                   "MOV32rd", "MOV64cr", "MOV64rc", "MOV64dr", "MOV64rd"})
        || starts_with_any(n, {"LGDT", "LIDT", "LLDT", "LTR", "LMSW", "WRMSR", "RDMSR", "INVLPG",
                               "INVPCID", "SYSRET", "SYSEXIT"}))
        return Special::privileged;
    return Special::none;
}

Opcode_info classify(llvm::StringRef n, const llvm::MCInstrDesc& d)
{
    Opcode_info i;
    bool const memop = std::any_of(d.operands().begin(), d.operands().end(), [](const llvm::MCOperandInfo& o) {
        return o.OperandType == llvm::MCOI::OPERAND_MEMORY;
    });
    // mayLoad/mayStore are exact for explicit memory operands.  Without one
    // they mean an implicit access (stack, xlat), except for instructions with
    // unmodeled side effects, where TableGen sets both to be safe (int3, pause).
    if (memop || !d.hasUnmodeledSideEffects())
        i.access = (d.mayLoad() ? read : 0) | (d.mayStore() ? write : 0);
    // Accesses MC leaves out: the stack of call/ret and of the segment-register
    // pushes and pops, enter, maskmov's implicit (%rdi), far-pointer loads,
    // bound, and the descriptor-table stores.
    if (d.isCall() || n.starts_with("PUSH") || n == "ENTER"
        || starts_with_any(n, {"MASKMOV", "MMX_MASKMOV", "VMASKMOVDQU"})
        || (memop && starts_with_any(n, {"SGDT", "SIDT", "SMSW"})))
        i.access |= write;
    if (d.isReturn() || (n.starts_with("POP") && !n.starts_with("POPCNT"))
        || starts_with_any(n, {"LDS", "LES", "LFS", "LGS", "LSS", "BOUNDS"}))
        i.access |= read;

    // String instructions: MC reports no memory effect for them at all.
    if (n.size() == 5 && suffix_size(n.back()) != 0) {
        llvm::StringRef const stem = n.take_front(4);
        if (stem == "MOVS") i.access = read | write;
        else if (stem == "STOS") i.access = write;
        else if (is_any(stem, {"LODS", "CMPS", "SCAS"})) i.access = read;
    }
    if ((n.size() == 4 && n.starts_with("INS")) || (n.size() == 5 && n.starts_with("OUTS"))) {
        i.port_size = suffix_size(n.back());
        if (i.port_size != 0 && i.port_size != 8) {
            i.kind = Kind::port_string;
            i.out = n[0] == 'O';
            i.access = i.out ? read : write;
        }
    }
    for (std::uint8_t size : {1, 2, 4}) {
        std::string const bits = std::to_string(size * 8);
        for (bool out : {false, true}) {
            std::string const base = (out ? "OUT" : "IN") + bits;
            if (n == base + "rr" || n == base + (out ? "ir" : "ri"))
                i = {.kind = n.ends_with("rr") ? Kind::port_dx : Kind::port_imm, .port_size = size, .out = out};
        }
    }

    if (n == "INT") i.kind = Kind::int_imm;
    if (n == "INT3") i = {.special = Special::int3, .vector = 3};
    else if (n == "INTO") i = {.special = Special::int_n, .vector = 4};
    else if (Special const s = special_of(n); s != Special::none)
        i = {.special = s};  // they trap before touching memory
    if (n.ends_with("_PREFIX")) i = {.kind = Kind::prefix};
    return i;
}

// The general register an MC register is (any of its widths), or no_register.
int gpr_number(llvm::StringRef name)
{
    static constexpr const char* legacy[8][5] = {
        {"RAX", "EAX", "AX", "AL", "AH"}, {"RCX", "ECX", "CX", "CL", "CH"}, {"RDX", "EDX", "DX", "DL", "DH"},
        {"RBX", "EBX", "BX", "BL", "BH"}, {"RSP", "ESP", "SP", "SPL", ""},   {"RBP", "EBP", "BP", "BPL", ""},
        {"RSI", "ESI", "SI", "SIL", ""},  {"RDI", "EDI", "DI", "DIL", ""}};
    for (int r = 0; r < 8; ++r)
        for (const char* n : legacy[r])
            if (*n && name == n) return r;
    for (int r = 8; r < 16; ++r) {
        std::string const stem = "R" + std::to_string(r);
        if (name == stem || name == stem + "D" || name == stem + "W" || name == stem + "B" || name == stem + "BH")
            return r;
    }
    return no_register;
}

// How wide an MC register is, from its name: 64 (R..), 32 (E.., R..D), or less.
unsigned register_bits(llvm::StringRef name)
{
    if (name.starts_with("E") || (name.starts_with("R") && name.ends_with("D"))) return 32;
    if (name.starts_with("R")) return 64;
    return 16;
}

struct Decoder {
    const llvm::Target* target;
    std::unique_ptr<const llvm::MCInstrInfo> instrs;
    std::vector<Opcode_info> info;  // indexed by MC opcode
    std::vector<std::int8_t> gpr;            // indexed by MC register: gpr_number()
    std::vector<std::uint8_t> bits;          // indexed by MC register: register_bits()
    std::vector<std::uint8_t> segment_base;  // indexed by MC register: 1 for FS and GS
    unsigned rip = 0, eip = 0;
    unsigned lock_prefix = ~0u, nop = ~0u;
    // The MCInst of each mode is kept so that its operand vector, once
    // grown for a long SIMD form, stays grown.
    Mc_disassembler bits32, bits64;
    llvm::MCInst mc32, mc64;

    static const llvm::Target& x86()
    {
        LLVMInitializeX86TargetInfo();
        LLVMInitializeX86TargetMC();
        LLVMInitializeX86Disassembler();
        return mc_target("x86_64-unknown-linux-gnu");
    }

    Decoder()
        : target(&x86()), instrs(target->createMCInstrInfo()),
          bits32(*target, "i386-unknown-linux-gnu", "", *instrs),
          bits64(*target, "x86_64-unknown-linux-gnu", "", *instrs)
    {
        info.resize(instrs->getNumOpcodes());
        for (unsigned op = 0; op < info.size(); ++op) {
            llvm::StringRef const name = instrs->getName(op);
            info[op] = classify(name, instrs->get(op));
            if (name == "LOCK_PREFIX") lock_prefix = op;
            if (name == "NOOP") nop = op;
        }
        const llvm::MCRegisterInfo& regs = bits64.registers();
        gpr.resize(regs.getNumRegs());
        bits.resize(regs.getNumRegs());
        segment_base.resize(regs.getNumRegs());
        for (unsigned r = 0; r < regs.getNumRegs(); ++r) {
            llvm::StringRef const name = regs.getName(r);
            gpr[r] = static_cast<std::int8_t>(gpr_number(name));
            bits[r] = static_cast<std::uint8_t>(register_bits(name));
            segment_base[r] = name == "FS" || name == "GS";
            if (name == "RIP") rip = r;
            if (name == "EIP") eip = r;
        }
    }

    Gpr_set gpr_bit(unsigned reg) const { return reg < gpr.size() && gpr[reg] >= 0 ? Gpr_set(1) << gpr[reg] : 0; }
};

Decoder& decoder()
{
    // Leaked on purpose: no exit-time destructor runs after LLVM's own statics.
    static Decoder* const d = new Decoder();
    return *d;
}

// MC keeps rep in MCInst flags whose values live in a private LLVM header; the
// legacy prefixes are few and fixed, so read rep from the prefix bytes.
bool has_rep(llvm::ArrayRef<std::uint8_t> insn, Mode mode)
{
    for (std::uint8_t const b : insn) {
        if (b == 0xf2 || b == 0xf3) return true;
        bool const legacy = b == 0xf0 || b == 0x66 || b == 0x67 || b == 0x2e || b == 0x36
                            || b == 0x3e || b == 0x26 || b == 0x64 || b == 0x65;
        bool const rex = mode == Mode::bits64 && (b & 0xf0) == 0x40;
        if (!legacy && !rex) return false;
    }
    return false;
}

unsigned first_immediate(const llvm::MCInst& mc)
{
    for (const llvm::MCOperand& o : mc)
        if (o.isImm()) return static_cast<unsigned>(o.getImm());
    return 0;
}

// X86 memory operands are five MC operands: base, scale, index, disp, segment.
void describe_operands(const Decoder& d, const llvm::MCInst& mc, Mode mode, Insn& insn)
{
    const llvm::MCInstrDesc& desc = d.instrs->get(mc.getOpcode());
    unsigned const count = std::min<unsigned>(mc.getNumOperands(), desc.getNumOperands());
    unsigned mem = count;
    for (unsigned i = 0; i < count; ++i)
        if (desc.operands()[i].OperandType == llvm::MCOI::OPERAND_MEMORY) {
            mem = i;
            break;
        }
    if (mem + 5 <= mc.getNumOperands() && mc.getOperand(mem).isReg() && mc.getOperand(mem + 1).isImm() &&
        mc.getOperand(mem + 2).isReg() && mc.getOperand(mem + 4).isReg()) {
        Address a;
        unsigned const base = mc.getOperand(mem).getReg(), index = mc.getOperand(mem + 2).getReg();
        unsigned const width = mode == Mode::bits64 ? 64 : 32;
        a.rip_relative = base != 0 && (base == d.rip || base == d.eip);
        a.base = base ? d.gpr[base] : no_register;
        a.index = index ? d.gpr[index] : no_register;
        a.scale = static_cast<unsigned>(mc.getOperand(mem + 1).getImm());
        const llvm::MCOperand& disp = mc.getOperand(mem + 3);
        a.disp = disp.isImm() ? disp.getImm() : 0;
        a.full_width = (!base || d.bits[base] == width) && (!index || d.bits[index] == width);
        a.plain_segment = !d.segment_base[mc.getOperand(mem + 4).getReg()];
        insn.address = a;
    }
    // Registers outside the address: defs come first; a def tied to a use
    // (two-address forms) is read too.
    for (unsigned i = 0; i < count; ++i) {
        if (i >= mem && i < mem + 5) continue;
        const llvm::MCOperand& o = mc.getOperand(i);
        if (!o.isReg()) continue;
        bool const def = i < desc.getNumDefs();
        bool read_too = false;
        for (unsigned u = desc.getNumDefs(); u < count && def; ++u)
            if (desc.getOperandConstraint(u, llvm::MCOI::TIED_TO) == static_cast<int>(i)) read_too = true;
        if (def && !read_too) insn.pure_defs |= d.gpr_bit(o.getReg());
        else insn.data_uses |= d.gpr_bit(o.getReg());
    }
    for (llvm::MCPhysReg r : desc.implicit_uses()) insn.data_uses |= d.gpr_bit(r);
    for (llvm::MCPhysReg r : desc.implicit_defs()) insn.data_uses |= d.gpr_bit(r);  // e.g. rsp of push: read and written
}

}  // namespace

std::optional<Insn> decode(std::span<const std::uint8_t> bytes, Mode mode, Text text, Operands operands)
{
    Decoder& d = decoder();
    Mc_disassembler& m = mode == Mode::bits64 ? d.bits64 : d.bits32;
    llvm::ArrayRef<std::uint8_t> const in(bytes.data(), std::min(bytes.size(), max_length));

    Insn insn;
    std::size_t length = 0;
    bool lock_first = false;
    std::lock_guard const guard(m.lock());
    llvm::MCInst& mc = mode == Mode::bits64 ? d.mc64 : d.mc32;
    // MC returns a leading lock (and xacquire/xrelease, and a prefix it cannot
    // attach) as an instruction of its own: step over it to the real one.
    for (;;) {
        if (length >= in.size()) return std::nullopt;  // nothing but prefixes
        unsigned const size = m.decode({in.data() + length, in.size() - length}, mc);
        if (size == 0) return std::nullopt;
        if (text == Text::include) {
            if (!insn.text.empty()) insn.text += ' ';
            insn.text += m.text(mc);
        }
        lock_first |= length == 0 && mc.getOpcode() == d.lock_prefix;
        length += size;
        if (d.info[mc.getOpcode()].kind != Kind::prefix) break;
    }

    const Opcode_info& info = d.info[mc.getOpcode()];
    insn.length = static_cast<unsigned>(length);
    insn.reads_memory = info.access & read;
    insn.writes_memory = info.access & write;
    insn.special = info.special;
    insn.int_vector = info.vector;
    switch (info.kind) {
    case Kind::port_imm:
    case Kind::port_dx:
    case Kind::port_string:
        insn.port_io = Port_io{
            .out = info.out,
            .size = info.port_size,
            .port_in_dx = info.kind != Kind::port_imm,
            .port = info.kind == Kind::port_imm ? first_immediate(mc) & 0xff : 0,
            .string = info.kind == Kind::port_string,
            .rep = info.kind == Kind::port_string && has_rep(in.take_front(length), mode),
        };
        break;
    case Kind::int_imm:
        insn.int_vector = first_immediate(mc) & 0xff;
        insn.special = insn.int_vector == 0x80 ? Special::int80 : Special::int_n;
        break;
    case Kind::plain:
    case Kind::prefix:
        break;
    }
    if (operands == Operands::include) describe_operands(d, mc, mode, insn);
    // F0 90 exactly: other lock-prefixed nops are plain #UD.
    if (lock_first && length == 2 && mc.getOpcode() == d.nop) insn.special = Special::kernel_interface;
    return insn;
}

}  // namespace umol4::arch::x86
