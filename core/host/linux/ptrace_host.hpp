// The Linux host: task processes exec'd from the arch's stub, traced with
// ptrace (PTRACE_SEIZE, PTRACE_SYSEMU), memory injected through the stub's
// gate, all physical memory in one MemFile.
#pragma once

#include <sys/ptrace.h>
#include <sys/types.h>

#include <csignal>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/host/host.hpp"
#include "core/host/linux/linux_arch.hpp"
#include "core/host/linux/mem_file.hpp"

namespace umol4::linux_host {

// Host mappings a task may hold for L4 pages: vm.max_map_count less what
// a task needs besides them (stub, system pages, KIP, UTCBs).
std::size_t default_map_budget();
// Linux's vm.mmap_min_addr, page aligned, at most Linux_arch::low_window.
Word low_limit_of_host();
// The mappings Linux made in a new task process besides the stub's own
// code ({start, size}): stack, vdso, vvar.  Not the vsyscall page, which
// no process can unmap (its calls trap: Linux_arch::emulated_entries).
std::vector<std::pair<Word, Word>> linux_own_pages(pid_t task);

inline constexpr std::size_t default_process_limit = 1024;

class Ptrace_host : public Host {
public:
    // host_cpus: where virtual CPU i runs, host_cpus[i % size] (empty: not
    // pinned).  The core runs with vCPU 0: a wake-up across host CPUs costs
    // several times a stop.  map_budget: Linux mappings a task may hold for
    // L4 pages (0: derived from vm.max_map_count).
    // extra_host_bytes: MemFile room past the host's own frames, for a
    // backend's per-thread memory (Signal_host's blocks).
    Ptrace_host(const Linux_arch& arch, std::size_t physical_bytes, std::vector<int> host_cpus = {},
                std::size_t map_budget = 0, std::size_t extra_host_bytes = 0);
    // Linux processes and threads the box may hold at once (every task and
    // every L4 thread is one): past it, creating one is Host_exhausted, as
    // when Linux itself says no.  Boxes share the host's pid space; a limit
    // of the box's own keeps one box from taking it from the others.
    void set_process_limit(std::size_t limit) { _process_limit = limit; }
    // The box's name (umol4 --name), in its task processes' names.
    void set_box_name(std::string name) { _box_name = std::move(name); }
    ~Ptrace_host() override;

    Task_handle create_task(std::string_view arch = {}) override;
    Thread_handle create_thread(Task_handle task) override;
    void destroy_thread(Thread_handle t) override;
    void destroy_task(Task_handle task) override;
    void kill_all() override;

    void get_regs(Thread_handle t, std::span<std::byte> regs) override;
    bool set_regs(Thread_handle t, std::span<const std::byte> regs) override;
    void set_utcb_pointer(Thread_handle t, Word local_id) override;

    void map(Task_handle task, Word vaddr, Word size, Word phys, unsigned rights) override;
    void unmap(Task_handle task, Word vaddr, Word size) override;
    void protect(Task_handle task, Word vaddr, Word size, unsigned rights) override;
    std::size_t mapping_budget() const override { return _map_budget; }
    Word low_limit() const override { return _low_limit; }
    Word low_alias() const override { return _arch.low_alias; }
    Host_event step(Thread_handle t, std::span<std::byte> regs) override;
    unsigned long memory_batches() const override { return _batches; }

    void place(Thread_handle t, unsigned vcpu) override;
    void resume(Thread_handle t) override;
    void interrupt(Thread_handle t) override;
    Host_event wait(std::optional<std::chrono::nanoseconds> timeout) override;
    Host_event stop(Thread_handle t) override;

    std::span<std::byte> physical() override { return _mem.bytes().first(_physical_bytes); }
    Word kip_stubs_address() const override { return _arch.system_pages; }
    std::span<const std::byte> kip_stub_code() const override { return _arch.kip_stubs; }
    std::pair<Word, Word> reserved_range() const override { return {_arch.reserved_low, _arch.reserved_high}; }
    std::optional<Task_layout> task_layout(std::string_view arch) override;
    Word cpu_khz() const override;

protected:
    // Whether new threads of `arch`'s tasks stay traced when they run L4
    // code (Signal_host: not where they take the signal path).
    virtual bool traces_threads(const Linux_arch&) const { return true; }
    // A queued mmap/munmap/mprotect: the calls of a task go in at once, in
    // order, when one of its threads is resumed next.
    struct Mem_op {
        enum class Kind { map, unmap, protect } kind;
        Word vaddr, size, frame;
        unsigned rights;
    };
    // An arch whose task processes the host starts: its stub executable
    // (in a memfd) and the host frame holding its KIP stub code.
    struct Task_arch {
        const Linux_arch* arch;
        int stub_fd;
        Word stubs_frame;
    };
    struct Task {
        const Linux_arch* arch;
        pid_t leader;
        std::vector<std::byte> parked;  // leader registers at the gate
        Word gate;
        Word tls_frame;                 // MemFile offset of the thread-pointer page
        std::vector<pid_t> threads;
        std::vector<bool> tls_used;     // thread-pointer slots of the page
        Word batch_frame;               // MemFile offset of the batch-gate records
        std::vector<Mem_op> pending;
    };
    struct Thread {
        pid_t task;
        unsigned tls_slot;
        bool at_syscall_stop = false;
        bool skip_written = false;      // Trap::seccomp: the skip is in its registers
        bool interrupt_requested = false;
        bool running = false;           // resumed, its stop not reported yet
        std::vector<std::byte> view{};  // registers as last read, in Linux_arch's host view
    };

