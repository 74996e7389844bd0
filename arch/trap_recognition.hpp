// Recognising the description's trap encodings (Insn_pattern,
// Kdebug_encoding from arch/<arch>.toml) in the code bytes at a stop's PC:
// one reading for every arch, so no arch repeats an encoding by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "core/arch_traps.hpp"

namespace umol4::arch {

// The little-endian value of `bytes` bytes `at` bytes into `code`, if it holds them.
inline std::optional<std::uint64_t> code_value(std::span<const std::uint8_t> code, std::size_t at, unsigned bytes)
{
    if (bytes == 0 || bytes > 8 || code.size() < at + bytes) return std::nullopt;
    std::uint64_t v = 0;
    for (unsigned i = 0; i < bytes; ++i) v |= std::uint64_t(code[at + i]) << (8 * i);
    return v;
}

// The value of the instruction `p` at `at`, if it is there.
inline std::optional<std::uint64_t> match(const Insn_pattern& p, std::span<const std::uint8_t> code, std::size_t at)
{
    auto v = code_value(code, at, p.bytes);
    if (!v || (*v & p.mask) != p.bits) return std::nullopt;
    return v;
}

// Bytes of the breakpoint instruction the PC lies on (0: none, or an arch
// whose breakpoint stops past itself).
inline unsigned breakpoint_length(const Kdebug_encoding& e, std::span<const std::uint8_t> code)
{
    for (const Insn_pattern& b : e.breakpoints)
        if (match(b, code, 0)) return b.bytes;
    return 0;
}

// Which request a breakpoint stop is: an op (its number and `argument`,
// the arch's argument register), an enter with a message, or a plain
// enter.  `length` is the breakpoint's bytes, for Arch_traps::finish_kdebug.
inline Kdebug_request recognise_kdebug(const Kdebug_encoding& e, std::span<const std::uint8_t> code, Word argument)
{
    Kdebug_request q;
    q.length = breakpoint_length(e, code);
    bool const stepped = e.breakpoints[0].bytes != 0;
    if (stepped && q.length == 0) return q;  // not on a breakpoint instruction
    auto at = [&](const Insn_pattern& p) -> std::size_t { return p.after_breakpoint ? q.length : 0; };
    if (match(e.enter_message, code, at(e.enter_message))) {
        std::optional<std::uint64_t> message = argument;
        if (e.immediate_bytes) message = code_value(code, at(e.enter_message) + e.immediate_at, e.immediate_bytes);
        if (message) {
            if (e.immediate_bytes && e.immediate_signed && e.immediate_bytes < 8) {
                unsigned const shift = 64 - 8 * e.immediate_bytes;
                message = static_cast<std::uint64_t>(static_cast<std::int64_t>(*message << shift) >> shift);
            }
            q.kind = Kdebug_request::Kind::enter_message;
            q.message = *message;
            return q;
        }
    }
    if (auto m = match(e.op, code, at(e.op))) {
        Word const field = (*m >> e.op_shift) & ((Word(1) << e.op_width) - 1);
        if (field >= e.op_base && field < e.op_end) {
            q.kind = Kdebug_request::Kind::op;
            q.op = static_cast<unsigned>(field - e.op_base);
            q.argument = argument;
        }
    }
    return q;
}

// Bytes of KernelInterface's instruction at the PC, 0 if it is not there.
inline unsigned recognise_kernel_interface(const Insn_pattern& p, std::span<const std::uint8_t> code)
{
    return match(p, code, 0) ? p.bytes : 0;
}

}  // namespace umol4::arch
