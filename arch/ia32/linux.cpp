// Linux facts of ia32 tasks, 32-bit processes under the x86_64 core: the
// reserved range, the registers at system-call stops and the UTCB pointer
// (the calls themselves come from the description's [linux]).
#include <asm/ldt.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include <cstdint>
#include <cstring>

#include "arch/ia32/linux_facts.hpp"
#include "arch/x86/signal_frame64.hpp"
#include "arch/x86/vsyscall.hpp"
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

#if defined(__x86_64__)
// Under an x86_64 core the tracer's view (PTRACE_GETREGS) is x86_64's
// user_regs_struct, whatever mode the task's code runs in; ia32's registers
// are its low halves (orig_eax sign-extended, as Linux's own 32-bit view
// does).
constexpr std::size_t view_bytes = sizeof(user_regs_struct);

void from_view(const std::byte* v, std::byte* b)
{
    user_regs_struct u;
    std::memcpy(&u, v, sizeof u);
    Regs r{};
    r.ebx = Reg(u.rbx), r.ecx = Reg(u.rcx), r.edx = Reg(u.rdx), r.esi = Reg(u.rsi), r.edi = Reg(u.rdi);
    r.ebp = Reg(u.rbp), r.eax = Reg(u.rax), r.orig_eax = Reg(u.orig_rax), r.eip = Reg(u.rip), r.eflags = Reg(u.eflags);
    r.esp = Reg(u.rsp), r.xds = Reg(u.ds), r.xes = Reg(u.es), r.xfs = Reg(u.fs), r.xgs = Reg(u.gs), r.xcs = Reg(u.cs);
    r.xss = Reg(u.ss);
    store_regs(b, r);
}

void to_view(const std::byte* b, std::byte* v)
{
    Regs const r = load_regs<Regs>(b);
    user_regs_struct u;
    std::memcpy(&u, v, sizeof u);
    u.rbx = r.ebx, u.rcx = r.ecx, u.rdx = r.edx, u.rsi = r.esi, u.rdi = r.edi, u.rbp = r.ebp, u.rax = r.eax;
    u.orig_rax = static_cast<unsigned long long>(static_cast<std::int64_t>(static_cast<std::int32_t>(r.orig_eax)));
    u.rip = r.eip, u.eflags = r.eflags, u.rsp = r.esp, u.ds = r.xds, u.es = r.xes, u.fs = r.xfs, u.gs = r.xgs;
    u.cs = r.xcs, u.ss = r.xss;
    std::memcpy(v, &u, sizeof u);
}

// The signal path: the stub's 64-bit handler takes x86_64 frames, whose
// registers go through the same view.  The thread's segment selectors are
// not in them (Linux writes 0 for fs and gs; ds and es never change on
// that path): they stay as the thread had them.
void from_frame(const std::byte* f, const std::byte* held, std::byte* b)
{
    user_regs_struct u{};
    to_view(held, reinterpret_cast<std::byte*>(&u));
    x86::frame64::to_view(f, u);
    Regs const h = load_regs<Regs>(held);
    u.fs = h.xfs, u.gs = h.xgs;
    from_view(reinterpret_cast<const std::byte*>(&u), b);
}

// The upper halves of the frame's registers are not the ia32 view's: a
// thread stopped in 64-bit code (past a far jump of its own) goes on with
// them zero where the core wrote its registers.
bool to_frame(const std::byte* b, const std::byte* held, std::byte* f)
{
    user_regs_struct h{}, u{};
    to_view(held, reinterpret_cast<std::byte*>(&h));
    u = h;
    to_view(b, reinterpret_cast<std::byte*>(&u));
    return x86::frame64::from_view(u, h, f);
}

const linux_host::Linux_arch::Signal_path signal_path = x86::signal_path64({
    .handler_gate = 0x1a0,  // task_stub.S: the 64-bit gate
    // asm/unistd_32.h's numbers (that header and the 64-bit one cannot meet).
    .nr = {.sigaltstack = 186, .seccomp = 354, .set_tid_address = 258, .prctl = 172, .trapped = 20},
    // Inside the reserved range, past the stub (1024 threads' blocks).
    .blocks = 0xF0000000,
    .from_frame = from_frame,
    .to_frame = to_frame,
    .set_step = x86::frame64::set_trap_flag<Regs>,
    // None: the vsyscall page (reached in 64-bit mode only) lies beyond
    // what ia32 registers hold; a call of it is a Linux call (exception 6).
});
#else
// A 32-bit core reads ia32 tasks through NT_PRSTATUS alone, and has no
// signal path for them (its handler is 64-bit code).
const linux_host::Linux_arch::Signal_path signal_path{};
constexpr std::size_t view_bytes = 0;
constexpr void (*from_view)(const std::byte*, std::byte*) = nullptr;
constexpr void (*to_view)(const std::byte*, std::byte*) = nullptr;
#endif

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
        // Read through the tracer's view (a far jump to 64-bit code changes
        // NT_PRSTATUS's layout), written by NT_PRSTATUS: the tracer's view
        // would also set the 64-bit segment bases.
        .host_view_bytes = view_bytes,
        .host_view_get = PTRACE_GETREGS,
        .host_view_set = PTRACE_SETREGS,
        .from_host_view = from_view,
        .to_host_view = to_view,
        .write_host_view = false,
        .emulated_entries = x86::vsyscall_page,
        .return_to_entry = x86::return_to_vsyscall_entry,
        .signal_path = signal_path,
    });
    return a;
}

}  // namespace umol4::arch::ia32