    const Linux_arch& _arch;
    std::size_t _physical_bytes;
    Mem_file _mem;
    std::deque<Task_arch> _task_arches;   // the box's own first; pointers to them stay valid
    Word _host_frames_next;
    std::vector<Word> _free_host_frames;  // of ended tasks
    std::size_t _map_budget;
    std::vector<int> _host_cpus;
    unsigned long _batches = 0;
    std::size_t _tasks_with_pending = 0;  // tasks whose memory operations wait
    std::size_t _running_threads = 0;     // resumed, their stop not reported yet
    std::size_t _process_limit = default_process_limit;
    std::string _box_name;
    Word _low_limit;                      // vm.mmap_min_addr, at most Linux_arch::low_window
    std::map<pid_t, Task> _tasks;
    std::map<pid_t, Thread> _threads;
    sigset_t _old_mask{};

    // The box's own arch (""), or another one, set up on first use;
    // nullptr if this host has no such tasks.
    const Task_arch* task_arch(std::string_view name);
    // The arch of a thread's task (the box's own for a thread it does not know).
    const Linux_arch& arch_of(pid_t thread) const
    {
        auto th = _threads.find(thread);
        auto task = _tasks.find(th == _threads.end() ? thread : th->second.task);  // a leader is its task
        return task == _tasks.end() ? _arch : *task->second.arch;
    }
    // Registers of any thread of a task of `arch` (also one the host does
    // not know yet); writing gives false where Linux refuses a value.
    void read_regs(pid_t t, const Linux_arch& arch, std::span<std::byte> regs);
    bool write_regs(pid_t t, const Linux_arch& arch, std::span<const std::byte> regs);
    // Host code's registers (a leader's, an exit): a refusal is a failure.
    void set_regs_or_fail(pid_t t, std::span<const std::byte> regs);
    // `nr(args)` made by the task's leader at its gate.
    void name_task(Task& task);
    long inject(Task& task, long nr, std::array<Word, 6> args) { return call_in(task.leader, task, task.gate, nr, args); }
    // `nr(args)` made by thread `t` of the task (the leader or a traced new
    // thread) at `gate`, the task's or another gate of its stub; the result.
    long call_in(pid_t t, Task& task, Word gate, long nr, std::array<Word, 6> args);
    // Throws Host_exhausted when one more would pass the box's process limit.
    void check_process_limit(const char* what) const;
    // Runs the leader from `regs` to its next int3 stop; returns its registers.
    std::vector<std::byte> run_leader(Task& task, std::vector<std::byte> regs);
    // Runs host code in thread `t` (the leader or a new thread) from `regs`
    // to its next breakpoint; the registers there.
    std::vector<std::byte> run_host_code(pid_t t, const Linux_arch& arch, std::vector<std::byte> regs);
    // The ptrace request that resumes an L4 thread (SYSEMU or CONT).
    enum __ptrace_request resume_request(const Linux_arch& arch) const;
    // Queues op; the part below the low limit goes to the low alias.
    void queue(Task_handle task, Mem_op op);
    void queue_one(Task_handle task, Mem_op op);
    void flush(Task& task);
    void flush_batch(Task& task, std::span<const Mem_op> ops);
    std::array<Word, 7> record(const Linux_arch& arch, const Mem_op& op) const;
    Word allocate_host_frame();
    // Where the MemFile's extra_host_bytes begin.
    Word extra_host_area() const;
    Host_event translate(pid_t tid, int status);
    // A thread that is gone (reaped): out of its task's books.
    void forget_thread(pid_t t);
    void set_stopped(Thread& th);
    // A wait status of an L4 thread as an event; nullopt if it was no L4
    // event (job control, a late interrupt, a stray signal) and the thread
    // runs on.
    std::optional<Host_event> take_stop(pid_t tid, int status);
    // Queued memory operations of tasks with a running thread, applied now.
    void flush_running();
};

}  // namespace umol4::linux_host
