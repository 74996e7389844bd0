// Arch_traps for x86 tasks (x86_64 and ia32): fault access types, port I/O
// emulation, kernel-debugger requests and KernelInterface, on LLVM MC.
#include "arch/regs_bytes.hpp"
#include "arch/trap_recognition.hpp"
#include "arch/x86/insn_decoder.hpp"
#include "core/arch_traps.hpp"
#include "umol4/gen/arch/ia32/syscall_abi.hpp"
#include "umol4/gen/arch/x86_64/syscall_abi.hpp"

namespace umol4::arch::x86 {
namespace {

// Register access common to both register files.
template <class Regs>
struct Regs_access;

template <>
struct Regs_access<x86_64::Regs> {
    using Abi = x86_64::Abi;
    static constexpr Mode mode = Mode::bits64;
    // By encoding number (insn_decoder.hpp), nullptr past the arch's registers.
    static x86_64::Reg* gpr(x86_64::Regs& r, int n)
    {
        x86_64::Reg* const all[16] = {&r.rax, &r.rcx, &r.rdx, &r.rbx, &r.rsp, &r.rbp, &r.rsi, &r.rdi,
                              &r.r8,  &r.r9,  &r.r10, &r.r11, &r.r12, &r.r13, &r.r14, &r.r15};
        return n >= 0 && n < 16 ? all[n] : nullptr;
    }
    static Word& ax(x86_64::Regs& r) { return r.rax; }
    static Word dx(const x86_64::Regs& r) { return r.rdx; }
    static Word& ip(x86_64::Regs& r) { return r.rip; }
};

template <>
struct Regs_access<ia32::Regs> {
    using Abi = ia32::Abi;
    static constexpr Mode mode = Mode::bits32;
    static std::uint32_t* gpr(ia32::Regs& r, int n)
    {
        std::uint32_t* const all[8] = {&r.eax, &r.ecx, &r.edx, &r.ebx, &r.esp, &r.ebp, &r.esi, &r.edi};
        return n >= 0 && n < 8 ? all[n] : nullptr;
    }
    static std::uint32_t& ax(ia32::Regs& r) { return r.eax; }
    static Word dx(const ia32::Regs& r) { return r.edx; }
    static std::uint32_t& ip(ia32::Regs& r) { return r.eip; }
};

template <class Regs>
Regs load(const std::byte* b)
{
    return load_regs<Regs>(b);
}

template <class Regs>
void store(std::byte* b, const Regs& r)
{
    store_regs(b, r);
}

template <class Regs>
struct Traps {
    using R = Regs_access<Regs>;

    static Access fault_access(std::span<const std::uint8_t> code)
    {
        auto insn = decode(code, R::mode);
        if (!insn) return Access::read;
        return insn->writes_memory ? Access::write : Access::read;
    }

    static unsigned kernel_interface_length(std::span<const std::uint8_t> code)
    {
        auto insn = decode(code, R::mode);
        return insn && insn->special == Special::kernel_interface ? insn->length : 0;
    }

    // int3 stops with the IP after the CC byte; what follows says which
    // request (the description's kdebug encoding).
    static Kdebug_request kdebug_request(std::span<const std::uint8_t> c, const std::byte* b)
    {
        return recognise_kdebug(R::Abi::kdebug_encoding, c, R::Abi::kdebug_argument(load<Regs>(b)));
    }

    static void set_kdebug_result(std::byte* b, Word v)
    {
        Regs r = load<Regs>(b);
        R::Abi::set_kdebug_result(r, v);
        store(b, r);
    }

    // The `cmp` after int3 runs as an ordinary instruction: nothing to skip.
    static void finish_kdebug(std::byte*, const Kdebug_request&) {}

