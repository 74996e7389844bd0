// Ptrace_host: processes, threads, registers and injected system calls.
#include "core/host/linux/ptrace_host.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/ptrace.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

#include <fmt/format.h>

#include "core/arch.hpp"
#include "core/host/linux/ptrace_calls.hpp"
#include "core/host/linux/task_sandbox.hpp"

namespace umol4::linux_host {
namespace {

constexpr int task_memfd = 3;          // where a task finds the MemFile
constexpr Word page = 4096;
constexpr std::size_t host_bytes = 4 << 20;  // stub page + thread-pointer pages

}  // namespace

Ptrace_host::Ptrace_host(const Linux_arch& arch, std::size_t physical_bytes, std::vector<int> host_cpus,
                         std::size_t map_budget, std::size_t extra_host_bytes)
    : _arch(arch), _physical_bytes(physical_bytes), _mem(physical_bytes + host_bytes + extra_host_bytes),
      _host_frames_next(physical_bytes), _map_budget(map_budget ? map_budget : default_map_budget()),
      _host_cpus(std::move(host_cpus)), _low_limit(low_limit_of_host())
{
    // Tasks inherit the core's CPU (vCPU 0's) through fork and clone.
    if (!_host_cpus.empty()) pin(0, _host_cpus[0]);

    // Stops and the user's requests to stop arrive as signals taken by
    // sigtimedwait in wait(), never by handlers.
    sigset_t mask;
    sigemptyset(&mask);
    for (int s : {SIGCHLD, SIGINT, SIGTERM, SIGHUP}) sigaddset(&mask, s);
    sigprocmask(SIG_BLOCK, &mask, &_old_mask);

    task_arch({});  // the box's own: page 0 of the host frames holds its KIP stubs
}

const Ptrace_host::Task_arch* Ptrace_host::task_arch(std::string_view name)
{
    const Linux_arch* arch = &_arch;
    if (!name.empty()) {
        const Arch* other = find_arch(name);
        arch = other ? other->linux : nullptr;
    }
    if (!arch) return nullptr;
    for (const Task_arch& a : _task_arches)
        if (a.arch == arch) return &a;
    // Another arch beside the box's own: its tasks must share the core's
    // view of memory (the same MemFile, the same page size).
    if (arch != &_arch && arch->word_bytes() > _arch.word_bytes()) return nullptr;
    // The stub executable lives in a memfd so tasks need no file on disk.
    int fd = memfd_create("umol4-task-stub", MFD_CLOEXEC);
    if (fd < 0) fail("memfd_create");
    auto elf = arch->task_stub_elf;
    if (write(fd, elf.data(), elf.size()) != static_cast<ssize_t>(elf.size())) fail("writing the task stub");
    Word stubs = allocate_host_frame();
    std::memcpy(_mem.bytes().data() + stubs, arch->kip_stubs.data(), std::min<std::size_t>(arch->kip_stubs.size(), page));
    _task_arches.push_back({arch, fd, stubs});
    return &_task_arches.back();
}

std::optional<Host::Task_layout> Ptrace_host::task_layout(std::string_view name)
{
    const Task_arch* a = task_arch(name);
    if (!a) return std::nullopt;
    return Task_layout{a->arch->system_pages, a->arch->kip_stubs, a->arch->reserved_low, a->arch->reserved_high,
                       a->arch->low_alias};
}

Ptrace_host::~Ptrace_host()
{
    kill_all();
    for (const Task_arch& a : _task_arches) close(a.stub_fd);
    sigprocmask(SIG_SETMASK, &_old_mask, nullptr);
}

Word Ptrace_host::extra_host_area() const
{
    return _physical_bytes + host_bytes;
}

Word Ptrace_host::allocate_host_frame()
{
    if (!_free_host_frames.empty()) {
        Word f = _free_host_frames.back();
        _free_host_frames.pop_back();
        std::memset(_mem.bytes().data() + f, 0, page);
        return f;
    }
    if (_host_frames_next + page > extra_host_area()) throw Host_exhausted("host frames exhausted (too many tasks)");
    Word f = _host_frames_next;
    _host_frames_next += page;
    return f;
}

void Ptrace_host::check_process_limit(const char* what) const
{
    if (_tasks.size() + _threads.size() >= _process_limit)
        throw Host_exhausted(fmt::format("{}: the box's limit of {} processes and threads", what, _process_limit));
}


Task_handle Ptrace_host::create_task(std::string_view arch_name)
{
    const Task_arch* ta = task_arch(arch_name);
    if (!ta) throw Host_failure(fmt::format("this host runs no {} tasks", arch_name));
    const Linux_arch& arch = *ta->arch;
    check_process_limit("starting a task process");
    // Its host frames first, and everything undone if a later step fails:
    // a refused task leaves no process and no frame behind.
    Word frames[2] = {allocate_host_frame(), 0};
    pid_t pid = -1;
    bool started = false;
    auto undo = [&] {
        if (pid > 0) {
            kill(pid, SIGKILL);
            int st;
            while (waitpid(pid, &st, __WALL) == pid && !(WIFEXITED(st) || WIFSIGNALED(st))) {
            }
        }
        for (Word f : frames)
            if (f) _free_host_frames.push_back(f);
    };
    struct Undo_unless_started {
        const bool& done;
        decltype(undo)& run;
        ~Undo_unless_started()
        {
            if (!done) run();
        }
    } guard{started, undo};
    frames[1] = allocate_host_frame();
    pid = fork();
    if (pid < 0 && (errno == EAGAIN || errno == ENOMEM))
        throw Host_exhausted(fmt::format("starting a task process: {}", std::strerror(errno)));
    if (pid < 0) fail("fork");
    if (pid == 0) {
        // Child: async-signal-safe calls only.  Its own process group keeps
        // the terminal's Ctrl-C away; no ASLR keeps Linux's own mappings
        // (stack, vdso) at fixed places above the range L4 uses until the
        // core unmaps them.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        personality(ADDR_NO_RANDOMIZE);
        if (!drop_privileges()) _exit(126);
        if (arch.emulated_entries.size && !trap_emulated_entries(arch.emulated_entries)) _exit(126);
        // Only the MemFile (at 3) and the stub (at 4, closed by exec) stay.
        int mem = fcntl(_mem.fd(), F_DUPFD, 100);
        int stub = fcntl(ta->stub_fd, F_DUPFD, 101);
        dup2(mem, task_memfd);
        dup2(stub, task_memfd + 1);
        fcntl(task_memfd + 1, F_SETFD, FD_CLOEXEC);
        for (int fd = 0; fd < task_memfd; ++fd) close(fd);
        syscall(SYS_close_range, task_memfd + 2, ~0U, 0);
        raise(SIGSTOP);
        char name[] = "umol4-task";
        char* argv[] = {name, nullptr};
        char* envp[] = {nullptr};
        fexecve(task_memfd + 1, argv, envp);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, WUNTRACED) != pid) fail("starting a task process");
    if (WIFEXITED(status) && WEXITSTATUS(status) == 126) throw Host_failure("Linux refused a task process's seccomp filter");
    if (!WIFSTOPPED(status)) throw Host_failure("a task process died while starting");
    long opts = PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC;
    if (arch.trap == Linux_arch::Trap::seccomp) opts |= PTRACE_O_TRACESECCOMP;
    ptrace_checked(PTRACE_SEIZE, pid, nullptr, reinterpret_cast<void*>(opts), "seize");
    kill(pid, SIGCONT);
    // Run the stub until its first int3: exec, job-control stops and the
    // SIGCONT itself are stepped over.
    for (;;) {
        if (waitpid(pid, &status, __WALL) != pid) fail("waiting for a task process");
        if (WIFEXITED(status) || WIFSIGNALED(status)) throw Host_failure("task stub died while starting");
        int sig = WSTOPSIG(status);
        int event = status >> 16;
        if (sig == SIGTRAP && event == 0) break;
        ptrace(PTRACE_CONT, pid, nullptr, nullptr);
    }
    Task t{.arch = &arch, .leader = pid, .parked = std::vector<std::byte>(arch.abi->regset_bytes), .gate = 0, .tls_frame = 0, .threads = {}, .tls_used = {},
           .batch_frame = 0, .pending = {}};
    read_regs(pid, arch, t.parked);
    t.gate = arch.abi->pc(t.parked.data()) + arch.breakpoint_pc_offset;
    t.tls_frame = frames[0];
    t.batch_frame = frames[1];
    auto [it, _] = _tasks.emplace(pid, std::move(t));
    started = true;  // destroy_task undoes it from here
    try {
        Task& task = it->second;
        // System pages: the KIP stubs (r-x), the thread-pointer words (r--) and
        // the batch gate's records (r--).  The batch page goes first, by itself
        // (one call takes the plain gate): the batch gate reads it.
        auto const linux_pages = linux_own_pages(pid);  // before any of the MemFile is there
        map(pid, arch.system_pages + 2 * page, page, task.batch_frame, rights_r);
        flush(task);
        // Linux's own pages go: the stack (with the auxiliary vector: the
        // host's ids, AT_RANDOM), vdso and vvar.  The stub uses none of them
        // and L4 code must reach no page of Linux's.
        for (auto [start, size] : linux_pages) unmap(pid, start, size);
        map(pid, arch.system_pages, page, ta->stubs_frame, rights_r | rights_x);
        map(pid, arch.system_pages + page, page, task.tls_frame, rights_r);
        flush(task);
        name_task(task);
    } catch (...) {
        destroy_task(pid);
        throw;
    }
    return pid;
}

