// Helpers of the Linux host's files: a host failure as an error, a ptrace
// request that reports a vanished thread as such.
#pragma once

#include <sched.h>
#include <sys/ptrace.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "core/host/host.hpp"

namespace umol4::linux_host {

// PTRACE_SYSEMU has one number on every arch that has it (x86, aarch64);
// glibc names it only there, and the host uses it only there
// (Linux_arch::Trap::sysemu).
inline constexpr auto ptrace_sysemu = static_cast<enum __ptrace_request>(31);
// One instruction, a system call stopping before Linux runs it, as SYSEMU.
inline constexpr auto ptrace_sysemu_singlestep = static_cast<enum __ptrace_request>(32);

[[noreturn]] inline void fail(const std::string& what)
{
    throw Host_failure(fmt::format("{}: {}", what, std::strerror(errno)));
}

inline long ptrace_checked(enum __ptrace_request req, pid_t tid, void* addr, void* data, const char* what)
{
    long r = ptrace(req, tid, addr, data);
    if (r == -1 && errno == ESRCH) throw Host_task_died(fmt::format("thread {} is gone ({})", tid, what), tid);
    if (r == -1) fail(fmt::format("ptrace {} of thread {}", what, tid));
    return r;
}

// Runs `tid` (0: the caller) on host CPU `cpu` only; a thread that is gone
// meanwhile (ESRCH) is left to wait() to report.
inline void pin(pid_t tid, int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(tid, sizeof set, &set) != 0 && errno != ESRCH)
        fail(fmt::format("pinning thread {} to host CPU {}", tid, cpu));
}

}  // namespace umol4::linux_host
