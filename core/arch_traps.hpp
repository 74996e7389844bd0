// Instruction-level knowledge the core needs when an L4 thread traps for a
// reason other than a system call: what a faulting instruction accesses,
// port I/O to emulate, kernel-debugger requests, the KernelInterface
// instruction.  Implemented per arch family with LLVM MC (arch/x86/traps.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/host/host.hpp"
#include "core/syscall.hpp"

namespace umol4 {

// A device on the I/O port bus (x86 in/out).
class Port_device {
public:
    virtual ~Port_device() = default;
    virtual bool claims(unsigned port) const = 0;
    virtual std::uint32_t in(unsigned port, unsigned size) = 0;
    virtual void out(unsigned port, unsigned size, std::uint32_t value) = 0;
};

struct Kdebug_request {
    enum class Kind { op, enter, enter_message } kind = Kind::enter;
    unsigned op = 0;       // for Kind::op: the X.2 kdebug operation (PrintChar = 0, ...)
    Word argument = 0;     // the op's argument register (character, string address)
    Word message = 0;      // for Kind::enter_message: address of the string
    unsigned length = 0;   // bytes of the breakpoint instruction, for finish_kdebug
};

// One register of an instruction whose memory operand was moved (see
// Arch_traps::rebase_memory_operand): `delta` was added to it for one step
// of the instruction; undo_rebase takes it off again unless the instruction
// wrote the register itself.
struct Rebased_operand {
    int reg = -1;  // the arch's register number (x86: general register 0-15)
    Word delta = 0;
    bool undo = true;
};

// Bytes at the trapping PC are read by the core (up to 16) and handed in;
// registers are the arch's NT_PRSTATUS bytes.
struct Arch_traps {
    std::string_view arch;
    // Access type of the instruction whose memory access faulted.
    Access (*fault_access)(std::span<const std::uint8_t> code);
    // Length of the KernelInterface instruction at the PC, 0 if it is not one.
    unsigned (*kernel_interface_length)(std::span<const std::uint8_t> code);
    // A breakpoint trap: which kernel-debugger request it is (PC already
    // past the breakpoint instruction where the arch does so).
    Kdebug_request (*kdebug_request)(std::span<const std::uint8_t> code_at_pc, const std::byte* regs);
    void (*set_kdebug_result)(std::byte* regs, Word value);
    // Advances the PC past what the breakpoint request occupies.
    void (*finish_kdebug)(std::byte* regs, const Kdebug_request& request);
    // Emulates a port-I/O instruction on `bus`; false if the instruction is
    // not port I/O (or string I/O) or the bus does not claim the port.
    // Advances the PC.
    bool (*emulate_port_io)(std::span<const std::uint8_t> code, std::byte* regs, Port_device& bus);
    Word (*exception_number)(Exception e);
    // Describes the instruction for messages ("outb %al, %dx").
    std::string (*describe)(std::span<const std::uint8_t> code);
    // Moves the memory operand of the instruction by `offset` (the host's
    // alias of pages it cannot install at their own address) in `regs`, so
    // that one step of it reaches the alias.  nullopt, regs untouched: its
    // address comes from no register, from one the instruction also uses as
    // data, or does not lie on the page of `fault_address`.  nullptr: the
    // arch cannot step single instructions.
    std::optional<Rebased_operand> (*rebase_memory_operand)(std::span<const std::uint8_t> code, std::byte* regs,
                                                            Word offset, Word fault_address) = nullptr;
    void (*undo_rebase)(std::byte* regs, const Rebased_operand& r) = nullptr;
};

}  // namespace umol4