void Ptrace_host::name_task(Task& task)
{
    // Linux's name of the process (ps, top): the box's, which every thread
    // cloned from the leader inherits; written in the batch page, taken by
    // prctl(PR_SET_NAME) in the leader.  Linux keeps 15 bytes.
    std::string name = (_box_name.empty() ? "umol4" : _box_name) + "-task";
    name.resize(std::min<std::size_t>(name.size(), 15));
    std::byte* out = _mem.bytes().data() + task.batch_frame;
    std::memset(out, 0, 16);
    std::memcpy(out, name.data(), name.size());
    long r = inject(task, task.arch->nr.prctl, {PR_SET_NAME, task.arch->system_pages + 2 * page, 0, 0, 0, 0});
    if (r != 0) {
        errno = static_cast<int>(-r);
        fail("naming a task process");
    }
}

long Ptrace_host::call_in(pid_t t, Task& task, Word gate, long nr, std::array<Word, 6> args)
{
    std::vector<std::byte> regs = task.parked;
    task.arch->prepare_syscall(regs.data(), gate, nr, args);
    return task.arch->syscall_result(run_host_code(t, *task.arch, std::move(regs)).data());
}

std::vector<std::byte> Ptrace_host::run_leader(Task& task, std::vector<std::byte> regs)
{
    return run_host_code(task.leader, *task.arch, std::move(regs));
}

