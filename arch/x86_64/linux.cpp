// Linux facts of x86_64 tasks: the reserved range, the registers at
// system-call stops and the UTCB pointer (the calls themselves come from
// the description's [linux]).
#include "arch/x86_64/linux_facts.hpp"

namespace umol4::arch::x86_64 {

const linux_host::Linux_arch& linux_arch()
{
    static const linux_host::Linux_arch a = linux_facts({
        .system_pages = 0x7ff000000000,
        .reserved_low = 0x7ff000000000,
        .reserved_high = 0x800000000000,
        .low_alias = 0x7ff000800000,
        // SYSEMU left -ENOSYS in rax; the thread's rax is in orig_rax.
        .fixup_syscall_stop =
            [](std::byte* b) {
                Regs r = load_regs<Regs>(b);
                r.rax = r.orig_rax;
                store_regs(b, r);
            },
        .thread_pointer_indirect = true,
        .batch_gate_offset = 3,
    });
    return a;
}

}  // namespace umol4::arch::x86_64
