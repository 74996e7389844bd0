// What the trap tables of the fixed-width arches (aarch64, riscv64) share:
// KernelInterface, kernel-debugger requests and exception numbers from the
// arch's description, the step past a breakpoint (their stops leave the PC
// on it), no port I/O; the arch adds its instruction decoder.
#pragma once

#include <span>
#include <string>

#include "arch/mc_disassembler.hpp"
#include "arch/regs_bytes.hpp"
#include "arch/trap_recognition.hpp"
#include "core/arch_traps.hpp"

namespace umol4::arch {

// `Abi` is the generated umol4::arch::<arch>::Abi.
template <class Abi>
Arch_traps fixed_width_traps(Access (*fault_access)(std::span<const std::uint8_t>),
                             std::string (*describe)(std::span<const std::uint8_t>))
{
    using Regs = typename Abi::Regs;
    auto kernel_interface_length = [](std::span<const std::uint8_t> code) {
        return recognise_kernel_interface(Abi::kernel_interface_insn, code);
    };
    auto kdebug_request = [](std::span<const std::uint8_t> code, const std::byte* b) {
        return recognise_kdebug(Abi::kdebug_encoding, code, Abi::kdebug_argument(load_regs<Regs>(b)));
    };
    auto set_kdebug_result = [](std::byte* b, Word v) {
        Regs r = load_regs<Regs>(b);
        Abi::set_kdebug_result(r, v);
        store_regs(b, r);
    };
    auto finish_kdebug = [](std::byte* b, const Kdebug_request& q) {
        Regs r = load_regs<Regs>(b);
        Abi::pc(r) += q.length;
        store_regs(b, r);
    };
    auto no_port_io = [](std::span<const std::uint8_t>, std::byte*, Port_device&) { return false; };
    auto exception_number = [](Exception e) { return Abi::exception_number(e); };
    return Arch_traps{Abi::name, fault_access, kernel_interface_length, kdebug_request, set_kdebug_result,
                      finish_kdebug, no_port_io, exception_number, describe};
}

// The table of a fixed-width arch whose instructions LLVM MC decodes with
// the target the `init` functions register (LLVMInitialize*): a store
// faults as a write, every other access as a read.
template <class Abi, void (*... init)()>
const Arch_traps& mc_fixed_width_traps(const char* triple, const char* features)
{
    static const char* const t = triple;
    static const char* const f = features;
    static const Arch_traps table = fixed_width_traps<Abi>(
        [](std::span<const std::uint8_t> c) { return leaked_mc_instructions<init...>(t, f).access(c); },
        [](std::span<const std::uint8_t> c) { return leaked_mc_instructions<init...>(t, f).describe(c); });
    return table;
}

}  // namespace umol4::arch
