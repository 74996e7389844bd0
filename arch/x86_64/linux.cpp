// Linux facts of x86_64 tasks: the reserved range, the registers at
// system-call stops and the UTCB pointer (the calls themselves come from
// the description's [linux]).
#include <linux/audit.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <sys/user.h>

#include <cstring>

#include "arch/x86_64/linux_facts.hpp"
#include "arch/x86/vsyscall.hpp"

namespace umol4::arch::x86_64 {
namespace {

// The kernel's rt_sigframe ucontext on x86_64: flags, link, the alternate
// stack, the sigcontext (glibc's REG_* order of words), then the mask.
constexpr std::size_t uc_stack = 16, gregs = 40, fpstate = gregs + 23 * 8, sigmask = 296;
constexpr std::size_t frame_bytes = sigmask + 8;
constexpr Word uc_fp_xstate = 1, uc_sigcontext_ss = 2, uc_strict_restore_ss = 4;
constexpr Word user_cs = 0x33, user32_cs = 0x23, user_ds = 0x2b;
constexpr Word trap_flag = 0x100;

Word greg(const std::byte* f, int i)
{
    Word w;
    std::memcpy(&w, f + gregs + 8 * i, 8);
    return w;
}

void set_greg(std::byte* f, int i, Word w) { std::memcpy(f + gregs + 8 * i, &w, 8); }

// cs, gs, fs and ss as four 16-bit fields in one word.
Word selector(const std::byte* f, int i) { return (greg(f, REG_CSGSFS) >> (16 * i)) & 0xffff; }

void from_frame(const std::byte* f, const std::byte* held, std::byte* b)
{
    Regs r = load_regs<Regs>(held);
    r.r8 = greg(f, REG_R8), r.r9 = greg(f, REG_R9), r.r10 = greg(f, REG_R10), r.r11 = greg(f, REG_R11);
    r.r12 = greg(f, REG_R12), r.r13 = greg(f, REG_R13), r.r14 = greg(f, REG_R14), r.r15 = greg(f, REG_R15);
    r.rdi = greg(f, REG_RDI), r.rsi = greg(f, REG_RSI), r.rbp = greg(f, REG_RBP), r.rbx = greg(f, REG_RBX);
    r.rdx = greg(f, REG_RDX), r.rax = greg(f, REG_RAX), r.rcx = greg(f, REG_RCX), r.rsp = greg(f, REG_RSP);
    r.rip = greg(f, REG_RIP), r.eflags = greg(f, REG_EFL);
    r.orig_rax = r.rax;  // at a SIGSYS the call's number, as at a SYSEMU stop
    r.cs = selector(f, 0), r.gs = selector(f, 1), r.fs = selector(f, 2), r.ss = selector(f, 3);
    store_regs(b, r);
}

bool to_frame(const std::byte* b, const std::byte* held, std::byte* f)
{
    Regs r = load_regs<Regs>(b), h = load_regs<Regs>(held);
    // rt_sigreturn loads cs and ss (RPL forced to 3) and nothing else of
    // the segments: other values would fault or be dropped silently.
    if ((r.cs != user_cs && r.cs != user32_cs) || r.ss != user_ds) return false;
    if (r.fs_base != h.fs_base || r.gs_base != h.gs_base || r.ds != h.ds || r.es != h.es || r.fs != h.fs ||
        r.gs != h.gs)
        return false;
    set_greg(f, REG_R8, r.r8), set_greg(f, REG_R9, r.r9), set_greg(f, REG_R10, r.r10), set_greg(f, REG_R11, r.r11);
    set_greg(f, REG_R12, r.r12), set_greg(f, REG_R13, r.r13), set_greg(f, REG_R14, r.r14);
    set_greg(f, REG_R15, r.r15), set_greg(f, REG_RDI, r.rdi), set_greg(f, REG_RSI, r.rsi);
    set_greg(f, REG_RBP, r.rbp), set_greg(f, REG_RBX, r.rbx), set_greg(f, REG_RDX, r.rdx);
    set_greg(f, REG_RAX, r.rax), set_greg(f, REG_RCX, r.rcx), set_greg(f, REG_RSP, r.rsp);
    set_greg(f, REG_RIP, r.rip), set_greg(f, REG_EFL, r.eflags);
    set_greg(f, REG_CSGSFS, r.cs | r.gs << 16 | r.fs << 32 | r.ss << 48);
    return true;
}

void trust_frame(std::byte* f, Word stack, Word stack_bytes)
{
    Word flags;
    std::memcpy(&flags, f, 8);
    flags = (flags & uc_fp_xstate) | uc_sigcontext_ss | uc_strict_restore_ss;
    Word words[] = {flags, 0, stack, 0, stack_bytes};  // uc_flags, uc_link, uc_stack {sp, flags, size}
    std::memcpy(f, words, sizeof words);
    Word fp;
    std::memcpy(&fp, f + fpstate, 8);
    if (fp < stack || fp - stack >= stack_bytes || fp % 64) fp = 0;  // no FP state: its initial one
    std::memcpy(f + fpstate, &fp, 8);
    std::memset(f + sigmask, 0, 8);
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
        .signal_path =
            {
                .gate_offset = 1,
                .handler = 0x100,
                .restorer = 0x180,
                .futex_return = 0x142,
                .exit_return = 0x172,
                .sigreturn_return = 0x187,
                .dispatch_begin = 0,
                .dispatch_end = 0x190,
                .audit_arch = AUDIT_ARCH_X86_64,
                .nr = {.futex = SYS_futex,
                       .rt_sigreturn = SYS_rt_sigreturn,
                       .exit = SYS_exit,
                       .sigaltstack = SYS_sigaltstack,
                       .rt_sigaction = SYS_rt_sigaction,
                       .seccomp = SYS_seccomp,
                       .set_tid_address = SYS_set_tid_address,
                       .prctl = SYS_prctl,
                       .trapped = SYS_getpid},
                .blocks = 0x7ff002000000,
                .frame_bytes = frame_bytes,
                .from_frame = from_frame,
                .to_frame = to_frame,
                .trust_frame = trust_frame,
                .set_step =
                    [](std::byte* b, bool on) {
                        Regs r = load_regs<Regs>(b);
                        r.eflags = on ? r.eflags | trap_flag : r.eflags & ~trap_flag;
                        store_regs(b, r);
                    },
                .back_to_entry =
                    [](std::byte* b, Word entry) {
                        Regs r = load_regs<Regs>(b);
                        r.rip = entry;
                        r.rsp -= 8;
                        store_regs(b, r);
                    },
            },
    });
    return a;
}

}  // namespace umol4::arch::x86_64
