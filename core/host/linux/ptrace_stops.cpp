// Ptrace_host: threads running and their stops (resume, interrupt, stop,
// wait), decoded into the core's Host_events.
#include <sched.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <ctime>

#include "core/host/linux/ptrace_calls.hpp"
#include "core/host/linux/ptrace_host.hpp"

namespace umol4::linux_host {

// si_code of a SIGSYS from a seccomp filter (SYS_SECCOMP in Linux's
// asm-generic/siginfo.h, which glibc's headers do not name).
constexpr int sys_seccomp = 1;

void Ptrace_host::place(Thread_handle t, unsigned vcpu)
{
    if (_host_cpus.size() > 1 && _threads.count(t)) pin(t, _host_cpus[vcpu % _host_cpus.size()]);
}

void Ptrace_host::resume(Thread_handle t)
{
    // What the thread's last call did to other tasks reaches their running
    // threads before it runs on (an Unmap's caller must not see its pages
    // still in use there).
    flush_running();
    // SYSEMU: a system-call instruction in L4 code stops before Linux
    // executes anything, wherever it sits (the sandbox).
    Thread& th = _threads.at(t);
    const Linux_arch& arch = *_tasks.at(th.task).arch;
    if (th.at_syscall_stop && arch.trap == Linux_arch::Trap::seccomp && !th.skip_written) {
        // Linux runs the call a seccomp stop reported unless told to skip it.
        std::vector<std::byte> regs(arch.abi->regset_bytes);
        get_regs(t, regs);
        set_regs_or_fail(t, regs);
    }
    th.at_syscall_stop = false;
    flush(_tasks.at(th.task));
    ptrace_checked(resume_request(arch), t, nullptr, nullptr, "resume");
    if (!th.running) ++_running_threads;
    th.running = true;
}

enum __ptrace_request Ptrace_host::resume_request(const Linux_arch& arch) const
{
    return arch.trap == Linux_arch::Trap::seccomp ? PTRACE_CONT : ptrace_sysemu;
}

void Ptrace_host::interrupt(Thread_handle t)
{
    auto it = _threads.find(t);
    if (it == _threads.end()) return;
    it->second.interrupt_requested = true;
    ptrace(PTRACE_INTERRUPT, t, nullptr, nullptr);
}

Host_event Ptrace_host::translate(pid_t tid, int status)
{
    Host_event ev;
    ev.thread = tid;
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
        ev.kind = Host_event::Kind::thread_died;
        return ev;
    }
    int sig = WSTOPSIG(status);
    bool const seccomp_stop = sig == SIGTRAP && (status >> 16) == PTRACE_EVENT_SECCOMP;
    if (sig == (SIGTRAP | 0x80) || seccomp_stop) {
        _threads[tid].at_syscall_stop = true;
        _threads[tid].skip_written = false;
        ev.kind = Host_event::Kind::syscall;
        return ev;
    }
    siginfo_t si{};
    ptrace(PTRACE_GETSIGINFO, tid, nullptr, &si);
    switch (sig) {
    case SIGSEGV:
    case SIGBUS:
        if (si.si_code == SI_KERNEL) {
            ev.kind = Host_event::Kind::general_fault;
        } else if (sig == SIGBUS && si.si_code == BUS_ADRALN) {
            ev.kind = Host_event::Kind::alignment;  // no page to fault in: the address was fine
        } else {
            ev.kind = Host_event::Kind::memory_fault;
            ev.fault_address = reinterpret_cast<Word>(si.si_addr);
        }
        break;
    case SIGSYS: {
        // Code in Linux's emulated entries (the vsyscall page) made a call
        // the task's filter traps: a fault at the entry, where the thread is
        // put back (Linux has emulated the entry's return meanwhile).
        const Linux_arch& arch = arch_of(tid);
        auto entry = reinterpret_cast<Word>(si.si_call_addr);
        if (si.si_code != sys_seccomp || !arch.emulated_entries.contain(entry)) break;
        // If that fails the thread is gone (the next request says so) or
        // stays where Linux returned it: the fault is reported either way.
        (void)arch.return_to_entry(tid, entry);
        _threads[tid].view.clear();  // its registers changed under the core
        ev.kind = Host_event::Kind::memory_fault;
        ev.fault_address = entry;
        return ev;
    }
    case SIGILL: ev.kind = Host_event::Kind::illegal; break;
    case SIGTRAP: ev.kind = Host_event::Kind::breakpoint; break;
    case SIGFPE: ev.kind = Host_event::Kind::arithmetic; break;
    default: ev.kind = Host_event::Kind::none; break;  // not for L4: caller resumes
    }
    return ev;
}

