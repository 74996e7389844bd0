// Linux facts of x86_64 tasks: the reserved range, the registers at
// system-call stops and the UTCB pointer (the calls themselves come from
// the description's [linux]).
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>

#include <cstring>

#include "arch/x86_64/linux_facts.hpp"
#include "arch/x86/signal_frame64.hpp"
#include "arch/x86/vsyscall.hpp"

namespace umol4::arch::x86_64 {
namespace {

// Regs is user_regs_struct's layout (asserted below): the frame's
// registers go to it directly.
void from_frame(const std::byte* f, const std::byte* held, std::byte* b)
{
    auto r = load_regs<user_regs_struct>(held);
    x86::frame64::to_view(f, r);
    store_regs(b, r);
}

bool to_frame(const std::byte* b, const std::byte* held, std::byte* f)
{
    return x86::frame64::from_view(load_regs<user_regs_struct>(b), load_regs<user_regs_struct>(held), f);
}

}  // namespace

static_assert(sizeof(Regs) == sizeof(user_regs_struct), "PTRACE_GETREGS reads NT_PRSTATUS's layout");

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
        // The tracer's view is the same layout: past a far jump to 32-bit
        // code, NT_PRSTATUS would be ia32's.
        .host_view_bytes = sizeof(Regs),
        .host_view_get = PTRACE_GETREGS,
        .host_view_set = PTRACE_SETREGS,
        .from_host_view = [](const std::byte* v, std::byte* b) { std::memcpy(b, v, sizeof(Regs)); },
        .to_host_view = [](const std::byte* b, std::byte* v) { std::memcpy(v, b, sizeof(Regs)); },
        .write_host_view = true,
        .emulated_entries = x86::vsyscall_page,
        .return_to_entry = x86::return_to_vsyscall_entry,
        .signal_path = x86::signal_path64({
            .nr = {.sigaltstack = SYS_sigaltstack,
                   .seccomp = SYS_seccomp,
                   .set_tid_address = SYS_set_tid_address,
                   .prctl = SYS_prctl,
                   .trapped = SYS_getpid},
            .blocks = 0x7ff002000000,
            .from_frame = from_frame,
            .to_frame = to_frame,
            .set_step = x86::frame64::set_trap_flag<Regs>,
            .back_to_entry = x86::frame64::call_at_entry<Regs, &Regs::rip, &Regs::rsp>,
        }),
    });
    return a;
}

}  // namespace umol4::arch::x86_64
