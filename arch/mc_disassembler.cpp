// LLVM MC set-up for the trap decoders (see mc_disassembler.hpp).
#include "arch/mc_disassembler.hpp"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/MC/MCTargetOptions.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/ErrorHandling.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Triple.h>

namespace umol4::arch {

const llvm::Target& mc_target(const char* triple)
{
    std::string error;
    const llvm::Target* t = llvm::TargetRegistry::lookupTarget(triple, error);
    if (!t) llvm::report_fatal_error(llvm::Twine("umol4: no LLVM target for ") + triple + ": " + error);
    return *t;
}

Mc_disassembler::Mc_disassembler(const llvm::Target& t, const char* name, const char* features,
                                 const llvm::MCInstrInfo& instrs, unsigned printer_variant)
{
    llvm::Triple const triple(name);
    _regs.reset(t.createMCRegInfo(name));
    if (_regs) _asm_info.reset(t.createMCAsmInfo(*_regs, name, llvm::MCTargetOptions()));
    _subtarget.reset(t.createMCSubtargetInfo(name, "", features));
    if (!_regs || !_asm_info || !_subtarget) llvm::report_fatal_error(llvm::Twine("umol4: LLVM MC incomplete for ") + name);
    _context = std::make_unique<llvm::MCContext>(triple, _asm_info.get(), _regs.get(), _subtarget.get());
    _disassembler.reset(t.createMCDisassembler(*_subtarget, *_context));
    _printer.reset(t.createMCInstPrinter(triple, printer_variant, *_asm_info, instrs, *_regs));
    if (!_disassembler || !_printer) llvm::report_fatal_error(llvm::Twine("umol4: no LLVM disassembler for ") + name);
    _printer->setPrintImmHex(true);
}

unsigned Mc_disassembler::decode(std::span<const std::uint8_t> bytes, llvm::MCInst& mc) const
{
    mc.clear();
    if (bytes.empty()) return 0;  // MC's decoders read their first bytes unchecked
    std::uint64_t size = 0;
    llvm::ArrayRef<std::uint8_t> const in(bytes.data(), bytes.size());
    if (_disassembler->getInstruction(mc, size, in, 0, llvm::nulls()) == llvm::MCDisassembler::Fail) return 0;
    return static_cast<unsigned>(size);
}

std::string Mc_disassembler::text(const llvm::MCInst& mc) const
{
    std::string s;
    llvm::raw_string_ostream os(s);
    _printer->printInst(&mc, 0, "", *_subtarget, os);
    os.flush();
    std::string out;
    for (char const c : s) {
        char const ch = c == '\t' ? ' ' : c;
        if (ch == ' ' && (out.empty() || out.back() == ' ')) continue;
        out += ch;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

Mc_instructions::Mc_instructions(const char* triple, const char* features)
    : _target(mc_target(triple)), _instrs(_target.createMCInstrInfo()), _mc(_target, triple, features, *_instrs)
{
}

Access Mc_instructions::access(std::span<const std::uint8_t> code)
{
    std::lock_guard const guard(_mc.lock());
    if (_mc.decode(code, _inst) == 0) return Access::read;
    return _instrs->get(_inst.getOpcode()).mayStore() ? Access::write : Access::read;
}

std::string Mc_instructions::describe(std::span<const std::uint8_t> code)
{
    std::lock_guard const guard(_mc.lock());
    if (_mc.decode(code, _inst) == 0) return "(undecodable)";
    return _mc.text(_inst);
}

}  // namespace umol4::arch