std::optional<Host_event> Ptrace_host::take_stop(pid_t tid, int status)
{
    Thread& th = _threads[tid];
    if (WIFSTOPPED(status) && (status >> 16) == PTRACE_EVENT_STOP && th.interrupt_requested) {
        th.interrupt_requested = false;
        set_stopped(th);
        return Host_event{.kind = Host_event::Kind::preempted, .thread = tid};
    }
    if (WIFSTOPPED(status) && (status >> 16) != 0 && (status >> 16) != PTRACE_EVENT_SECCOMP) {
        // Other ptrace events of an L4 thread (job-control stops, a late
        // interrupt) are not L4 events: let it go on.
        ptrace(resume_request(arch_of(tid)), tid, nullptr, nullptr);
        return std::nullopt;
    }
    Host_event ev = translate(tid, status);
    if (ev.kind == Host_event::Kind::none) {
        ptrace(resume_request(arch_of(tid)), tid, nullptr, nullptr);  // a stray signal: dropped
        return std::nullopt;
    }
    // Stopped for its own reason first: an interrupt asked for meanwhile
    // comes as a late stop, let go.
    th.interrupt_requested = false;
    set_stopped(th);
    if (ev.kind == Host_event::Kind::thread_died) forget_thread(tid);
    return ev;
}

Host_event Ptrace_host::step(Thread_handle t, std::span<std::byte> regs)
{
    Thread& th = _threads.at(t);
    flush(_tasks.at(th.task));
    set_regs_or_fail(t, regs);
    th.at_syscall_stop = false;
    // Under SYSEMU the step stops at a system call too, never running it:
    // another thread of the task may have rewritten the instruction since
    // the core decoded it.
    auto request = arch_of(t).trap == Linux_arch::Trap::seccomp ? PTRACE_SINGLESTEP : ptrace_sysemu_singlestep;
    ptrace_checked(request, t, nullptr, nullptr, "single step");
    for (;;) {
        int status;
        if (waitpid(t, &status, __WALL) != t) fail(fmt::format("stepping thread {}", t));
        if (WIFSTOPPED(status) && (status >> 16) != 0 && (status >> 16) != PTRACE_EVENT_SECCOMP) {
            ptrace_checked(request, t, nullptr, nullptr, "single step");  // not its own stop
            continue;
        }
        Host_event ev = translate(t, status);
        if (ev.kind == Host_event::Kind::thread_died) {
            forget_thread(t);
            return ev;
        }
        if (ev.kind == Host_event::Kind::breakpoint) ev.kind = Host_event::Kind::stepped;
        if (ev.kind == Host_event::Kind::none) {
            ptrace_checked(request, t, nullptr, nullptr, "single step");  // a stray signal: dropped
            continue;
        }
        get_regs(t, regs);
        return ev;
    }
}

Host_event Ptrace_host::stop(Thread_handle t)
{
    for (;;) {
        auto it = _threads.find(t);
        if (it == _threads.end()) return Host_event{.kind = Host_event::Kind::thread_died, .thread = t};
        // Asked again after every stop that let it run on.
        it->second.interrupt_requested = true;
        ptrace(PTRACE_INTERRUPT, t, nullptr, nullptr);
        int status;
        if (waitpid(t, &status, __WALL) != t) fail(fmt::format("stopping thread {}", t));
        if (auto ev = take_stop(t, status)) return *ev;
    }
}

Host_event Ptrace_host::wait(std::optional<std::chrono::nanoseconds> timeout)
{
    flush_running();
    timespec deadline{};
    if (timeout) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        auto ns = deadline.tv_nsec + timeout->count();
        deadline.tv_sec += ns / 1000000000;
        deadline.tv_nsec = ns % 1000000000;
    }
    sigset_t mask;
    sigemptyset(&mask);
    for (int s : {SIGCHLD, SIGINT, SIGTERM, SIGHUP}) sigaddset(&mask, s);
    for (;;) {
        int status;
        pid_t tid = waitpid(-1, &status, WNOHANG | __WALL);
        if (tid > 0) {
            if (!_threads.count(tid)) continue;  // a task leader reaped late
            if (auto ev = take_stop(tid, status)) return *ev;
            continue;
        }
        siginfo_t si;
        int sig;
        if (timeout) {
            timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            long long left = (deadline.tv_sec - now.tv_sec) * 1000000000LL + (deadline.tv_nsec - now.tv_nsec);
            if (left <= 0) return Host_event{.kind = Host_event::Kind::timeout};
            timespec rel{static_cast<time_t>(left / 1000000000), static_cast<long>(left % 1000000000)};
            sig = sigtimedwait(&mask, &si, &rel);
        } else {
            sig = sigwaitinfo(&mask, &si);
        }
        if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) return Host_event{.kind = Host_event::Kind::interrupted};
    }
}

}  // namespace umol4::linux_host