std::vector<std::byte> Ptrace_host::run_host_code(pid_t t, const Linux_arch& arch, std::vector<std::byte> regs)
{
    if (!write_regs(t, arch, regs)) fail("set registers of host code");
    ptrace_checked(PTRACE_CONT, t, nullptr, nullptr, "continue");
    for (;;) {
        int status;
        if (waitpid(t, &status, __WALL) != t)
            throw Host_task_died(fmt::format("task thread {} is gone: {}", t, std::strerror(errno)), t);
        if (WIFEXITED(status) || WIFSIGNALED(status))
            throw Host_task_died(fmt::format("task thread {} died during an injected call", t), t);
        int sig = WSTOPSIG(status);
        if (sig == SIGTRAP && (status >> 16) == 0) break;
        if ((status >> 16) == 0 && (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE))
            throw Host_failure(fmt::format("task stub {} faulted (signal {}) in an injected call", t, sig));
        ptrace(PTRACE_CONT, t, nullptr, nullptr);  // the clone event, job control
    }
    read_regs(t, arch, regs);
    return regs;
}

Thread_handle Ptrace_host::create_thread(Task_handle handle)
{
    Task& task = _tasks.at(handle);
    const Linux_arch& arch = *task.arch;
    // One thread-pointer word per thread in the task's page; freed slots
    // are reused.
    if (task.tls_used.empty()) task.tls_used.assign(page / arch.word_bytes(), false);
    auto free_slot = std::find(task.tls_used.begin(), task.tls_used.end(), false);
    if (free_slot == task.tls_used.end()) throw Host_exhausted("too many threads in one task");
    check_process_limit("creating a thread");
    Word flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
    long tid = inject(task, arch.nr.clone, {flags, 0, 0, 0, 0, 0});
    if (tid == -EAGAIN || tid == -ENOMEM)  // the host's thread or pid limit
        throw Host_exhausted(fmt::format("creating a thread: {}", std::strerror(static_cast<int>(-tid))));
    if (tid <= 0) {
        errno = static_cast<int>(-tid);
        fail("creating a thread");
    }
    int status;
    // A traced clone starts in a ptrace stop before running any code.
    if (waitpid(static_cast<pid_t>(tid), &status, __WALL) != tid || !WIFSTOPPED(status)) fail("attaching a new thread");
    if (arch.trap == Linux_arch::Trap::seccomp && traces_threads(arch)) {
        // Before it runs any L4 code: every system call it makes from now on
        // stops (PTRACE_EVENT_SECCOMP), wherever it sits, the gate included.
        long r = call_in(static_cast<pid_t>(tid), task, task.gate + arch.filter_gate_offset, 0, {0, 0, 0, 0, 0, 0});
        if (r != 0) {
            errno = static_cast<int>(-r);
            fail("installing the system-call filter of a new thread");
        }
    }
    *free_slot = true;
    task.threads.push_back(static_cast<pid_t>(tid));
    _threads[static_cast<pid_t>(tid)] =
        Thread{.task = handle, .tls_slot = static_cast<unsigned>(free_slot - task.tls_used.begin())};
    return static_cast<Thread_handle>(tid);
}

