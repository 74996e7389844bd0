// The Linux host without ptrace stops (--trap signal): tasks and their
// memory as Ptrace_host (each task's leader stays traced and makes the
// mmap/munmap/mprotect calls, which L4 code can never reach), but L4
// threads run untraced.  A filter of each thread's own turns every system
// call into SIGSYS; the task stub's handler catches it and every fault on
// the thread's alternate stack, reports the stop in the thread's slot and
// waits on its futex.  The core reads and edits the signal frame in the
// MemFile and wakes the thread; rt_sigreturn loads what the core wrote.
// Arches without Linux_arch::signal_path keep ptrace threads in the same box.
// Everything in a slot or frame is the thread's to write: the core copies it
// once, checks it, and rewrites what rt_sigreturn must trust.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "core/host/linux/ptrace_host.hpp"

namespace umol4::linux_host {

class Signal_host final : public Ptrace_host {
public:
    // max_threads: the box's process limit, which sizes the threads' blocks.
    // core_cpu: the core's own host CPU (-1: vCPU 0's, host_cpus[0]); threads
    // on another CPU than the core's and the core spin briefly for each other.
    Signal_host(const Linux_arch& arch, std::size_t physical_bytes, std::vector<int> host_cpus = {},
                std::size_t map_budget = 0, std::size_t max_threads = default_process_limit, int core_cpu = -1);
    ~Signal_host() override;
    // Whether threads of `arch`'s tasks take the signal path.
    static bool takes_signal_path(const Linux_arch& arch) { return arch.signal_path.handler != 0; }

    Task_handle create_task(std::string_view arch = {}) override;
    Thread_handle create_thread(Task_handle task) override;
    void destroy_thread(Thread_handle t) override;
    void destroy_task(Task_handle task) override;

    void get_regs(Thread_handle t, std::span<std::byte> regs) override;
    bool set_regs(Thread_handle t, std::span<const std::byte> regs) override;
    void set_utcb_pointer(Thread_handle t, Word local_id) override;
    Host_event step(Thread_handle t, std::span<std::byte> regs) override;

    void place(Thread_handle t, unsigned vcpu) override;
    void resume(Thread_handle t) override;
    void interrupt(Thread_handle t) override;
    Host_event wait(std::optional<std::chrono::nanoseconds> timeout) override;
    Host_event stop(Thread_handle t) override;

protected:
    // Threads of the signal path run untraced: no trace-everything filter
    // (Trap::seccomp), whose SECCOMP_RET_TRACE would fail the handler's calls.
    bool traces_threads(const Linux_arch& arch) const override { return !takes_signal_path(arch); }

private:
    // The slot at the start of a thread's block, as the stub writes it.
    // asleep: stopped, and the core will not answer soon (no spinning).
    enum Slot_state : std::uint32_t { dead = 0, running = 1, stopped = 2, exiting = 3, asleep = 4 };
    struct Slot {
        std::atomic<std::uint32_t> state;      // the futex word
        std::atomic<std::uint32_t> thread_id;  // Linux clears it when the thread ends
        Word spin;                             // rounds the handler spins before FUTEX_WAIT
        Word signo, siginfo, frame;
        // Loaded by the handler before every return, where the thread
        // register is no frame register (aarch64's tpidr_el0).
        Word thread_register;
    };
    struct Signal_thread {
        const Linux_arch* arch;
        pid_t leader;
        std::size_t block;           // index of its block in the MemFile
        Word vaddr;                  // where the task sees the block
        std::vector<std::byte> frame;  // the frame as the core last read or wrote it
        Word frame_at = 0;           // task address of the frame in the block
        std::vector<std::byte> held;   // registers as known beside the frame
        std::vector<std::byte> regs;   // registers of the stop, NT_PRSTATUS layout
        bool traced = true;          // still under ptrace (being set up)
        bool running = false;
        bool interrupt_requested = false;
        std::chrono::steady_clock::time_point interrupted_at{};
        bool beside_core = true;     // on the core's host CPU (or not pinned): no spinning
    };

    int _core_cpu;                            // -1: vCPU 0's
    std::chrono::microseconds _spin_budget{50};  // nonzero: spin for threads on other CPUs
    unsigned long _waits_without_spin = 0;
    unsigned _failed_spins = 0;               // in a row
    std::size_t _blocks;                      // how many the MemFile holds
    std::vector<std::size_t> _free_blocks;
    std::size_t _next_block = 0;
    std::map<pid_t, Signal_thread> _signal_threads;
    std::vector<pid_t> _running;              // signal threads resumed, stop not taken
    std::vector<pid_t> _spinning;             // stops taken, the thread maybe spinning on its slot
    std::vector<Host_event> _pending;         // events found, to be reported one by one
    struct sigaction _old_actions[4]{};

    Slot& slot(const Signal_thread& th);
    std::byte* block_bytes(const Signal_thread& th);
    std::size_t allocate_block();
    // The thread's own filter, written where the task reads it (`at`, a
    // host frame mapped in the task); returns the sock_fprog's address.
    Word write_filter(Task& task, const Signal_thread& th);
    void install_handlers(Task& task);
    // A thread whose slot says stopped: its stop as an event (nullopt: none
    // for the kernel, the thread runs on).
    std::optional<Host_event> take_signal_stop(pid_t tid, Signal_thread& th);
    Host_event event_of(pid_t tid, Signal_thread& th, int signo, const std::byte* siginfo);
    void let_run(pid_t tid, Signal_thread& th);
    // Waits until the thread's slot leaves `running` (true) or it is gone.
    bool wait_for_stop(pid_t tid, Signal_thread& th);
    // A thread that ignores the core's preemption signal (it masked it with
    // a frame of its own): its mask emptied through ptrace (at most once
    // per answer_limit).
    void repair_mask(pid_t tid, Signal_thread& th);
    void set_not_running(pid_t tid, Signal_thread& th);
    // Spins (threads on other host CPUs only) until a running thread's slot
    // changes, the doorbell rings (true) or `until` (false).
    bool spin_for_stop(std::chrono::steady_clock::time_point until);
    // A running thread is on another host CPU than the core's.
    bool running_across() const;
    // Every thread of a task that died: thread_died, the task forgotten.
    void task_died(pid_t leader);
    void forget_signal_thread(pid_t tid);
};

}  // namespace umol4::linux_host
