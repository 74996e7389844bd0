// The kernel of one box: owns its objects (memory, threads and spaces, the
// scheduler, the IPC engine, interrupt lines, devices), boots it, and runs
// its event loop: a stop of an L4 thread (trap) is handled in traps/,
// system calls are decoded and handed to the objects in syscalls/, and the
// scheduler resumes threads.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>

#include "core/arch.hpp"
#include "core/host/host.hpp"
#include "core/ipc/ipc_engine.hpp"
#include "core/irq/interrupt_lines.hpp"
#include "core/kdebug/console.hpp"
#include "core/kdebug/port_bus.hpp"
#include "core/kdebug/uart.hpp"
#include "core/objects/abi_boundary.hpp"
#include "core/objects/box_memory.hpp"
#include "core/objects/kip.hpp"
#include "core/objects/space_abi.hpp"
#include "core/objects/thread_table.hpp"
#include "core/sched/scheduler.hpp"

namespace umol4 {

// How a box ended; the umol4 command's exit code.
enum class Box_exit : int {
    finished = 0,      // every thread waits forever: the root task has ended
    faulted = 1,       // finished, but some thread stopped on an unhandled fault
    debugger = 3,      // a thread entered the kernel debugger (none attached)
    timeout = 4,       // --timeout ran out
    interrupted = 130, // Ctrl-C / SIGTERM
};

struct Kernel_stats {
    unsigned long syscalls = 0, page_faults = 0, ipcs = 0, kdebug = 0, preemptions = 0;
    unsigned long faults_to_pagers = 0;  // the rest were resolved by the core (cache, status)
    unsigned long low_steps = 0;         // instructions stepped on the alias of low pages
};

class Kernel final : private Scheduler::Owner, private Ipc_engine::Owner {
public:
    Kernel(Host& host, const Arch& box_arch, Console& console, Word conventional_bytes);

    // Before boot: the arch the box's compatibility spaces run (the box
    // arch's compat_arch), where the host runs its tasks; without it the
    // compat bit of SpaceControl is refused.
    void offer_compat(const Arch& compat);
    bool offers_compat() const { return _compat.has_value(); }
    // Boot: the KIP (written into its frame) and the initial servers.
    void install_kip(const Kip_config& config);
    Thread& start_initial_server(Word number, Word ip, Word sp, Word pager, bool sigma0);
    Word system_base() const { return _threads.system_base(); }
    Word user_base() const { return _threads.user_base(); }
    const Id_format& ids() const { return _threads.ids(); }

    // Before boot: the virtual clock (Scheduler::set_deterministic) and the
    // number of virtual CPUs (up to this many L4 threads run at once).
    void set_deterministic(bool on) { _sched.set_deterministic(on); }
    bool deterministic() const { return _sched.deterministic(); }
    void set_cpus(unsigned n) { _sched.set_cpus(n); }
    unsigned cpus() const { return _sched.cpus(); }
    // The event loop (event_loop.cpp): until every thread waits for good,
    // the timeout, or a stop request.
    Box_exit run(std::optional<std::chrono::milliseconds> timeout);
    Kernel_stats stats() const;
    // Times a space's cached host mappings were all dropped (over budget).
    unsigned long map_cache_evictions() const { return _memory.vm().evictions(); }
    std::string exit_reason() const { return _exit_reason; }
    // What is inconsistent in the kernel's state between two events ("" if
    // nothing): queues, vCPUs, IPC partners, transfers, the mapping database
    // and its limit.  For tests and the system-call fuzzer.
    std::string check_invariants() const;
    // Checks them after every event of the run; a broken one is an internal
    // error (std::logic_error).  Slow: for tests.
    void set_checking(bool on) { _checking = on; }
    // Threads in the space of a thread's pager may ExchangeRegisters it too
    // (the reference kernel's non-default "pagerexregs" build).
    void set_pager_exregs(bool on) { _pager_exregs = on; }
    bool pager_exregs() const { return _pager_exregs; }
    // Core memory the box's mappings may hold (nodes and page tables); past
    // it map items are refused (message overflow).
    void set_mapping_memory_limit(std::size_t bytes) { _memory.set_mapping_memory_limit(bytes); }
    std::size_t mapping_memory_limit() const { return _memory.mapping_memory_limit(); }

private:
    // Scheduler::Owner, Ipc_engine::Owner.
    void handle(Thread& t, const Host_event& ev) override;  // traps/events.cpp
    bool quantum_used_up(Thread& t) override { return _ipc.start_preemption_ipc(t); }
    void unhandled(Thread& t, const std::string& what) override;
    void interrupt_acknowledged(Thread& irq) override { _irq.acknowledged(irq); }

