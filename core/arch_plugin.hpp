// The contract between the core and an arch plugin (one per traced arch).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/syscall.hpp"

namespace umol4 {

// A register file in the arch's ptrace (NT_PRSTATUS) layout, held as raw
// bytes so the core can carry it without knowing the arch.
struct Regset_view {
    std::span<std::byte> bytes;
};

// What the core needs from an arch, as a table of functions filled in by each
// plugin from its generated ABI (arch/<arch>/plugin.cpp); core/arch.hpp
// finds it with the arch's other tables.
struct Arch_plugin {
    std::string_view name;
    unsigned word_bits;
    std::size_t regset_bytes;

    // KIP and UTCB facts of the arch.
    unsigned utcb_size, mr0_offset;
    Word api_flags;
    unsigned utcb_m, utcb_a, utcb_s;
    unsigned page_rights;
    Word page_size_mask;
    unsigned thread_bits;
    unsigned proc_desc_shift;

    // System calls: which stub slot a trap came from, and register <-> frame.
    unsigned stub_slot_bytes;
    unsigned stub_slots;
    // Length of the trap instruction: pc at a system-call stop less this
    // executes the call again (how a thread stopped for another vCPU's
    // request takes back a call that had not been served).
    unsigned trap_bytes;
    // The trap's bytes where it is a faulting instruction rather than a
    // system-call instruction (ia32: hlt): a general fault at them, inside
    // the KIP stubs, is the call (empty: the trap is a system call).
    std::span<const std::uint8_t> trap_fault_code;
    bool kip_entries_relative;
    // SpaceControl's control bit that makes a new space a compatibility
    // space (x86_64: bit 63), whose threads run the code of compat_arch
    // (ia32); 0: the arch has none.
    Word compat_control;
    std::string_view compat_arch;
    std::optional<Syscall> (*call_at_stub_offset)(Word offset);
    Word (*stub_offset_of)(Syscall call);
    void (*decode)(Syscall call, const std::byte* regs, Syscall_frame& frame);
    void (*encode)(const Syscall_frame& frame, std::byte* regs);
    // The user's side of the same registers, for in-process hosts that play
    // L4 threads (tests): a call's inputs as its stub traps with them, and
    // its outputs after the kernel's encode.
    void (*trap_inputs)(const Syscall_frame& frame, std::byte* regs);
    void (*read_outputs)(const std::byte* regs, Syscall_frame& frame);

    Word (*flags)(const std::byte* regs);
    void (*set_user_flags)(std::byte* regs, Word value);  // only user-changeable bits
    Word (*pc)(const std::byte* regs);
    void (*set_pc)(std::byte* regs, Word value);
    Word (*sp)(const std::byte* regs);
    void (*set_sp)(std::byte* regs, Word value);

    // Exception IPC: the registers as MR1..MR(exception_words), and back.
    unsigned exception_words;
    void (*exception_message)(const std::byte* regs, Word number, Word error, Word* mr);
    void (*exception_reply)(std::byte* regs, const Word* mr, unsigned count);

    // "name=value ..." of every register, for traces and test failures.
    std::string (*format_regs)(const std::byte* regs);

    Word word_mask() const { return word_bits == 64 ? ~Word(0) : (Word(1) << word_bits) - 1; }
};

}  // namespace umol4
