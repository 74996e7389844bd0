// One LLVM MC disassembler for one target triple: the objects MC needs to
// decode and print instructions, shared by the arch families' trap decoders.
#pragma once

#include <llvm/MC/MCAsmInfo.h>
#include <llvm/MC/MCContext.h>
#include <llvm/MC/MCDisassembler/MCDisassembler.h>
#include <llvm/MC/MCInst.h>
#include <llvm/MC/MCInstPrinter.h>
#include <llvm/MC/MCInstrInfo.h>
#include <llvm/MC/MCRegisterInfo.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/host/host.hpp"
#include <mutex>
#include <span>
#include <string>

namespace umol4::arch {

// The target (registered by the caller's LLVMInitialize* calls) by triple;
// a missing one is a fatal error naming it.
const llvm::Target& mc_target(const char* triple);

class Mc_disassembler {
public:
    // `instrs` is the target's instruction table (one per target, shared by
    // its modes); `printer_variant` picks the syntax (x86: 0 = AT&T).
    Mc_disassembler(const llvm::Target& target, const char* triple, const char* features,
                    const llvm::MCInstrInfo& instrs, unsigned printer_variant = 0);

    // Decodes one instruction at the start of `bytes` into `mc`; its length,
    // or 0 when MC does not know it.  The caller holds lock().
    unsigned decode(std::span<const std::uint8_t> bytes, llvm::MCInst& mc) const;
    // The instruction as text, tabs and runs of blanks made one space.
    std::string text(const llvm::MCInst& mc) const;
    const llvm::MCRegisterInfo& registers() const { return *_regs; }

    // MCDisassembler::getInstruction stores into a mutable member: one
    // decode at a time per disassembler.
    std::mutex& lock() { return _lock; }

private:
    std::unique_ptr<llvm::MCRegisterInfo> _regs;
    std::unique_ptr<llvm::MCAsmInfo> _asm_info;
    std::unique_ptr<llvm::MCSubtargetInfo> _subtarget;
    std::unique_ptr<llvm::MCContext> _context;
    std::unique_ptr<llvm::MCDisassembler> _disassembler;
    std::unique_ptr<llvm::MCInstPrinter> _printer;
    std::mutex _lock;
};

// The decoder a fixed-width trap decoder needs (aarch64, riscv64): one
// target's instructions, what a faulting one accesses, its text.
// Thread-safe (one decode at a time).
class Mc_instructions {
public:
    // `triple` of a target the caller's LLVMInitialize* calls registered;
    // `features`: every extension user code may run (MC rejects the rest).
    Mc_instructions(const char* triple, const char* features);

    // write if the instruction at the start of `code` may store, read
    // otherwise, also when MC does not know it (the pager's answer decides).
    Access access(std::span<const std::uint8_t> code);
    // Its text, or "(undecodable)".
    std::string describe(std::span<const std::uint8_t> code);

private:
    const llvm::Target& _target;
    std::unique_ptr<const llvm::MCInstrInfo> _instrs;
    Mc_disassembler _mc;
    llvm::MCInst _inst;
};

// The one Mc_instructions of a target, made on first use after `init...`
// (the target's LLVMInitialize* functions) registered it.  Leaked on
// purpose: no exit-time destructor runs after LLVM's own statics.
template <void (*... init)()>
Mc_instructions& leaked_mc_instructions(const char* triple, const char* features)
{
    static Mc_instructions* const d = [&] {
        (init(), ...);
        return new Mc_instructions(triple, features);
    }();
    return *d;
}

}  // namespace umol4::arch
