// Linux facts of ia32 tasks, 32-bit processes under the x86_64 core: the
// reserved range, the registers at system-call stops and the UTCB pointer
// (the calls themselves come from the description's [linux]).
#include <asm/ldt.h>
#include <sys/ptrace.h>

#include "arch/ia32/linux_facts.hpp"
#include "core/host/linux/ptrace_calls.hpp"

namespace umol4::arch::ia32 {

namespace {
constexpr unsigned tls_gdt_entry = 12;

void set_tls_descriptor(int tid, Word base)
{
    user_desc d{};
    d.entry_number = tls_gdt_entry;
    d.base_addr = static_cast<unsigned>(base);
    d.limit = 0xFFFFF;
    d.seg_32bit = 1;
    d.limit_in_pages = 1;
    d.useable = 1;
    linux_host::ptrace_checked(static_cast<enum __ptrace_request>(PTRACE_SET_THREAD_AREA), tid,
                               reinterpret_cast<void*>(static_cast<long>(tls_gdt_entry)), &d, "set thread area");
}
}  // namespace

const linux_host::Linux_arch& linux_arch()
{
    static const linux_host::Linux_arch a = linux_facts({
        // Below the 32-bit stack and vdso (no ASLR: just under 4 GiB).
        .system_pages = 0xEE000000,
        .reserved_low = 0xEE000000,
        .reserved_high = 0x100000000,
        .low_alias = 0xEE800000,
        // SYSEMU left -ENOSYS in eax; the thread's eax is in orig_eax.
        .fixup_syscall_stop =
            [](std::byte* b) {
                Regs r = load_regs<Regs>(b);
                r.eax = r.orig_eax;
                store_regs(b, r);
            },
        .thread_pointer_indirect = true,
        // gs selects a TLS descriptor (GDT entry 12) based at the thread's word.
        .set_thread_pointer =
            [](std::byte* b, Word) {
                Regs r = load_regs<Regs>(b);
                r.xgs = (tls_gdt_entry << 3) | 3;
                store_regs(b, r);
            },
        .set_thread_register = &set_tls_descriptor,
        .batch_gate_offset = 3,
    });
    return a;
}

}  // namespace umol4::arch::ia32