void Ptrace_host::destroy_thread(Thread_handle t)
{
    auto it = _threads.find(t);
    if (it == _threads.end()) return;
    Task& task = _tasks.at(it->second.task);
    const Linux_arch& arch = *task.arch;
    // The thread leaves through the gate with exit(0): only it ends.
    std::vector<std::byte> regs(arch.abi->regset_bytes);
    get_regs(t, regs);
    // At a seccomp stop the call it made becomes the exit itself (Linux runs
    // a call the tracer does not skip): no skip for it.
    if (arch.trap == Linux_arch::Trap::seccomp) it->second.at_syscall_stop = false;
    arch.prepare_syscall(regs.data(), task.gate, arch.nr.exit, {0, 0, 0, 0, 0, 0});
    set_regs_or_fail(t, regs);
    ptrace_checked(PTRACE_CONT, t, nullptr, nullptr, "continue to exit");
    // It exits at once; if it stops instead (what it ran was not the gate
    // after all), its task cannot be trusted: the box stops.
    int status;
    for (int stops = 0; waitpid(t, &status, __WALL) == t && !(WIFEXITED(status) || WIFSIGNALED(status)); ++stops) {
        if (stops == 16) throw Host_task_died(fmt::format("thread {} does not exit through the gate", t), t);
        ptrace(PTRACE_CONT, t, nullptr, nullptr);
    }
    forget_thread(t);
}

void Ptrace_host::set_stopped(Thread& th)
{
    if (th.running) --_running_threads;
    th.running = false;
}

void Ptrace_host::forget_thread(pid_t t)
{
    auto it = _threads.find(t);
    if (it == _threads.end()) return;
    set_stopped(it->second);
    Task& task = _tasks.at(it->second.task);
    task.threads.erase(std::remove(task.threads.begin(), task.threads.end(), t), task.threads.end());
    if (it->second.tls_slot < task.tls_used.size()) task.tls_used[it->second.tls_slot] = false;
    _threads.erase(it);
}

void Ptrace_host::destroy_task(Task_handle handle)
{
    auto it = _tasks.find(handle);
    if (it == _tasks.end()) return;
    kill(it->second.leader, SIGKILL);
    // A traced thread group ends only when the tracer has reaped every
    // thread; the leader's exit is reported last.
    int status;
    for (pid_t t : it->second.threads) {
        while (waitpid(t, &status, __WALL) == t && !(WIFEXITED(status) || WIFSIGNALED(status))) {
        }
        if (auto th = _threads.find(t); th != _threads.end()) set_stopped(th->second);
        _threads.erase(t);
    }
    while (waitpid(it->second.leader, &status, __WALL) == it->second.leader && !(WIFEXITED(status) || WIFSIGNALED(status))) {
    }
    if (!it->second.pending.empty()) --_tasks_with_pending;
    _free_host_frames.push_back(it->second.tls_frame);
    _free_host_frames.push_back(it->second.batch_frame);
    _tasks.erase(it);
}

void Ptrace_host::kill_all()
{
    while (!_tasks.empty()) destroy_task(_tasks.begin()->first);
}

void Ptrace_host::get_regs(Thread_handle t, std::span<std::byte> regs)
{
    read_regs(t, arch_of(t), regs);
}

void Ptrace_host::read_regs(pid_t t, const Linux_arch& arch, std::span<std::byte> regs)
{
    if (regs.size() != arch.abi->regset_bytes) fail("registers of another arch's size");
    auto th = _threads.find(t);
    if (arch.host_view_bytes) {
        std::vector<std::byte> scratch;
        std::vector<std::byte>& view = th != _threads.end() ? th->second.view : scratch;
        view.resize(arch.host_view_bytes);
        ptrace_checked(static_cast<enum __ptrace_request>(arch.host_view_get), t, nullptr, view.data(), "get registers");
        arch.from_host_view(view.data(), regs.data());
    } else {
        iovec io{regs.data(), regs.size()};
        ptrace_checked(PTRACE_GETREGSET, t, reinterpret_cast<void*>(NT_PRSTATUS), &io, "get registers");
    }
    if (th != _threads.end() && th->second.at_syscall_stop) arch.fixup_syscall_stop(regs.data());
}

