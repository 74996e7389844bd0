// The kernel of one box: threads, spaces, the scheduler loop, system calls,
// faults and kernel-debugger requests, over an abstract Host.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/arch_plugin.hpp"
#include "core/arch_traps.hpp"
#include "core/host/host.hpp"
#include "core/kdebug/console.hpp"
#include "core/kdebug/port_bus.hpp"
#include "core/kdebug/uart.hpp"
#include "core/mapdb/vm.hpp"
#include "core/objects/kip.hpp"
#include "core/objects/space.hpp"
#include "core/objects/space_abi.hpp"
#include "core/objects/tcb.hpp"
#include "core/objects/thread_id.hpp"
#include "core/objects/utcb.hpp"
#include "core/sched/ready_queues.hpp"
#include "core/sched/vcpu.hpp"

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

class Kernel {
public:
    Kernel(Host& host, const Arch_plugin& arch, const Arch_traps* traps, Console& console, Word conventional_bytes);

    // Before boot: the arch the box's compatibility spaces run (the box
    // arch's compat_arch), where the host runs its tasks; without it the
    // compat bit of SpaceControl is refused.
    void offer_compat(const Arch_plugin& arch, const Arch_traps* traps);
    bool offers_compat() const { return _compat.has_value(); }
    // Boot: the KIP (written into its frame) and the initial servers.
    void install_kip(const Kip_config& config);
    Tcb& start_initial_server(Word number, Word ip, Word sp, Word pager, bool sigma0);
    Word system_base() const { return _system_base; }
    Word user_base() const { return _user_base; }
    const Id_format& ids() const { return _ids; }

    // Deterministic mode (before boot): the kernel's clock is virtual, it
    // advances by a fixed cost per event and jumps to the next deadline when
    // every thread waits, so a program's event order is the same in every
    // run (spinning threads are still stopped after a real-time slice).
    void set_deterministic(bool on);
    bool deterministic() const { return _deterministic; }
    // Virtual CPUs (before boot): up to this many L4 threads run at once.
    void set_cpus(unsigned n);
    unsigned cpus() const { return static_cast<unsigned>(_cpus.size()); }
    Box_exit run(std::optional<std::chrono::milliseconds> timeout);
    const Kernel_stats& stats() const { return _stats; }
    // Times a space's cached host mappings were all dropped (over budget).
    unsigned long map_cache_evictions() const { return _vm.evictions(); }
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

private:
    // ExchangeRegisters' reach: dest's own space, and with pagerexregs its pager's.
    bool may_exchange_registers(Tcb& t, Tcb& dest);

    Host& _host;
    const Arch_plugin& _arch;      // the box's: UTCB places, KIP, thread ids of the kernel
    Space_abi _native;             // the box's own spaces
    std::optional<Space_abi> _compat;  // compatibility spaces (offer_compat)
    Console& _console;
    Uart _uart;
    Port_bus _ports;               // the UART, and nothing on every other port
    Id_format _ids;
    std::span<std::byte> _phys;
    Word _conventional;
    Word _kernel_next;             // bump allocator of kernel frames
    Word _system_base = 32, _user_base = 64;
    Clock::time_point _boot_time = Clock::now();
    bool _deterministic = false;
    bool _checking = false;
    bool _pager_exregs = false;
    Clock::time_point _virtual_now;
    // The kernel's clock: SystemClock, timeouts, timers (virtual in the
    // deterministic mode; --timeout and slices of spinners stay real).
    Clock::time_point now() const { return _deterministic ? _virtual_now : Clock::now(); }

    std::map<Word, std::unique_ptr<Tcb>> _threads;   // by thread number
    std::map<Thread_handle, Tcb*> _by_host;
    std::vector<std::unique_ptr<Space>> _spaces;
    Ready_queues _ready;
    std::vector<Vcpu> _cpus{1};
    Space _kernel_space;           // where interrupt threads live
    std::optional<Clock::time_point> _timer_next;  // line 0: the virtual timer
    std::optional<Clock::time_point> _uart_poll_next;  // line 4: console input polled
    Vm _vm;                        // mapping database and host-mapping caches
    std::vector<std::unique_ptr<String_xfer>> _xfers;  // transfers with typed items under way
    std::size_t _mapping_limit;    // mapping nodes of the whole box (core memory)
    Kernel_stats _stats;
    bool _stop = false;
    Box_exit _exit = Box_exit::finished;
    std::string _exit_reason;
    unsigned _unhandled_faults = 0;

