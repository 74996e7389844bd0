// What the threads of one address space see of the machine: the arch of
// their code (system calls, registers, exceptions, instructions), their
// word size and thread ids, the KIP mapped into the space and the layout of
// their task process.  A box has one for its own arch, and a second for
// compatibility spaces where its arch offers them (x86_64: ia32 code).
#pragma once

#include <string_view>

#include "core/arch_plugin.hpp"
#include "core/arch_traps.hpp"
#include "core/objects/thread_id.hpp"

namespace umol4 {

struct Space_abi {
    const Arch_plugin* arch;
    const Arch_traps* traps;       // nullptr: instructions are not decoded
    Id_format ids;
    std::string_view host_arch;    // the task process's arch ("": the box's own)
    Word kip_frame = 0;            // the KIP as this arch reads it
    Word reserved_low = 0, reserved_high = 0;  // the task's own range, no L4 use
    Word low_alias = 0;            // where the task's pages below the host's low limit live
    bool compat = false;           // a compatibility space (SpaceControl's compat bit)

    // An address L4 code of such a space can never use: the task's own
    // range, or past the arch's address space.
    bool host_owns(Word a) const
    {
        return (a >= reserved_low && a < reserved_high) || (arch->word_bits < 64 && (a >> arch->word_bits) != 0);
    }
};

}  // namespace umol4
