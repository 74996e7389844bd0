// Signal_host: threads, their slots and frames, and their stops.
#include "core/host/linux/signal_host.hpp"

#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

#include "core/host/linux/futex_wait.hpp"
#include "core/host/linux/ptrace_calls.hpp"
#include "core/host/linux/thread_filter.hpp"

namespace umol4::linux_host {
namespace {

constexpr Word page = 4096;
// The signal that preempts a running thread (handled by the stub like a
// fault; one the thread's own code cannot raise: it makes no system call).
constexpr int preempt_signal = SIGUSR2;
constexpr int handled_signals[] = {SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, preempt_signal};
constexpr int core_signals[] = {SIGCHLD, SIGINT, SIGTERM, SIGHUP};
// Linux's struct sigaction flags for the stub's handlers.
constexpr Word sa_siginfo = 4, sa_onstack = 0x08000000, sa_restorer = 0x04000000, sa_restart = 0x10000000;
// si_code of a SIGSYS from a seccomp filter and from syscall user dispatch.
constexpr int sys_seccomp = 1, sys_user_dispatch = 2;
// prctl's syscall user dispatch (Linux 5.11; glibc 2.36's headers lack it).
constexpr Word pr_set_syscall_user_dispatch = 59, pr_sys_dispatch_on = 1;
// How long a thread may leave the core's preemption signal unanswered before
// the core looks at it with ptrace: far above any stop's latency.
constexpr auto answer_limit = std::chrono::milliseconds(100);
// A thread and the core on different host CPUs spin on the slot before they
// sleep: a wake-up across CPUs costs many times a stop (tens of us in a VM).
// Bounded both ways: the handler's rounds of `pause`, the core's time
// (atomic loads only: core/ names no host instruction).  Adaptive: after a
// run of spins that found nothing (a host with more boxes than CPUs has no
// CPU to spare) neither side spins, but every 256th wait tries again; one
// that finds a stop turns spinning on.
constexpr Word handler_spin_rounds = 4000;
constexpr auto core_spin = std::chrono::microseconds(50);
constexpr unsigned failed_spins_limit = 8;

// The core learns of stops by futexes; of traced threads' stops, dead task
// processes and the user's Ctrl-C by signals, whose handler notes them and
// ends its futex wait by the doorbell.
std::atomic<std::uint32_t> doorbell{0};
// Words, not bools: an exchange of a byte needs libatomic on riscv64.
std::atomic<std::uint32_t> user_stop{0}, child_event{0};

void ring(int sig)
{
    if (sig == SIGCHLD) child_event.store(1);
    else user_stop.store(1);
    doorbell.store(1);
    syscall(SYS_futex, &doorbell, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

Word word_at(const std::byte* p, std::size_t bytes)
{
    Word w = 0;
    std::memcpy(&w, p, bytes);
    return w;
}

}  // namespace

Signal_host::Signal_host(const Linux_arch& arch, std::size_t physical_bytes, std::vector<int> host_cpus,
                         std::size_t map_budget, std::size_t max_threads, int core_cpu)
    : Ptrace_host(arch, physical_bytes, std::move(host_cpus), map_budget, max_threads * Linux_arch::block_bytes),
      _core_cpu(core_cpu), _blocks(max_threads)
{
    if (_core_cpu >= 0) {
        if (_host_cpus.empty()) throw Host_failure("--core-cpu with threads not pinned (--host-cpu -1)");
        pin(0, _core_cpu);
    }
    set_process_limit(max_threads);
    // Taken by a handler at any time (the base class blocks them for its
    // sigtimedwait); a system call they interrupt restarts.
    struct sigaction sa {};
    sa.sa_handler = ring;
    sa.sa_flags = SA_RESTART;
    sigfillset(&sa.sa_mask);
    sigset_t core;
    sigemptyset(&core);
    for (std::size_t i = 0; i < std::size(core_signals); ++i) {
        sigaction(core_signals[i], &sa, &_old_actions[i]);
        sigaddset(&core, core_signals[i]);
    }
    child_event.store(1);  // whatever happened before
    sigprocmask(SIG_UNBLOCK, &core, nullptr);
}

Signal_host::~Signal_host()
{
    kill_all();
    sigset_t core;
    sigemptyset(&core);
    for (int s : core_signals) sigaddset(&core, s);
    sigprocmask(SIG_BLOCK, &core, nullptr);
    for (std::size_t i = 0; i < std::size(core_signals); ++i) sigaction(core_signals[i], &_old_actions[i], nullptr);
}

std::size_t Signal_host::allocate_block()
{
    if (!_free_blocks.empty()) {
        std::size_t b = _free_blocks.back();
        _free_blocks.pop_back();
        return b;
    }
    if (_next_block == _blocks) throw Host_exhausted("threads' blocks exhausted (the box's thread limit)");
    return _next_block++;
}

std::byte* Signal_host::block_bytes(const Signal_thread& th)
{
    return _mem.bytes().data() + extra_host_area() + th.block * Linux_arch::block_bytes;
}

Signal_host::Slot& Signal_host::slot(const Signal_thread& th)
{
    return *reinterpret_cast<Slot*>(block_bytes(th));
}

Task_handle Signal_host::create_task(std::string_view arch)
{
    Task_handle handle = Ptrace_host::create_task(arch);
    Task& task = _tasks.at(handle);
    if (!takes_signal_path(*task.arch)) return handle;
    try {
        install_handlers(task);
    } catch (...) {
        destroy_task(handle);
        throw;
    }
    return handle;
}

void Signal_host::install_handlers(Task& task)
{
    // Linux's struct sigaction {handler, flags, restorer (where the arch has
    // it), mask}, written in
    // the batch page (read-only in the task) and taken from there by
    // rt_sigaction in the leader.  Every signal is blocked in the handler.
    const Linux_arch& arch = *task.arch;
    const auto& sp = arch.signal_path;
    const std::size_t wb = sp.handler_word_bytes;
    Word stub = task.gate - sp.gate_offset;
    Word gate = sp.handler_gate ? stub + sp.handler_gate : task.gate;
    std::byte* act = _mem.bytes().data() + task.batch_frame;
    // SA_RESTART: a call Linux would restart by the thread's first argument
    // register (aarch64's x0 holds one of its restart codes) keeps it.
    Word words[] = {stub + sp.handler, sa_siginfo | sa_onstack | sa_restart, stub + sp.restorer};
    if (sp.sigaction_restorer) words[1] |= sa_restorer;
    std::size_t const n = sp.sigaction_restorer ? 3 : 2;
    for (std::size_t i = 0; i < n; ++i) std::memcpy(act + i * wb, &words[i], wb);
    std::memset(act + n * wb, 0xff, 8);
    Word at = arch.system_pages + 2 * page;
    for (int sig : handled_signals) {
        long r = call_in(task.leader, task, gate, sp.handler_nr.rt_sigaction, {Word(sig), at, 0, 8, 0, 0});
        if (r != 0) {
            errno = static_cast<int>(-r);
            fail("installing a task's signal handlers");
        }
    }
}

Word Signal_host::write_filter(Task& task, const Signal_thread& th)
{
    const Linux_arch& arch = *task.arch;
    const auto& sp = arch.signal_path;
    Word stub = task.gate - sp.gate_offset;
    std::vector<sock_filter> code = thread_filter({
        .audit_arch = sp.handler_audit_arch,
        .futex = sp.handler_nr.futex,
        .rt_sigreturn = sp.handler_nr.rt_sigreturn,
        .exit = sp.handler_nr.exit,
        .futex_return = stub + sp.futex_return,
        .sigreturn_return = stub + sp.sigreturn_return,
        .exit_return = stub + sp.exit_return,
        .state_word = th.vaddr,
    });
    // In the batch page: {len, filter} then the code, 8-byte aligned.
    const std::size_t wb = arch.word_bytes();
    std::byte* out = _mem.bytes().data() + task.batch_frame;
    Word at = arch.system_pages + 2 * page;
    std::size_t code_off = 2 * wb;
    if (code_off + code.size() * sizeof(sock_filter) > page) throw Host_failure("a thread's filter is too long");
    std::memset(out, 0, code_off);
    auto len = static_cast<std::uint16_t>(code.size());
    std::memcpy(out, &len, sizeof len);
    Word code_at = at + code_off;
    std::memcpy(out + wb, &code_at, wb);
    std::memcpy(out + code_off, code.data(), code.size() * sizeof(sock_filter));
    return at;
}

Thread_handle Signal_host::create_thread(Task_handle handle)
{
    Thread_handle tid = Ptrace_host::create_thread(handle);
    Task& task = _tasks.at(handle);
    const Linux_arch& arch = *task.arch;
    if (!takes_signal_path(arch)) return tid;
    const auto& sp = arch.signal_path;
    Signal_thread th{.arch = &arch,
                     .leader = task.leader,
                     .block = 0,
                     .vaddr = 0,
                     .frame = std::vector<std::byte>(sp.frame_bytes),
                     .held = std::vector<std::byte>(arch.abi->regset_bytes),
                     .regs = std::vector<std::byte>(arch.abi->regset_bytes)};
    try {
        th.block = allocate_block();
    } catch (...) {
        Ptrace_host::destroy_thread(tid);
        throw;
    }
    th.vaddr = sp.blocks + _threads.at(tid).tls_slot * Linux_arch::block_bytes;
    std::memset(block_bytes(th), 0, Linux_arch::block_bytes);
    slot(th).state.store(running);
    auto [it, _] = _signal_threads.emplace(tid, std::move(th));
    Signal_thread& st = it->second;
    try {
        map(handle, st.vaddr, Linux_arch::block_bytes, extra_host_area() + st.block * Linux_arch::block_bytes,
            rights_r | rights_w);
        flush(task);
        // Its alternate stack: the block past the slot's page.
        const std::size_t wb = arch.word_bytes();
        std::byte* out = _mem.bytes().data() + task.batch_frame;
        Word stack[3] = {st.vaddr + page, 0, Linux_arch::block_bytes - page};
        std::memset(out, 0, 3 * wb + 8);
        std::memcpy(out, &stack[0], wb);
        std::memcpy(out + (wb == 8 ? 16 : 8), &stack[2], wb);  // stack_t {sp, flags, size}
        Word at = arch.system_pages + 2 * page;
        long r = call_in(tid, task, task.gate, sp.nr.sigaltstack, {at, 0, 0, 0, 0, 0});
        if (r == 0) {
            // Linux clears the word when the thread has gone, and wakes it.
            slot(st).thread_id.store(static_cast<std::uint32_t>(tid));
            r = call_in(tid, task, task.gate, sp.nr.set_tid_address, {st.vaddr + offsetof(Slot, thread_id), 0, 0, 0, 0, 0});
            r = r == tid ? 0 : (r < 0 ? r : -EINVAL);
        }
        if (r == 0 && sp.dispatch_end != 0) {
            // Every system call from outside the stub's signal path is SIGSYS
            // before seccomp runs (no selector byte: always).
            Word stub = task.gate - sp.gate_offset;
            r = call_in(tid, task, task.gate, sp.nr.prctl,
                        {pr_set_syscall_user_dispatch, pr_sys_dispatch_on, stub + sp.dispatch_begin,
                         sp.dispatch_end - sp.dispatch_begin, 0, 0});
        }
        if (r == 0) {
            Word prog = write_filter(task, st);
            r = call_in(tid, task, task.gate, sp.nr.seccomp, {SECCOMP_SET_MODE_FILTER, 0, prog, 0, 0, 0});
        }
        if (r != 0) {
            errno = static_cast<int>(-r);
            fail("setting up a thread's signal path");
        }
        // The thread register (set by ptrace while it is traced; the word it
        // points at is all that changes later).
        Ptrace_host::set_utcb_pointer(tid, 0);
        // Let it go untraced into a call its filter traps: it stops in the
        // handler, where every later stop of it is.
        read_regs(tid, arch, st.held);
        std::vector<std::byte> regs = st.held;
        arch.prepare_syscall(regs.data(), task.gate, sp.nr.trapped, {0, 0, 0, 0, 0, 0});
        if (!write_regs(tid, arch, regs)) fail("registers of a new thread");
        ptrace_checked(PTRACE_DETACH, tid, nullptr, nullptr, "detach");
        st.traced = false;
        _threads.at(tid).view.clear();
        if (!wait_for_stop(tid, st))
            throw Host_failure(fmt::format("thread {} did not reach its signal handler", tid));
        // Its first stop is the core's, not the kernel's: taken silently.
        if (!take_signal_stop(tid, st)) throw Host_failure(fmt::format("thread {} stopped in no handler", tid));
        if (_core_cpu >= 0) place(tid, 0);  // vCPU 0's host CPU is not the core's
    } catch (...) {
        destroy_thread(tid);
        throw;
    }
    return tid;
}

void Signal_host::destroy_thread(Thread_handle t)
{
    auto it = _signal_threads.find(t);
    if (it == _signal_threads.end() || it->second.traced) {
        if (it != _signal_threads.end()) forget_signal_thread(t);
        Ptrace_host::destroy_thread(t);
        return;
    }
    Signal_thread& th = it->second;
    if (th.running) (void)stop(t);
    if (!_signal_threads.count(t)) return;  // its task died meanwhile
    // It leaves by the stub's exit, told by its slot.  Linux clears the
    // slot's thread-id word (set_tid_address) once the thread has left its
    // memory for good: from then on it runs no L4 code and touches no page,
    // and its block can go.  A thread that does not leave (it was not in the
    // handler: the state word is its to write) takes its task with it.
    Slot& s = slot(th);
    s.state.store(exiting, std::memory_order_release);
    futex_wake(&s.state);
    for (;;) {
        std::uint32_t id = s.thread_id.load(std::memory_order_acquire);
        if (id == 0) break;
        if (syscall(SYS_tgkill, th.leader, t, 0) != 0 && errno == ESRCH) break;
        if (s.state.load(std::memory_order_acquire) != exiting) {
            kill(th.leader, SIGKILL);
            break;
        }
        futex_wait(&s.thread_id, id, std::chrono::milliseconds(10));
    }
    forget_signal_thread(t);
    forget_thread(t);
}

void Signal_host::forget_signal_thread(pid_t tid)
{
    auto it = _signal_threads.find(tid);
    if (it == _signal_threads.end()) return;
    set_not_running(tid, it->second);
    // Its block leaves the task before another thread can have it.
    if (auto task = _tasks.find(it->second.leader); task != _tasks.end()) {
        unmap(task->first, it->second.vaddr, Linux_arch::block_bytes);
        try {
            flush(task->second);
        } catch (const Host_task_died&) {
            // The task is gone with its mappings.
        }
    }
    _free_blocks.push_back(it->second.block);
    _signal_threads.erase(it);
}

void Signal_host::destroy_task(Task_handle handle)
{
    auto task = _tasks.find(handle);
    if (task == _tasks.end()) return;
    std::vector<pid_t> threads = task->second.threads;
    Ptrace_host::destroy_task(handle);
    for (pid_t t : threads) {
        auto it = _signal_threads.find(t);
        if (it == _signal_threads.end()) continue;
        set_not_running(t, it->second);
        _free_blocks.push_back(it->second.block);
        _signal_threads.erase(it);
    }
}

void Signal_host::get_regs(Thread_handle t, std::span<std::byte> regs)
{
    auto it = _signal_threads.find(t);
    if (it == _signal_threads.end() || it->second.traced) return Ptrace_host::get_regs(t, regs);
    if (regs.size() != it->second.regs.size()) fail("registers of another arch's size");
    std::memcpy(regs.data(), it->second.regs.data(), regs.size());
}

bool Signal_host::set_regs(Thread_handle t, std::span<const std::byte> regs)
{
    auto it = _signal_threads.find(t);
    if (it == _signal_threads.end() || it->second.traced) return Ptrace_host::set_regs(t, regs);
    Signal_thread& th = it->second;
    if (regs.size() != th.regs.size()) fail("registers of another arch's size");
    if (!th.arch->signal_path.to_frame(regs.data(), th.held.data(), th.frame.data())) return false;
    std::memcpy(th.regs.data(), regs.data(), regs.size());
    return true;
}

void Signal_host::set_utcb_pointer(Thread_handle t, Word local_id)
{
    auto it = _signal_threads.find(t);
    if (it == _signal_threads.end()) return Ptrace_host::set_utcb_pointer(t, local_id);
    Thread& th = _threads.at(t);
    Task& task = _tasks.at(th.task);
    const Linux_arch& arch = *task.arch;
    if (arch.thread_pointer_indirect) {
        // The thread register points at the thread's word (set at its
        // start); the word is what changes.
        std::size_t w = arch.word_bytes();
        std::memcpy(_mem.bytes().data() + task.tls_frame + th.tls_slot * w, &local_id, w);
        return;
    }
    if (arch.set_thread_pointer) {
        // A frame register (riscv64's tp): rt_sigreturn loads it.
        std::vector<std::byte> regs(it->second.regs);
        arch.set_thread_pointer(regs.data(), local_id);
        if (!set_regs(t, regs)) fail("the thread register of a stopped thread");
        return;
    }
    // In no frame (aarch64's tpidr_el0): the handler loads it from the slot
    // on its way back to L4 code.
    slot(it->second).thread_register = local_id;
}

void Signal_host::let_run(pid_t tid, Signal_thread& th)
{
    const auto& sp = th.arch->signal_path;
    // Its next stop spins for the core only while the core spins too.
    slot(th).spin = th.beside_core || _spin_budget.count() == 0 ? 0 : handler_spin_rounds;
    sp.trust_frame(th.frame.data(), th.vaddr + page, Linux_arch::block_bytes - page);
    std::memcpy(block_bytes(th) + (th.frame_at - th.vaddr), th.frame.data(), th.frame.size());
    if (!th.running) {
        th.running = true;
        _running.push_back(tid);
        Thread& base = _threads.at(tid);
        if (!base.running) ++_running_threads;
        base.running = true;
    }
    Slot& s = slot(th);
    s.state.store(running, std::memory_order_release);
    futex_wake(&s.state);
}

void Signal_host::set_not_running(pid_t tid, Signal_thread& th)
{
    if (!th.running) return;
    th.running = false;
    _running.erase(std::remove(_running.begin(), _running.end(), tid), _running.end());
    if (auto it = _threads.find(tid); it != _threads.end()) set_stopped(it->second);
}

void Signal_host::place(Thread_handle t, unsigned vcpu)
{
    Ptrace_host::place(t, vcpu);
    auto it = _signal_threads.find(t);
    if (it == _signal_threads.end()) return;
    if (_core_cpu < 0) {
        // The core runs on vCPU 0's host CPU.
        it->second.beside_core = _host_cpus.size() < 2 || _host_cpus[vcpu % _host_cpus.size()] == _host_cpus[0];
    } else {
        int cpu = _host_cpus[vcpu % _host_cpus.size()];
        pin(t, cpu);
        it->second.beside_core = cpu == _core_cpu;
    }
}

void Signal_host::resume(Thread_handle t)
{
    auto it = _signal_threads.find(t);
    if (it == _signal_threads.end()) return Ptrace_host::resume(t);
    flush_running();
    flush(_tasks.at(it->second.leader));
    let_run(t, it->second);
}

void Signal_host::interrupt(Thread_handle t)
{
    auto it = _signal_threads.find(t);
    if (it == _signal_threads.end()) return Ptrace_host::interrupt(t);
    Signal_thread& th = it->second;
    if (!th.running || th.interrupt_requested) return;
    th.interrupt_requested = true;
    th.interrupted_at = std::chrono::steady_clock::now();
    syscall(SYS_tgkill, th.leader, t, preempt_signal);
}

std::optional<Host_event> Signal_host::take_signal_stop(pid_t tid, Signal_thread& th)
{
    Slot& s = slot(th);
    if (s.state.load(std::memory_order_acquire) == running) return std::nullopt;
    set_not_running(tid, th);
    // Read once; the thread (or a sibling) may rewrite the slot any time.
    Word signo = s.signo, info = s.siginfo, frame = s.frame;
    const auto& sp = th.arch->signal_path;
    Word stack = th.vaddr + page, end = th.vaddr + Linux_arch::block_bytes;
    constexpr Word siginfo_bytes = 128;
    bool sane = frame >= stack && frame <= end - sp.frame_bytes && info >= stack && info <= end - siginfo_bytes &&
                frame % 8 == 0 && info % 4 == 0 && signo < 65;
    if (!sane) {
        // Not a stop the stub made: the space broke its own thread state.
        kill(th.leader, SIGKILL);
        return Host_event{.kind = Host_event::Kind::none, .thread = tid};
    }
    th.frame_at = frame;
    std::memcpy(th.frame.data(), block_bytes(th) + (frame - th.vaddr), th.frame.size());
    std::byte siginfo[siginfo_bytes];
    std::memcpy(siginfo, block_bytes(th) + (info - th.vaddr), siginfo_bytes);
    sp.from_frame(th.frame.data(), th.held.data(), th.regs.data());
    if (!th.beside_core) _spinning.push_back(tid);
    Host_event ev = event_of(tid, th, static_cast<int>(signo), siginfo);
    if (ev.kind == Host_event::Kind::none) {
        let_run(tid, th);  // a late or stray preemption: it runs on
        return std::nullopt;
    }
    th.interrupt_requested = ev.kind == Host_event::Kind::preempted ? false : th.interrupt_requested;
    return ev;
}

Host_event Signal_host::event_of(pid_t tid, Signal_thread& th, int signo, const std::byte* si)
{
    using K = Host_event::Kind;
    Host_event ev{.kind = K::none, .thread = tid};
    int code;
    std::memcpy(&code, si + 8, sizeof code);
    const std::size_t wb = th.arch->signal_path.handler_word_bytes;
    Word addr = word_at(si + (wb == 8 ? 16 : 12), wb);  // si_addr, si_call_addr
    switch (signo) {
    case SIGSEGV:
    case SIGBUS:
        if (signo == SIGBUS) _mem.check_intact();
        if (code == SI_KERNEL) ev.kind = K::general_fault;
        else if (signo == SIGBUS && code == BUS_ADRALN) ev.kind = K::alignment;
        else ev.kind = K::memory_fault, ev.fault_address = addr;
        break;
    case SIGSYS:
        if (code != sys_seccomp && code != sys_user_dispatch) break;
        if (th.arch->emulated_entries.contain(addr) && th.arch->signal_path.back_to_entry) {
            // Code in the vsyscall page: a fetch fault at the entry.
            th.arch->signal_path.back_to_entry(th.regs.data(), addr);
            if (!set_regs(tid, std::vector<std::byte>(th.regs))) break;
            ev.kind = K::memory_fault, ev.fault_address = addr;
        } else {
            ev.kind = K::syscall;
            // Linux put the pc back on the instruction to restart it (the
            // first argument register held a restart code): the call's own
            // address is past it.
            const Arch_plugin& abi = *th.arch->abi;
            if (abi.pc(th.regs.data()) + abi.trap_bytes == addr) {
                abi.set_pc(th.regs.data(), addr);
                if (!set_regs(tid, std::vector<std::byte>(th.regs))) ev.kind = K::none;
            }
        }
        break;
    case SIGILL: ev.kind = K::illegal; break;
    case SIGTRAP: ev.kind = K::breakpoint; break;
    case SIGFPE: ev.kind = K::arithmetic; break;
    case preempt_signal:
        if (th.interrupt_requested) ev.kind = K::preempted;
        break;
    default: break;
    }
    // A stop for its own reason first: an interrupt asked for meanwhile
    // arrives late and is let go.
    if (ev.kind != K::preempted && ev.kind != K::none) th.interrupt_requested = false;
    return ev;
}

bool Signal_host::wait_for_stop(pid_t tid, Signal_thread& th)
{
    // No time limit: a thread that lives answers (a mask it set itself is
    // repaired once per answer_limit), however loaded the host; only one
    // that is gone ends the wait.
    Slot& s = slot(th);
    while (s.state.load(std::memory_order_acquire) == running) {
        if (syscall(SYS_tgkill, th.leader, tid, 0) != 0 && errno == ESRCH) return false;
        if (th.interrupt_requested && std::chrono::steady_clock::now() - th.interrupted_at > answer_limit)
            repair_mask(tid, th);
        futex_wait(&s.state, running, std::chrono::milliseconds(10));
    }
    return true;
}

void Signal_host::repair_mask(pid_t tid, Signal_thread& th)
{
    // A thread may run with the preemption signal masked (a frame of its
    // own given to rt_sigreturn): the signal stays pending.  ptrace sees it
    // whatever its mask, empties the mask and lets it go; the pending signal
    // then stops it.  Once per interrupt.
    th.interrupted_at = std::chrono::steady_clock::now();  // the next repair no sooner
    if (ptrace(PTRACE_SEIZE, tid, nullptr, nullptr) != 0) return;
    if (ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr) == 0) {
        int status;
        if (waitpid(tid, &status, __WALL) == tid && WIFSTOPPED(status)) {
            std::uint64_t none = 0;
            ptrace(PTRACE_SETSIGMASK, tid, reinterpret_cast<void*>(sizeof none), &none);
        }
    }
    ptrace(PTRACE_DETACH, tid, nullptr, nullptr);
}

Host_event Signal_host::stop(Thread_handle t)
{
    auto it = _signal_threads.find(t);
    if (it == _signal_threads.end()) return Ptrace_host::stop(t);
    Signal_thread& th = it->second;
    for (;;) {
        if (!th.running) {
            // Stopped already, its stop not taken by wait(): that is it.
            if (auto ev = take_signal_stop(t, th)) return *ev;
            return Host_event{.kind = Host_event::Kind::preempted, .thread = t};
        }
        interrupt(t);
        if (!wait_for_stop(t, th)) {
            task_died(th.leader);
            return Host_event{.kind = Host_event::Kind::thread_died, .thread = t};
        }
        if (auto ev = take_signal_stop(t, th)) return *ev;
    }
}

Host_event Signal_host::step(Thread_handle t, std::span<std::byte> regs)
{
    auto it = _signal_threads.find(t);
    if (it == _signal_threads.end()) return Ptrace_host::step(t, regs);
    Signal_thread& th = it->second;
    const auto& sp = th.arch->signal_path;
    if (!sp.set_step) fail("a single step on the signal path of an arch whose frames carry no step flag");
    std::vector<std::byte> stepping(regs.begin(), regs.end());
    sp.set_step(stepping.data(), true);
    if (!set_regs(t, stepping)) fail("registers of a stepped thread");
    flush(_tasks.at(th.leader));
    let_run(t, th);
    for (;;) {
        if (!wait_for_stop(t, th)) {
            task_died(th.leader);
            return Host_event{.kind = Host_event::Kind::thread_died, .thread = t};
        }
        auto ev = take_signal_stop(t, th);
        if (!ev) continue;
        if (ev->kind == Host_event::Kind::breakpoint) ev->kind = Host_event::Kind::stepped;
        sp.set_step(th.regs.data(), false);
        (void)set_regs(t, std::vector<std::byte>(th.regs));
        get_regs(t, regs);
        return *ev;
    }
}

void Signal_host::task_died(pid_t leader)
{
    auto task = _tasks.find(leader);
    if (task == _tasks.end()) return;
    _mem.check_intact();  // the host's doing, not the space's: the box stops
    for (pid_t t : task->second.threads)
        if (_signal_threads.count(t)) _pending.push_back({.kind = Host_event::Kind::thread_died, .thread = t});
    destroy_task(leader);
}

bool Signal_host::running_across() const
{
    return std::any_of(_running.begin(), _running.end(), [&](pid_t t) { return !_signal_threads.at(t).beside_core; });
}

bool Signal_host::spin_for_stop(std::chrono::steady_clock::time_point until)
{
    if (!running_across()) return false;
    for (unsigned round = 0;; ++round) {
        for (pid_t t : _running)
            if (slot(_signal_threads.at(t)).state.load(std::memory_order_acquire) != running) return true;
        if (doorbell.load(std::memory_order_relaxed)) return true;
        if (round % 64 == 0 && std::chrono::steady_clock::now() >= until) return false;
    }
}

Host_event Signal_host::wait(std::optional<std::chrono::nanoseconds> timeout)
{
    flush_running();
    // Threads the core stopped and did not resume go to sleep: one that
    // spins keeps another thread of its CPU from running.
    for (pid_t t : _spinning) {
        auto it = _signal_threads.find(t);
        if (it == _signal_threads.end() || it->second.running) continue;
        std::atomic<std::uint32_t>& state = slot(it->second).state;
        std::uint32_t expected = stopped;
        state.compare_exchange_strong(expected, asleep);
    }
    _spinning.clear();
    auto const deadline = timeout ? std::chrono::steady_clock::now() + *timeout
                                  : std::chrono::steady_clock::time_point::max();
    for (;;) {
        if (!_pending.empty()) {
            Host_event ev = _pending.front();
            _pending.erase(_pending.begin());
            return ev;
        }
        doorbell.store(0);
        // Traced threads (other arches) and task leaders, after a SIGCHLD.
        int status;
        pid_t tid = child_event.exchange(0) ? waitpid(-1, &status, WNOHANG | __WALL) : 0;
        if (tid > 0) {
            child_event.store(1);  // there may be more
            if (_tasks.count(tid) && (WIFEXITED(status) || WIFSIGNALED(status))) {
                task_died(tid);
            } else if (_threads.count(tid) && !_signal_threads.count(tid)) {
                if (auto ev = Ptrace_host::take_stop(tid, status)) return *ev;
            }
            continue;
        }
        if (user_stop.exchange(0)) return Host_event{.kind = Host_event::Kind::interrupted};
        // Signal threads' stops.
        auto const now = std::chrono::steady_clock::now();
        auto wake_at = deadline;
        std::vector<futex_waitv_entry> words;
        for (std::size_t i = 0; i < _running.size(); ++i) {
            pid_t t = _running[i];
            Signal_thread& th = _signal_threads.at(t);
            if (slot(th).state.load(std::memory_order_acquire) != running) {
                if (auto ev = take_signal_stop(t, th)) return *ev;
                words.clear();
                i = static_cast<std::size_t>(-1);  // the list changed: from the start
                continue;
            }
            if (th.interrupt_requested) {
                auto answer_by = th.interrupted_at + answer_limit;
                if (now >= answer_by) {
                    if (syscall(SYS_tgkill, th.leader, t, 0) != 0 && errno == ESRCH) {
                        task_died(th.leader);
                        break;
                    }
                    repair_mask(t, th);
                } else {
                    wake_at = std::min(wake_at, answer_by);
                }
            }
            words.push_back(watch(&slot(th).state, running));
        }
        if (!_pending.empty()) continue;
        if (now >= deadline) return Host_event{.kind = Host_event::Kind::timeout};
        bool spin = _spin_budget.count() || ++_waits_without_spin % 256 == 0;
        if (spin && spin_for_stop(std::min(wake_at, now + core_spin))) {
            _spin_budget = core_spin;
            _failed_spins = 0;
            continue;
        }
        if (spin && running_across() && ++_failed_spins >= failed_spins_limit)
            _spin_budget = std::chrono::microseconds(0);
        words.push_back(watch_private(&doorbell, 0));
        futex_waitv(words, wake_at);
    }
}

}  // namespace umol4::linux_host
