// What the trap tables of the fixed-width arches (aarch64, riscv64) share:
// instruction words read from the code bytes, the kernel-debugger result
// register, the step past a breakpoint (their stops leave the PC on it),
// no port I/O, and the table put together from an arch's own pieces.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>

#include "arch/regs_bytes.hpp"
#include "core/arch_traps.hpp"

namespace umol4::arch {

// The little-endian 32-bit word `at` bytes into `code`, if it holds one.
inline std::optional<std::uint32_t> insn_word(std::span<const std::uint8_t> code, std::size_t at = 0)
{
    if (code.size() < at + 4) return std::nullopt;
    std::uint32_t w;
    std::memcpy(&w, code.data() + at, 4);
    return w;
}

// `Regs` has a `pc`; `result` points at the kernel debugger's argument and
// result register.  kdebug_request sets Kdebug_request::length to the
// breakpoint's bytes.
template <class Regs, auto result>
Arch_traps fixed_width_traps(std::string_view name, Access (*fault_access)(std::span<const std::uint8_t>),
                             unsigned (*kernel_interface_length)(std::span<const std::uint8_t>),
                             Kdebug_request (*kdebug_request)(std::span<const std::uint8_t>, const std::byte*),
                             Word (*exception_number)(Exception),
                             std::string (*describe)(std::span<const std::uint8_t>))
{
    auto set_kdebug_result = [](std::byte* b, Word v) {
        Regs r = load_regs<Regs>(b);
        r.*result = v;
        store_regs(b, r);
    };
    auto finish_kdebug = [](std::byte* b, const Kdebug_request& q) {
        Regs r = load_regs<Regs>(b);
        r.pc += q.length;
        store_regs(b, r);
    };
    auto no_port_io = [](std::span<const std::uint8_t>, std::byte*, Port_device&) { return false; };
    return Arch_traps{name, fault_access, kernel_interface_length, kdebug_request, set_kdebug_result,
                      finish_kdebug, no_port_io, exception_number, describe};
}

}  // namespace umol4::arch
