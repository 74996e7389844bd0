// The core's view of the machine it runs on: task processes, their threads,
// their memory mappings and what stopped them.  host/linux implements it
// with ptrace; nothing else in core/ knows about Linux.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "core/syscall.hpp"

namespace umol4 {

struct Arch_plugin;

using Task_handle = int;    // a task process (one per L4 address space)
using Thread_handle = int;  // a thread of a task (one per L4 thread)

enum class Access : unsigned { none = 0, execute = 1, write = 2, read = 4 };

// Why an L4 thread stopped.
struct Host_event {
    enum class Kind {
        syscall,        // a system-call instruction trapped (registers say where)
        memory_fault,   // access to unmapped/protected memory; fault_address set
        general_fault,  // privileged instruction, port I/O, ...
        illegal,        // undefined instruction
        breakpoint,     // int3 / brk / ebreak
        arithmetic,     // divide error and friends
        alignment,      // a misaligned access with alignment checking on (x86 AC)
        preempted,      // stopped on the core's request (interrupt())
        stepped,        // step() ran its one instruction
        thread_died,    // the Linux thread is gone (its task process died)
        timeout,        // wait() ran out of time
        interrupted,    // the user asked the box to stop (Ctrl-C, SIGTERM)
        none,           // not an L4 event (a stray signal): nothing for the kernel
    };
    Kind kind = Kind::none;
    Thread_handle thread = -1;
    Word fault_address = 0;
};

// A host resource ran out (threads of a task, tasks of a box): the L4
// operation that needed it fails with "out of memory".
class Host_exhausted : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A task process went away under the core (killed from outside, or by
// its own L4 code) in the middle of an operation on it: its space is lost,
// as when wait() reports its threads dead.  `handle`: the task or the
// thread that was found gone (-1: unknown, the box stops).
class Host_task_died : public std::runtime_error {
public:
    explicit Host_task_died(const std::string& what, int handle = -1) : std::runtime_error(what), handle(handle) {}
    int handle;
};

// Linux refused or failed an operation the box needs (a ptrace or memory
// call), before or while it runs: neither the user's input nor the L4
// program's doing.  The box stops (exit_host_failure).
class Host_failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// umol4's exit code when the host has no room for the box (processes,
// memory): sysexits' EX_OSERR.
inline constexpr int exit_host_resources = 71;
// umol4's exit code when the host failed the box (Host_failure).
inline constexpr int exit_host_failure = 5;

// Linux-side numbers of the page rights.
inline constexpr unsigned rights_r = 4, rights_w = 2, rights_x = 1;

class Host {
public:
    virtual ~Host() = default;

    // Processes and threads.  A task runs the box's own arch, or (arch
    // named) another one the host offers beside it: x86_64 boxes run ia32
    // tasks for 32-bit compatibility spaces.
    virtual Task_handle create_task(std::string_view arch = {}) = 0;
    virtual Thread_handle create_thread(Task_handle task) = 0;
    virtual void destroy_thread(Thread_handle t) = 0;
    virtual void destroy_task(Task_handle task) = 0;
    virtual void kill_all() = 0;

    // Registers of a stopped thread in the arch's NT_PRSTATUS layout, read
    // and written the same way whatever mode the thread's code switched to.
    virtual void get_regs(Thread_handle t, std::span<std::byte> regs) = 0;
    // false: the host refuses a value the thread cannot have (an x86 base
    // or selector the thread loaded itself is kept as it was); nothing of
    // `regs` took effect, and the caller faults the thread.
    [[nodiscard]] virtual bool set_regs(Thread_handle t, std::span<const std::byte> regs) = 0;
    // The UTCB pointer of a thread: what `mov %gs:0` (x86) or the arch's
    // thread register yields.
    virtual void set_utcb_pointer(Thread_handle t, Word local_id) = 0;

    // Memory of a task: frames of the MemFile at `phys`.  Operations may be
    // queued; they take effect before any thread of the task runs again,
    // and before wait() returns where a thread of the task is running.
    virtual void map(Task_handle task, Word vaddr, Word size, Word phys, unsigned rights) = 0;
    virtual void unmap(Task_handle task, Word vaddr, Word size) = 0;
    virtual void protect(Task_handle task, Word vaddr, Word size, unsigned rights) = 0;
    // Task pages below low_limit() cannot be installed at their own address
    // (Linux: vm.mmap_min_addr, without privileges); what map(), unmap()
    // and protect() say of them applies at low_alias() + vaddr instead,
    // inside the reserved range.  L4 code reaches them one instruction at a
    // time: the core moves the instruction's address there and step()s it.
    virtual Word low_limit() const = 0;
    virtual Word low_alias() const = 0;
    // Runs one instruction of a stopped thread from `regs` and leaves the
    // thread stopped; `regs` then holds its registers.  Kind::stepped when
    // the instruction completed, else what stopped it (a memory fault, or a
    // system call where the code changed under the core).
    virtual Host_event step(Thread_handle t, std::span<std::byte> regs) = 0;
    // How many host mappings of L4 pages a task may hold (Linux:
    // vm.max_map_count less what the task needs itself).
    virtual std::size_t mapping_budget() const = 0;
    // Stops of a task spent on its memory operations (for the statistics).
    virtual unsigned long memory_batches() const { return 0; }

    // The thread runs on virtual CPU `vcpu` from now on: the host may give
    // each vCPU a CPU of its own.
    virtual void place(Thread_handle t, unsigned vcpu) = 0;
    // Runs a stopped L4 thread until its next stop; wait() reports it.
    virtual void resume(Thread_handle t) = 0;
    // Asks a running thread to stop; wait() reports it as preempted (or
    // with whatever stopped it first).
    virtual void interrupt(Thread_handle t) = 0;
    virtual Host_event wait(std::optional<std::chrono::nanoseconds> timeout) = 0;
    // Stops a running thread now and reports what stopped it: preempted,
    // or the L4 event it reached first (never reported by wait() then).
    virtual Host_event stop(Thread_handle t) = 0;

    // Physical memory shared by the core and every task.
    virtual std::span<std::byte> physical() = 0;
    // Where every task sees the KIP stub code, and the range of the user
    // address space the host occupies (reserved in the KIP).
    virtual Word kip_stubs_address() const = 0;
    // The KIP stub code itself (arches with KIP-relative entries carry it
    // inside the KIP page).
    virtual std::span<const std::byte> kip_stub_code() const = 0;
    virtual std::pair<Word, Word> reserved_range() const = 0;
    // The same facts of tasks of another arch; nullopt where the host
    // cannot run them.
    struct Task_layout {
        Word kip_stubs_address;
        std::span<const std::byte> kip_stub_code;
        Word reserved_low, reserved_high;
        Word low_alias;
    };
    virtual std::optional<Task_layout> task_layout(std::string_view arch) = 0;
    // The host CPU's clock in kHz, as the KIP's processor descriptors give
    // it (programs turn cycle counts into time with it); 0 if unknown.
    virtual Word cpu_khz() const { return 0; }
};

}  // namespace umol4
