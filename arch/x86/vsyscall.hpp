// The vsyscall page of an x86_64 Linux host: fixed code every process can
// call (64-bit mode; also an ia32 task's thread past a far jump), whose
// entries Linux emulates with no system-call stop.  Task processes trap the
// calls Linux makes for it (Linux_arch::emulated_entries); Linux has
// emulated the entry's return by then, which return_to_vsyscall_entry
// undoes.
#pragma once

#include <sys/ptrace.h>
#include <sys/user.h>

#include <cerrno>
#include <cstddef>

#include "core/host/linux/linux_arch.hpp"

namespace umol4::arch::x86 {

#if defined(__x86_64__)
inline constexpr linux_host::Linux_arch::Entries vsyscall_page{.base = 0xffffffffff600000, .size = 0x1000};

// The thread stands where it called `entry`, its return address pushed,
// as a fault at the entry would leave it (rax keeps the -ENOSYS Linux put
// there: its value at the call is lost).  Through the tracer's 64-bit view,
// word by word, whatever mode and segments the thread has.
inline bool return_to_vsyscall_entry(int tid, Word entry)
{
    auto const sp_at = reinterpret_cast<void*>(offsetof(user_regs_struct, rsp));
    auto const ip_at = reinterpret_cast<void*>(offsetof(user_regs_struct, rip));
    errno = 0;
    long sp = ptrace(PTRACE_PEEKUSER, tid, sp_at, nullptr);
    if (errno) return false;
    return ptrace(PTRACE_POKEUSER, tid, sp_at, reinterpret_cast<void*>(sp - 8)) == 0 &&
           ptrace(PTRACE_POKEUSER, tid, ip_at, reinterpret_cast<void*>(entry)) == 0;
}
#else
inline constexpr linux_host::Linux_arch::Entries vsyscall_page{};
inline constexpr bool (*return_to_vsyscall_entry)(int, Word) = nullptr;
#endif

}  // namespace umol4::arch::x86
