// What one faulting x86 instruction (ia32 or x86_64 task) does, decoded with LLVM MC.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace umol4::arch::x86 {

enum class Mode { bits32, bits64 };

// An in/out/ins/outs instruction; L4 code reaches the virtual devices this way.
struct Port_io {
    bool out = false;          // out/outs: true; in/ins: false
    unsigned size = 0;         // 1, 2 or 4 bytes (the operand-size prefix selects 2)
    bool port_in_dx = false;   // port in DX, else the immediate `port`
    unsigned port = 0;         // valid when !port_in_dx
    bool string = false;       // ins/outs: memory at ES:rDI / DS:rSI, count in rCX if rep
    bool rep = false;
};

enum class Special : std::uint8_t {
    none,
    syscall,           // 0F 05
    sysenter,          // 0F 34
    int80,             // CD 80
    int_n,             // int $n (n != 0x80), into (vector 4)
    int3,              // CC
    kernel_interface,  // F0 90 (lock; nop): the X.2 KernelInterface trap
    hlt,
    privileged,        // cli, sti, lgdt, mov to/from %cr/%dr, wrmsr, invlpg, ...
};

// General registers by their encoding number: 0 ax, 1 cx, 2 dx, 3 bx,
// 4 sp, 5 bp, 6 si, 7 di, 8-15 r8-r15 (any width).
using Gpr_set = std::uint32_t;
inline constexpr int no_register = -1;

// The explicit memory operand: address = base + index * scale + disp.
struct Address {
    int base = no_register, index = no_register;
    unsigned scale = 1;
    std::int64_t disp = 0;
    bool full_width = true;   // the registers are as wide as the mode's addresses
    bool plain_segment = true;  // no fs/gs override (their bases are not 0)
    bool rip_relative = false;
};

struct Insn {
    unsigned length = 0;
    bool reads_memory = false;    // explicit operands and implicit ones: the stack
    bool writes_memory = false;   // of push/pop/call/ret, strings, xlat, maskmov
    std::optional<Port_io> port_io;
    Special special = Special::none;
    unsigned int_vector = 0;      // int_n, int80, int3
    std::string text;             // AT&T, e.g. "outb %al, %dx"; only with Text::include
    // Only with Operands::include: the explicit memory operand, if any, and
    // the general registers the instruction uses besides its address: read
    // as data (explicit or implicit), and written without being read.
    std::optional<Address> address;
    Gpr_set data_uses = 0, pure_defs = 0;
};

// Text costs an allocation and printing: ask for it only when logging.
enum class Text { omit, include };
// The operands' registers: only the emulation of the lowest pages needs them,
// not every fault's access type.
enum class Operands { omit, include };

// Decodes the instruction at the start of `bytes` (at most 15 are looked at).
// nullopt: not a valid instruction, or `bytes` ends before the instruction
// does.  Thread-safe.
std::optional<Insn> decode(std::span<const std::uint8_t> bytes, Mode mode,
                           Text text = Text::omit, Operands operands = Operands::omit);

}  // namespace umol4::arch::x86