    static bool emulate_port_io(std::span<const std::uint8_t> code, std::byte* b, Port_device& bus)
    {
        auto insn = decode(code, R::mode);
        if (!insn || !insn->port_io || insn->port_io->string) return false;
        const Port_io& io = *insn->port_io;
        Regs r = load<Regs>(b);
        unsigned port = io.port_in_dx ? static_cast<unsigned>(R::dx(r) & 0xFFFF) : io.port;
        if (!bus.claims(port)) return false;
        auto& ax = R::ax(r);
        std::uint32_t mask = io.size == 4 ? 0xFFFFFFFFu : io.size == 2 ? 0xFFFFu : 0xFFu;
        if (io.out) {
            bus.out(port, io.size, static_cast<std::uint32_t>(ax) & mask);
        } else {
            std::uint32_t v = bus.in(port, io.size) & mask;
            // 32-bit results zero-extend the register; narrower ones merge.
            if (io.size == 4) ax = v;
            else ax = (ax & ~static_cast<std::remove_reference_t<decltype(ax)>>(mask)) | v;
        }
        R::ip(r) += insn->length;
        store(b, r);
        return true;
    }

    static Word exception_number(Exception e) { return R::Abi::exception_number(e); }

    static std::string describe(std::span<const std::uint8_t> code)
    {
        auto insn = decode(code, R::mode, Text::include);
        return insn ? insn->text : std::string("(undecodable)");
    }

    // The address is moved through the base register, or the index where
    // there is no base (scaled down: offset is page aligned).  An absolute
    // address, fs/gs or rip relative, narrow address registers, and one
    // that the instruction also uses as data cannot be moved this way.
    static std::optional<Rebased_operand> rebase_memory_operand(std::span<const std::uint8_t> code, std::byte* b,
                                                                Word offset, Word fault_address)
    {
        auto insn = decode(code, R::mode, Text::omit, Operands::include);
        if (!insn || !insn->address || insn->port_io || insn->special != Special::none) return std::nullopt;
        const Address& a = *insn->address;
        if (!a.full_width || !a.plain_segment || a.rip_relative) return std::nullopt;
        Regs r = load<Regs>(b);
        using Value = std::remove_pointer_t<decltype(R::gpr(r, 0))>;
        auto value = [&](int n) -> Word { return n == no_register ? 0 : *R::gpr(r, n); };
        if ((a.base != no_register && !R::gpr(r, a.base)) || (a.index != no_register && !R::gpr(r, a.index)))
            return std::nullopt;
        Value const address = static_cast<Value>(value(a.base) + value(a.index) * a.scale + static_cast<Word>(a.disp));
        bool const same_page = (Word(address) & ~Word(0xFFF)) == (fault_address & ~Word(0xFFF));
        bool const crossing = fault_address >= address && fault_address - address < 64;
        if (!same_page && !crossing) return std::nullopt;  // another access faulted (the stack of push, ...)
        Rebased_operand op;
        op.reg = a.base != no_register ? a.base : a.index;
        op.delta = a.base != no_register ? offset : offset / a.scale;
        if (op.reg == no_register || (insn->data_uses >> op.reg) & 1) return std::nullopt;
        op.undo = !((insn->pure_defs >> op.reg) & 1);
        *R::gpr(r, op.reg) = static_cast<Value>(*R::gpr(r, op.reg) + op.delta);
        store(b, r);
        return op;
    }

    static void undo_rebase(std::byte* b, const Rebased_operand& op)
    {
        if (!op.undo) return;
        Regs r = load<Regs>(b);
        using Value = std::remove_pointer_t<decltype(R::gpr(r, 0))>;
        *R::gpr(r, op.reg) = static_cast<Value>(*R::gpr(r, op.reg) - op.delta);
        store(b, r);
    }

    static Arch_traps table(std::string_view name)
    {
        return Arch_traps{name,           &fault_access,     &kernel_interface_length, &kdebug_request,
                          &set_kdebug_result, &finish_kdebug, &emulate_port_io,         &exception_number,
                          &describe,       &rebase_memory_operand, &undo_rebase};
    }
};

}  // namespace

const Arch_traps* traps(std::string_view arch)
{
    static const Arch_traps x86_64 = Traps<x86_64::Regs>::table("x86_64");
    static const Arch_traps ia32 = Traps<ia32::Regs>::table("ia32");
    if (arch == "x86_64") return &x86_64;
    if (arch == "ia32") return &ia32;
    return nullptr;
}

}  // namespace umol4::arch::x86