    // What t's code sees: its space's arch, instructions, thread ids.
    static const Space_abi& abi(const Tcb& t) { return *t.space->abi; }
    static const Arch_plugin& arch(const Tcb& t) { return *t.space->abi->arch; }
    static const Arch_traps* traps(const Tcb& t) { return t.space->abi->traps; }
    // Thread ids as t's code writes them, in the kernel's (the box's)
    // format, and back; the same where t runs the box's arch.
    Word box_id(const Tcb& t, Word id) const { return abi(t).ids.convert(id, _ids); }
    Word own_id(const Tcb& t, Word id) const { return _ids.convert(id, abi(t).ids); }
    // A thread-id TCR of t (pager, exception handler, ...), box format.
    Word tcr_id(const Tcb& t, int index);
    void set_tcr_id(const Tcb& t, int index, Word id);
    // A system call's frame from t's registers, thread ids in box format;
    // and the outputs back into t's registers, ids in t's format.
    void decode(Tcb& t, Syscall call, Syscall_frame& f);
    void encode(Tcb& t, const Syscall_frame& f);
    // MR0 of a message from s as the kernel reads it: a narrower word's
    // label is sign-extended (the page-fault and exception labels stay
    // negative).
    Word message_tag(const Tcb& s);
    // Makes a new space a compatibility space: a task process of the
    // compat arch in place of its first one (nothing ran there yet).
    void make_compat(Space& s);
    // A space's KIP as its threads read it.
    std::byte* kip_of(const Space& s) { return _phys.data() + s.abi->kip_frame; }
    void write_kip(const Space_abi& abi, const Kip_config& config, std::span<const std::byte> stub_code);

    // Frames and memory.
    Word allocate_kernel_frame();
    Utcb_view utcb(const Tcb& t);
    std::byte* translate(const Space& s, Word vaddr, unsigned rights = 0);
    std::vector<std::uint8_t> read_code(const Tcb& t, Word pc);
    std::string read_string(const Tcb& t, Word vaddr, std::size_t max = 4096);
    Space& new_space();
    Tcb& new_thread(Word id, Space& space, Word utcb_location);
    void map_utcb_page(Space& space, Word utcb_location);
    void destroy_space(Space& space);
    // A space's mapping of `page`; sigma0's pages of physical memory exist
    // from the start (frame = address) and are made on first use.
    Mapping* mapping_of(Space& s, Word page);
    // Where execution cannot be withheld (ia32's PageInfo), it goes with reading.
    unsigned implied_rights(unsigned rights) const
    {
        return (!(_arch.page_rights & rights_x) && (rights & rights_r)) ? rights | rights_x : rights;
    }
    // The access of a memory fault at `address` (the decoder, and what the
    // host has installed there).
    unsigned fault_access(Tcb& t, Word address);

    // Threads and scheduling.
    Tcb* lookup(Word id) const;
    // A thread that names an address space (SpaceSpecifier): not an
    // interrupt thread, whose kernel space no call may set up or share.
    Tcb* lookup_space_holder(Word id) const
    {
        Tcb* t = lookup(id);
        return t && t->space != &_kernel_space ? t : nullptr;
    }
    Tcb* resolve(const Tcb& caller, Word id) const;
    Word id_as_seen_by(const Tcb& receiver, const Tcb& sender) const;
    void make_ready(Tcb& t, bool front = false);
    // What the core just did for t is invisible to the program (a fault on a
    // page the space has, an emulated instruction): on hardware it never left
    // its CPU, so it goes on there in the same slice, before threads of
    // higher priority that were ready already (it may be running on time a
    // ThreadSwitch gave it); those woken since still preempt it.
    void carry_on(Tcb& t);
    // The scheduler loop (sched/run.cpp): threads onto idle vCPUs, the
    // account of a thread leaving its vCPU, slices and preemption.
    void dispatch();
    void start_on(Vcpu& c, Tcb& t);
    void leave_cpu(Tcb& t, bool by_event);
    void enforce_slices();
    void preempt_for_higher();
    void event_stop(Tcb& t, const Host_event& ev);
    void preempted(Tcb& t);
    // Before the core touches a thread that runs on a vCPU (registers,
    // halt, deletion, migration): stopped, a system call it had just
    // trapped with taken back (it makes it again when it runs).
    void stop_running(Tcb& t);
    void migrate(Tcb& t, unsigned cpu);
    void halt(Tcb& t, const std::string& why);
    void delete_thread(Tcb& t);
    // Interrupt threads (kernel_irq.cpp).
    bool associate_interrupt(Tcb& caller, Word dest, Word handler);
    void raise_interrupt(Tcb& irq);
    void interrupt_acknowledged(Tcb& irq);
    void run_timer();
    void load_regs(Tcb& t);
    void finish(Box_exit how, std::string why);

