// Turns an arch's generated Abi (syscall-bindings) into the core's
// Arch_plugin table: the C++ concept the arch code satisfies, plus the thin
// type-erasing adapter the core calls at run time.
#pragma once

#include <concepts>
#include <cstring>

#include "arch/regs_bytes.hpp"
#include "core/arch_plugin.hpp"
#include "core/regs_format.hpp"

namespace umol4 {

template <class A>
concept Arch_abi = requires(typename A::Regs& r, const typename A::Regs& cr, Syscall_frame& f, Syscall s, Word w) {
    { A::name } -> std::convertible_to<const char*>;
    { A::word_bits } -> std::convertible_to<unsigned>;
    { A::stub_slot_bytes } -> std::convertible_to<unsigned>;
    { A::decode(s, cr, f) };
    { A::encode(f, r) };
    { A::call_at_stub_offset(w) } -> std::same_as<std::optional<Syscall>>;
    { A::stub_offset_of(s) } -> std::same_as<Word>;
    { A::pc(r) } -> std::same_as<typename A::Reg&>;
    { A::sp(r) } -> std::same_as<typename A::Reg&>;
};

namespace detail {

template <class A>
typename A::Regs load(const std::byte* bytes)
{
    return arch::load_regs<typename A::Regs>(bytes);
}

template <class A>
void store(std::byte* bytes, const typename A::Regs& r)
{
    arch::store_regs(bytes, r);
}

}  // namespace detail

template <Arch_abi A>
constexpr Arch_plugin make_arch_plugin()
{
    using Regs = typename A::Regs;
    using Reg = typename A::Reg;
    return Arch_plugin{
        .name = A::name,
        .word_bits = A::word_bits,
        .regset_bytes = sizeof(Regs),
        .utcb_size = A::utcb_size,
        .mr0_offset = A::mr0_offset,
        .api_flags = A::api_flags,
        .utcb_m = A::utcb_m,
        .utcb_a = A::utcb_a,
        .utcb_s = A::utcb_s,
        .page_rights = A::page_rights,
        .page_size_mask = A::page_size_mask,
        .thread_bits = A::thread_bits,
        .proc_desc_shift = A::proc_desc_shift,
        .stub_slot_bytes = A::stub_slot_bytes,
        .stub_slots = A::stub_slots,
        .trap_bytes = A::trap_bytes,
        .trap_fault_code = A::trap_fault_code,
        .kip_entries_relative = A::kip_entries_relative,
        .compat_control = A::compat_control,
        .compat_arch = A::compat_arch,
        .call_at_stub_offset = &A::call_at_stub_offset,
        .stub_offset_of = &A::stub_offset_of,
        .decode = [](Syscall c, const std::byte* b, Syscall_frame& f) { A::decode(c, detail::load<A>(b), f); },
        .encode =
            [](const Syscall_frame& f, std::byte* b) {
                Regs r = detail::load<A>(b);
                A::encode(f, r);
                detail::store<A>(b, r);
            },
        .trap_inputs =
            [](const Syscall_frame& f, std::byte* b) {
                Regs r = detail::load<A>(b);
                A::trap_inputs(f, r);
                detail::store<A>(b, r);
            },
        .read_outputs = [](const std::byte* b, Syscall_frame& f) { A::read_outputs(detail::load<A>(b), f); },
        .flags = [](const std::byte* b) { return A::flags(detail::load<A>(b)); },
        .set_user_flags =
            [](std::byte* b, Word v) {
                Regs r = detail::load<A>(b);
                A::set_user_flags(r, v);
                detail::store<A>(b, r);
            },
        .pc = [](const std::byte* b) { Regs r = detail::load<A>(b); return Word(A::pc(r)); },
        .set_pc =
            [](std::byte* b, Word v) {
                Regs r = detail::load<A>(b);
                A::pc(r) = Reg(v);
                detail::store<A>(b, r);
            },
        .sp = [](const std::byte* b) { Regs r = detail::load<A>(b); return Word(A::sp(r)); },
        .set_sp =
            [](std::byte* b, Word v) {
                Regs r = detail::load<A>(b);
                A::sp(r) = Reg(v);
                detail::store<A>(b, r);
            },
        .exception_words = A::exception_words,
        .exception_message = [](const std::byte* b, Word n, Word e, Word* mr) { A::exception_message(detail::load<A>(b), n, e, mr); },
        .exception_reply =
            [](std::byte* b, const Word* mr, unsigned c) {
                Regs r = detail::load<A>(b);
                A::exception_reply(r, mr, c);
                detail::store<A>(b, r);
            },
        .format_regs = [](const std::byte* b) { return format_regs(detail::load<A>(b)); },
    };
}

}  // namespace umol4
