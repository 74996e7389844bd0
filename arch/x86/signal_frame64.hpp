// The signal path of x86 tasks under an x86_64 host: the stub's 64-bit
// handler (arch/x86/signal_handler64.S) takes x86_64 signal frames, in
// x86_64 and in ia32 tasks alike, so the frame's layout, the words
// rt_sigreturn trusts and the handler's system calls are one fact of both.
// Registers go between the frame and the tracer's 64-bit view
// (user_regs_struct); each arch converts that view to its own layout.
#pragma once

#include <linux/audit.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <sys/user.h>

#include <cstddef>
#include <cstring>
#include <type_traits>

#include "arch/regs_bytes.hpp"
#include "core/host/linux/linux_arch.hpp"

namespace umol4::arch::x86 {

#if defined(__x86_64__)
namespace frame64 {

// The kernel's rt_sigframe ucontext on x86_64: flags, link, the alternate
// stack, the sigcontext (glibc's REG_* order of words), then the mask.
inline constexpr std::size_t uc_stack = 16, gregs = 40, fpstate = gregs + 23 * 8, sigmask = 296;
inline constexpr std::size_t frame_bytes = sigmask + 8;
inline constexpr Word uc_fp_xstate = 1, uc_sigcontext_ss = 2, uc_strict_restore_ss = 4;
inline constexpr Word user_cs = 0x33, user32_cs = 0x23, user_ds = 0x2b;

inline Word greg(const std::byte* f, int i)
{
    Word w;
    std::memcpy(&w, f + gregs + 8 * i, 8);
    return w;
}

inline void set_greg(std::byte* f, int i, Word w) { std::memcpy(f + gregs + 8 * i, &w, 8); }

// The frame's registers into `r` (what the frame lacks, segment bases and
// ds/es, keeps r's value).  Linux writes 0 for fs and gs.
inline void to_view(const std::byte* f, user_regs_struct& r)
{
    r.r8 = greg(f, REG_R8), r.r9 = greg(f, REG_R9), r.r10 = greg(f, REG_R10), r.r11 = greg(f, REG_R11);
    r.r12 = greg(f, REG_R12), r.r13 = greg(f, REG_R13), r.r14 = greg(f, REG_R14), r.r15 = greg(f, REG_R15);
    r.rdi = greg(f, REG_RDI), r.rsi = greg(f, REG_RSI), r.rbp = greg(f, REG_RBP), r.rbx = greg(f, REG_RBX);
    r.rdx = greg(f, REG_RDX), r.rax = greg(f, REG_RAX), r.rcx = greg(f, REG_RCX), r.rsp = greg(f, REG_RSP);
    r.rip = greg(f, REG_RIP), r.eflags = greg(f, REG_EFL);
    r.orig_rax = r.rax;  // at a SIGSYS the call's number, as at a SYSEMU stop
    Word csgsfs = greg(f, REG_CSGSFS);
    r.cs = csgsfs & 0xffff, r.gs = (csgsfs >> 16) & 0xffff, r.fs = (csgsfs >> 32) & 0xffff, r.ss = csgsfs >> 48;
}

// `r` into the frame (the frame of the thread's stop); false (nothing
// written) where rt_sigreturn would refuse or ignore a value: it loads cs
// and ss (RPL forced to 3) and nothing else of the segments, so the rest
// must be what the thread has (`held`).  ss may also stay what the thread
// loaded itself (an ia32 thread's TLS data segment): Linux gave it to the
// frame, rt_sigreturn takes it back.
inline bool from_view(const user_regs_struct& r, const user_regs_struct& held, std::byte* f)
{
    Word const own_ss = greg(f, REG_CSGSFS) >> 48;
    if ((r.cs != user_cs && r.cs != user32_cs) || (r.ss != user_ds && r.ss != own_ss)) return false;
    if (r.fs_base != held.fs_base || r.gs_base != held.gs_base || r.ds != held.ds || r.es != held.es ||
        r.fs != held.fs || r.gs != held.gs)
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

inline void trust_frame(std::byte* f, Word stack, Word stack_bytes)
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

// Single steps: the trap flag in the arch's registers (R's eflags).
template <class R>
void set_trap_flag(std::byte* b, bool on)
{
    constexpr decltype(R::eflags) trap_flag = 0x100;
    R r = load_regs<R>(b);
    r.eflags = on ? r.eflags | trap_flag : r.eflags & ~trap_flag;
    store_regs(b, r);
}

// A call into the vsyscall page (64-bit code): the thread at `entry`, its
// 8-byte return address pushed.
template <class R, auto ip, auto sp>
void call_at_entry(std::byte* b, Word entry)
{
    R r = load_regs<R>(b);
    r.*ip = static_cast<std::remove_reference_t<decltype(r.*ip)>>(entry);
    r.*sp -= 8;
    store_regs(b, r);
}

}  // namespace frame64

// The signal path's facts both arches share: the handler's offsets in the
// stub (signal_handler64.S), its x86_64 calls, and the frame's words.  The
// arch adds its setup calls' numbers, its blocks' place and the register
// conversions.
inline linux_host::Linux_arch::Signal_path signal_path64(linux_host::Linux_arch::Signal_path own)
{
    own.gate_offset = 1;
    own.handler = 0x100, own.restorer = 0x180;
    own.futex_return = 0x142, own.exit_return = 0x172, own.sigreturn_return = 0x187;
    own.dispatch_begin = 0, own.dispatch_end = 0x190;
    own.handler_audit_arch = AUDIT_ARCH_X86_64;
    own.handler_word_bytes = 8;
    own.handler_nr = {.futex = SYS_futex, .rt_sigreturn = SYS_rt_sigreturn, .exit = SYS_exit,
                      .rt_sigaction = SYS_rt_sigaction};
    own.frame_bytes = frame64::frame_bytes;
    own.trust_frame = frame64::trust_frame;
    return own;
}
#endif

}  // namespace umol4::arch::x86