bool Ptrace_host::set_regs(Thread_handle t, std::span<const std::byte> regs)
{
    std::vector<std::byte> copy(regs.begin(), regs.end());
    const Linux_arch& arch = arch_of(t);
    auto th = _threads.find(t);
    if (th != _threads.end() && th->second.at_syscall_stop) {
        arch.no_restart(t, copy.data());
        if (arch.trap == Linux_arch::Trap::seccomp) {
            arch.skip_syscall(copy.data());
            th->second.skip_written = true;
        }
    }
    return write_regs(t, arch, copy);
}

void Ptrace_host::set_regs_or_fail(pid_t t, std::span<const std::byte> regs)
{
    if (!set_regs(t, regs)) fail("set registers");
}

bool Ptrace_host::write_regs(pid_t t, const Linux_arch& arch, std::span<const std::byte> regs)
{
    if (regs.size() != arch.abi->regset_bytes) fail("registers of another arch's size");
    // EIO, EINVAL: Linux refuses a value; ESRCH: the thread is gone (as
    // ptrace_checked reports it); anything else: the host failed.
    auto refused = [&](const char* what) {
        if (errno == ESRCH) throw Host_task_died(fmt::format("thread {} is gone ({})", t, what), t);
        if (errno != EIO && errno != EINVAL) fail(fmt::format("ptrace {} of thread {}", what, t));
        return false;
    };
    auto th = _threads.find(t);
    std::vector<std::byte> before, view;
    if (arch.host_view_bytes) {
        if (th != _threads.end() && th->second.view.size() == arch.host_view_bytes) {
            before = th->second.view;
        } else {
            before.resize(arch.host_view_bytes);
            ptrace_checked(static_cast<enum __ptrace_request>(arch.host_view_get), t, nullptr, before.data(), "get registers");
        }
        view = before;
        arch.to_host_view(regs.data(), view.data());
    }
    iovec io{const_cast<std::byte*>(regs.data()), regs.size()};
    bool written = arch.write_host_view ? ptrace(static_cast<enum __ptrace_request>(arch.host_view_set), t, nullptr, view.data()) == 0
                                        : ptrace(PTRACE_SETREGSET, t, reinterpret_cast<void*>(NT_PRSTATUS), &io) == 0;
    if (!written) {
        refused("set registers");  // or it throws
        if (!arch.host_view_bytes) return false;
        // Linux refuses a value the thread loaded itself (x86: a segment
        // base or selector it may hold but not be given), or the layout of
        // a mode the thread switched to: only what the core changed is
        // written, word by word.
        for (std::size_t off = 0; off + sizeof(long) <= view.size(); off += sizeof(long)) {
            if (std::memcmp(view.data() + off, before.data() + off, sizeof(long)) == 0) continue;
            long word;
            std::memcpy(&word, view.data() + off, sizeof word);
            if (ptrace(PTRACE_POKEUSER, t, reinterpret_cast<void*>(off), reinterpret_cast<void*>(word)) != 0) {
                refused("set a register");
                if (th != _threads.end()) th->second.view.clear();  // read anew next time
                return false;
            }
        }
    }
    if (th != _threads.end() && arch.host_view_bytes) th->second.view = std::move(view);
    return true;
}

void Ptrace_host::set_utcb_pointer(Thread_handle t, Word local_id)
{
    Thread& th = _threads.at(t);
    Task& task = _tasks.at(th.task);
    const Linux_arch& arch = *task.arch;
    std::vector<std::byte> regs(arch.abi->regset_bytes);
    get_regs(t, regs);
    Word value = local_id;
    if (arch.thread_pointer_indirect) {
        std::size_t w = arch.word_bytes();  // one thread-pointer word per thread
        value = arch.system_pages + page + th.tls_slot * w;
        std::memcpy(_mem.bytes().data() + task.tls_frame + th.tls_slot * w, &local_id, w);
    }
    if (arch.set_thread_register) arch.set_thread_register(t, value);
    if (arch.set_thread_pointer) arch.set_thread_pointer(regs.data(), value);
    set_regs_or_fail(t, regs);
}

}  // namespace umol4::linux_host