    // Events.
    void handle(Tcb& t, const Host_event& ev);
    void handle_syscall(Tcb& t);
    void handle_memory_fault(Tcb& t, Word address);
    // A data access to a page below the host's low limit that the space
    // maps with `access` (core/kernel_low_memory.cpp).
    void step_low_access(Tcb& t, Word address, unsigned access);
    void handle_breakpoint(Tcb& t);
    void handle_illegal(Tcb& t);
    void handle_general_fault(Tcb& t);
    void unhandled(Tcb& t, const std::string& what);
    // An exception: exception IPC to the thread's handler, else unhandled.
    void raise_exception(Tcb& t, Exception e, const std::string& what);
    void start_exception_ipc(Tcb& t, Tcb& handler, Exception e);

    // System calls (frame decoded; outputs encoded by the caller of these).
    void sys_kernel_interface(Tcb& t, Syscall_frame& f);
    void sys_ipc(Tcb& t, Syscall_frame& f);  // completion encodes the registers itself
    void sys_exchange_registers(Tcb& t, Syscall_frame& f);
    void sys_thread_control(Tcb& t, Syscall_frame& f);
    void sys_space_control(Tcb& t, Syscall_frame& f);
    void sys_schedule(Tcb& t, Syscall_frame& f);
    void sys_unmap(Tcb& t, Syscall_frame& f);
    bool privileged(const Tcb& t) const;
    // The ErrorCode TCR of a failed call (L4_error::ok: none).
    void set_error(const Tcb& t, L4_error e) { utcb(t).set(tcr::error_code, static_cast<Word>(e)); }
    bool valid_utcb_location(const Space& space, Word location) const;
    void activate(Tcb& t, Word pager);

    // IPC (kernel_ipc.cpp).
    bool ipc(Tcb& t, Word to, Word from, Word timeouts);  // false: blocked
    bool ready_to_receive_from(const Tcb& receiver, const Tcb& sender) const;
    enum class Transfer { done, failed, pending };
    // Copies the message; failed: both completed with the error; pending:
    // stopped at a string fault, both locked until it is served.
    Transfer transfer(Tcb& sender, Tcb& receiver);
    // Typed items (kernel_strings.cpp).
    Transfer run_items(String_xfer& x);
    enum class Copy { copied, short_buffer, clipped, fault, failed };
    Copy copy_string(String_xfer& x, const std::vector<std::pair<Word, Word>>& from,
                     const std::vector<std::pair<Word, Word>>& to);
    std::byte* string_memory(Tcb& t, Word address, unsigned access, bool& outside);
    bool start_string_fault(String_xfer& x, Tcb& f, Word address, unsigned access);  // false: failed at once
    void string_fault_done(Tcb& f, Word error);
    void cancel_string_fault(Tcb& f);
    void fail_transfer(String_xfer& x, Ipc_error sender_code, Ipc_error receiver_code);
    void time_out_transfer(String_xfer& x, bool receiver_first);
    void release_xfer(String_xfer& x);
    // A transfer that stopped has completed: the sender's send phase is
    // done (its receive phase follows) and the receiver gets the message.
    void finish_transfer(Tcb& sender, Tcb& receiver);
    void expire_xfers();
    void deliver(Tcb& sender, Tcb& receiver);  // completes the receiver, propagation included
    Tcb* accepted_propagation(Tcb& sender, const Tcb& dest);
    bool apply_map_item(Tcb& sender, Tcb& receiver, Word w0, Word fpage);
    // One page of a map/grant item; false: the box's mapping limit is reached.
    bool map_one(Space& from, Word page, Space& to, Word target, unsigned send_rights, bool grant, bool fault_reply);
    void complete_ipc(Tcb& t, Word from, Word error);
    bool receive_phase(Tcb& t);
    void start_fault_ipc(Tcb& t, Word address, unsigned access);
    void load_fault_message(Tcb& t, Word address, unsigned access, Tcb::Ipc_kind kind);
    // The total quantum ran out: the thread Calls its scheduler (-3<<4).
    bool start_preemption_ipc(Tcb& t);
    void save_kernel_message_mrs(Tcb& t);
    void restore_kernel_message_mrs(Tcb& t);
    void expire_timeouts();
    std::optional<Clock::time_point> next_deadline() const;
    std::optional<Clock::time_point> timeout_deadline(Word timeout16) const;
    void dequeue_sender(Tcb& sender);
};

}  // namespace umol4
