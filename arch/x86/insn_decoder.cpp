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

struct Decoder {
    const llvm::Target* target;
    std::unique_ptr<const llvm::MCInstrInfo> instrs;
    std::vector<Opcode_info> info;  // indexed by MC opcode
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
    }
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

}  // namespace

std::optional<Insn> decode(std::span<const std::uint8_t> bytes, Mode mode, Text text)
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
    // F0 90 exactly: other lock-prefixed nops are plain #UD.
    if (lock_first && length == 2 && mc.getOpcode() == d.nop) insn.special = Special::kernel_interface;
    return insn;
}

}  // namespace umol4::arch::x86