    void finish(Box_exit how, std::string why);
    std::optional<Clock::time_point> next_deadline() const;
    void write_kip(const Space_abi& abi, const Kip_config& config, std::span<const std::byte> stub_code);
    // Threads.
    void activate(Thread& t, Word pager);
    void delete_thread(Thread& t);
    bool valid_utcb_location(const Space& space, Word location) const;
    bool privileged(const Thread& t) const { return t.space->privileged; }
    // The ErrorCode TCR of a failed call (L4_error::ok: none).
    void set_error(const Thread& t, L4_error e) { _memory.utcb(t).set(tcr::error_code, static_cast<Word>(e)); }
    // A call refused: result (output 0) 0 and the ErrorCode.
    void refuse(const Thread& t, Syscall_frame& f, L4_error e)
    {
        f.out[0] = 0;
        set_error(t, e);
    }
    // Makes a new space a compatibility space: a task process of the
    // compat arch in place of its first one (nothing ran there yet).
    void make_compat(Space& s);
    // ExchangeRegisters' reach: dest's own space, and with pagerexregs its pager's.
    bool may_exchange_registers(Thread& t, Thread& dest);

    // Traps (traps/): what stopped the thread, turned into kernel work.
    void handle_syscall(Thread& t);
    // The same, with the registers loaded and pc past the trap.
    void serve_syscall(Thread& t);
    // Where t's KIP stubs are (per space where the entries are KIP-relative).
    Word kip_stubs_base(const Thread& t) const;
    // A general fault on the arch's trap inside the KIP stubs (a trap
    // that faults, as ia32's hlt): the call.
    bool at_fault_trap(Thread& t, Word pc, const std::vector<std::uint8_t>& code);
    void handle_memory_fault(Thread& t, Word address);
    // The access of a memory fault at `address` (the decoder, and what the
    // host has installed there).
    unsigned fault_access(Thread& t, Word address);
    // A data access to a page below the host's low limit that the space
    // maps with `access` (traps/low_memory.cpp).
    void step_low_access(Thread& t, Word address, unsigned access);
    void handle_breakpoint(Thread& t);
    void handle_illegal(Thread& t);
    void handle_general_fault(Thread& t);
    // An exception: exception IPC to the thread's handler, else unhandled.
    void raise_exception(Thread& t, Exception e, const std::string& what);

    // System calls (syscalls/): the frame decoded; the outputs encoded by
    // handle_syscall (Ipc's by the IPC engine when it completes).
    void sys_kernel_interface(Thread& t, Syscall_frame& f);
    void sys_exchange_registers(Thread& t, Syscall_frame& f);
    void sys_thread_control(Thread& t, Syscall_frame& f);
    void sys_space_control(Thread& t, Syscall_frame& f);
    void sys_schedule(Thread& t, Syscall_frame& f);
    bool sys_unmap(Thread& t, Syscall_frame& f);  // false: preempted between pages, to go on
    void sys_thread_switch(Thread& t, Syscall_frame& f);
    void sys_processor_control(Thread& t, Syscall_frame& f);
    void sys_memory_control(Thread& t, Syscall_frame& f);

    // What t's code sees of instructions (nullptr: not decoded).
    static const Arch_traps* traps(const Thread& t) { return t.abi().traps; }

    Kernel(Host& host, const Arch_plugin& arch, const Arch_traps* traps, Console& console, Word conventional_bytes);

    // Scheduler::Owner: a general-protection exception with the registers
    // the thread really has.
    void registers_refused(Thread& t) override;
    // A space whose task process died: every thread of it halted for good.
    void lose_space(Space& space, const std::string& why);

    // Threads halted in ReadChar_Blocked, by id, oldest first: each gets
    // the next character that comes (no core ever blocks on input).
    void serve_console_waiters();
    bool console_waiting() const { return !_console_waiters.empty(); }

    Host& _host;
    const Arch_plugin& _arch;      // the box's: UTCB places, KIP, thread ids of the kernel
    Space_abi _native;             // the box's own spaces
    std::optional<Space_abi> _compat;  // compatibility spaces (offer_compat)
    Console& _console;
    Uart _uart;
    Port_bus _ports;               // the UART, and nothing on every other port
    // The objects, each using only those declared before it.
    Box_memory _memory;
    Abi_boundary _abi;
    Thread_table _threads;
    Scheduler _sched;
    Ipc_engine _ipc;
    Interrupt_lines _irq;

    bool _checking = false;
    bool _pager_exregs = false;
    Kernel_stats _stats;
    bool _stop = false;
    Box_exit _exit = Box_exit::finished;
    std::string _exit_reason;
    unsigned _unhandled_faults = 0;
    std::deque<Word> _console_waiters;
};

}  // namespace umol4
