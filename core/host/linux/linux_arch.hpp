// What the Linux host needs to know about one arch beyond the L4 ABI: how to
// make a Linux system call in a stopped task thread (the injection gate), the
// numbers of the calls it injects, and how a thread's UTCB pointer is set.
#pragma once

#include <array>
#include <cstdint>
#include <cstddef>
#include <span>
#include <string_view>

#include "core/arch_plugin.hpp"

namespace umol4::linux_host {

struct Linux_arch {
    // How an L4 thread's system-call instruction stops before Linux runs it.
    // sysemu: PTRACE_SYSEMU (x86, aarch64 since Linux 5.3).  seccomp: Linux
    // has no SYSEMU for the arch (riscv64): every L4 thread runs under a
    // seccomp filter that returns SECCOMP_RET_TRACE for every call, the core
    // sees a PTRACE_EVENT_SECCOMP stop and makes Linux skip the call (the
    // number register set to -1 by skip_syscall).  The leader, which runs
    // only the host's injected calls, has no filter.
    enum class Trap { sysemu, seccomp };
    Trap trap = Trap::sysemu;
    // The arch's ABI (name, register set, word size, pc: not repeated here),
    // its task stub and KIP stubs: filled in by the build's
    // arch/<arch>/linux_facts.hpp.
    const Arch_plugin* abi = nullptr;
    unsigned word_bytes() const { return abi->word_bits / 8; }
    std::span<const std::byte> task_stub_elf{};  // the static stub executable
    std::span<const std::byte> kip_stubs{};      // the generated KIP stub code
    // Pages the host maps into every task: KIP stubs (r-x), then the
    // thread-pointer words (r--); inside the range the KIP reports reserved.
    Word system_pages;
    Word reserved_low, reserved_high;          // [low, high): no L4 use
    // Where pages below vm.mmap_min_addr are installed instead (see
    // Host::low_alias), inside the reserved range; low_window bytes.
    Word low_alias;
    static constexpr Word low_window = 0x800000;

    // nr, mmap_offset_shift, prepare_syscall, syscall_result, prepare_batch,
    // batch_cursor, skip_syscall and (where the description names their
    // registers) no_restart and set_thread_pointer come from the arch's
    // description ([linux]; arch/linux_gate.hpp).
    struct Numbers {
        long mmap, munmap, mprotect, clone, exit, prctl;  // prctl: the task's name
    } nr{};
    unsigned mmap_offset_shift = 0;            // mmap2: offset in pages

    // Registers that make the thread execute `nr(args)` at the gate.
    void (*prepare_syscall)(std::byte* regs, Word gate, long nr, const std::array<Word, 6>& args) = nullptr;
    long (*syscall_result)(const std::byte* regs) = nullptr;
    // At a syscall stop the kernel has already put its own value into some
    // registers (x86: rax = -ENOSYS); restore what the thread had.
    void (*fixup_syscall_stop)(std::byte* regs);
    // Registers written back at a syscall stop must not look like an
    // interrupted, restartable Linux call (x86: orig_ax in the regset;
    // aarch64: the call number has a regset of its own, written by `tid`'s
    // ptrace request only when x0 holds a restart code).
    void (*no_restart)(int tid, std::byte* regs) = nullptr;
    // The thread register: on x86 it points at a word holding the UTCB
    // pointer (`mov %gs:0`), elsewhere it is the UTCB pointer.
    bool thread_pointer_indirect;
    // Sets it in the NT_PRSTATUS bytes (x86_64 gs_base, ia32's selector,
    // riscv64 tp); nullptr where it is not in that regset.
    void (*set_thread_pointer)(std::byte* regs, Word value) = nullptr;
    // Sets what lies outside NT_PRSTATUS, by its own ptrace request, in a
    // stopped thread: ia32's TLS descriptor base, aarch64's tpidr_el0.
    // Throws Host_failure on failure; nullptr where nothing is needed.
    void (*set_thread_register)(int tid, Word value) = nullptr;
    // A breakpoint stop's PC is this many bytes before the instruction after
    // the breakpoint (0 on x86, where int3 stops past itself; 4 on aarch64).
    // The stub's first breakpoint is followed by the gate.
    unsigned breakpoint_pc_offset = 0;

    // The batch gate at gate + batch_gate_offset (0: none, one stop per
    // call): it runs records of seven words {nr, arg0..arg5} from a page
    // mapped read-only at `records`, ended by nr = -1, and stops with a
    // result of 0, or of -errno with the cursor at the failed record.
    unsigned batch_gate_offset = 0;
    void (*prepare_batch)(std::byte* regs, Word entry, Word records) = nullptr;
    Word (*batch_cursor)(const std::byte* regs) = nullptr;

    // Registers read through the tracer's own view (x86: PTRACE_GETREGS, one
    // layout whatever mode the thread's code switched to, where NT_PRSTATUS
    // follows the mode: past a far jump it has another size, or is refused),
    // of host_view_bytes, from/to the arch's NT_PRSTATUS layout (to: over
    // the view last read, so what the arch's layout lacks keeps its value).
    // Written through it too (PTRACE_SETREGS) where write_host_view, else by
    // SETREGSET.  Where Linux refuses a value the thread loaded itself (a
    // segment base or selector), only the words the core changed are
    // written, one by one, at their offsets in the view (PTRACE_POKEUSER).
    // host_view_bytes 0: NT_PRSTATUS by GETREGSET/SETREGSET only.
    std::size_t host_view_bytes = 0;
    int host_view_get = 0, host_view_set = 0;  // the ptrace requests (PTRACE_GETREGS, ...)
    void (*from_host_view)(const std::byte* view, std::byte* regs) = nullptr;
    void (*to_host_view)(const std::byte* regs, std::byte* view) = nullptr;
    bool write_host_view = false;

    // Linux code a task reaches with no system-call instruction of its own
    // (x86_64's vsyscall page: Linux runs its entries with no system-call
    // stop).  Every task process runs under a seccomp filter that makes the
    // calls Linux makes for code there trap (SIGSYS); the core takes that as
    // a fault at the entry, after return_to_entry (by its own ptrace
    // requests) put the thread back where it called it.  size 0: none.
    struct Entries {
        Word base = 0, size = 0;
        bool contain(Word a) const { return a - base < size; }
    } emulated_entries{};
    bool (*return_to_entry)(int tid, Word entry) = nullptr;

    // Trap::seccomp only.  The filter gate at gate + filter_gate_offset
    // installs the trace-everything filter in the thread that runs it and
    // stops with the result; skip_syscall makes the call at a seccomp stop
    // one that Linux skips.
    unsigned filter_gate_offset = 0;
    void (*skip_syscall)(std::byte* regs) = nullptr;

    // The signal path (Signal_host, --trap signal): L4 threads run
    // untraced; every system call of theirs is SIGSYS by their own filter,
    // and the task stub's handler reports each signal in the thread's
    // block, on whose alternate stack Linux built the frame.  handler 0:
    // the arch has no signal path (its tasks run under ptrace).
    struct Signal_path {
        // The stub's code, as offsets from its first byte (the gate less
        // gate_offset): the handler, its restorer, and the address after
        // each system-call instruction the thread filter lets through.
        Word gate_offset = 0;
        Word handler = 0, restorer = 0;
        Word futex_return = 0, exit_return = 0, sigreturn_return = 0;
        // The stub's code whose system calls go on to the thread's filter
        // ([begin, end), the gates included, which set the thread up): every
        // call from elsewhere is SIGSYS by syscall user dispatch before any
        // filter runs.  (Linux lets a few calls pass seccomp unfiltered:
        // uprobe and uretprobe, which raise SIGILL and lose the number
        // register when an L4 thread's call happens to carry theirs.)
        // 0, 0: none (Linux has syscall user dispatch on x86 only, or no
        // such calls for the arch).
        Word dispatch_begin = 0, dispatch_end = 0;
        // Linux's struct sigaction of the arch has sa_restorer (riscv64's
        // has not, and Linux returns by its vDSO: the handler makes its
        // rt_sigreturn itself, as on every arch).
        bool sigaction_restorer = true;
        // The handler's ABI, which may be another than the task's (ia32
        // tasks: x86_64's): seccomp_data.arch of its calls, its word size
        // (struct sigaction, siginfo), the numbers of its calls.  Its
        // rt_sigaction is made through the stub's gate at handler_gate
        // (0: the task's own gate), with the task's gate registers.
        std::uint32_t handler_audit_arch = 0;
        unsigned handler_word_bytes = 0;
        Word handler_gate = 0;
        struct Handler_numbers {
            long futex, rt_sigreturn, exit, rt_sigaction;
        } handler_nr{};
        // The calls that set a thread up, in the task's ABI, through its gate.
        struct Numbers {
            long sigaltstack, seccomp, set_tid_address, prctl, trapped;
        } nr{};
        // Where the threads' blocks lie in a task (block_bytes each,
        // aligned to it: the handler finds its slot from its stack).
        Word blocks = 0;
        // Registers from the frame the handler reported (the ucontext's
        // first frame_bytes, all the core reads and writes back: FP state
        // past them stays in the block) into the arch's NT_PRSTATUS layout; what the
        // frame lacks is taken from `held` (the registers as the host knows
        // them otherwise: segment bases, the thread register).
        std::size_t frame_bytes = 0;
        void (*from_frame)(const std::byte* frame, const std::byte* held, std::byte* regs) = nullptr;
        // Into the frame; false where rt_sigreturn would refuse or ignore a
        // value (a selector Linux does not let a thread have, a segment base
        // the frame cannot carry): nothing was written then.
        bool (*to_frame)(const std::byte* regs, const std::byte* held, std::byte* frame) = nullptr;
        // Makes the frame's own words trusted again (flags, the alternate
        // stack at `stack` of `stack_bytes`, an empty signal mask) and the
        // FP state pointer one inside [stack, stack + stack_bytes) or none.
        void (*trust_frame)(std::byte* frame, Word stack, Word stack_bytes) = nullptr;
        // Single stepping: the trap flag in NT_PRSTATUS bytes.
        void (*set_step)(std::byte* regs, bool on) = nullptr;
        // A call Linux emulated in emulated_entries returned before the
        // SIGSYS: the thread stands at `entry`, its return address pushed.
        // nullptr where the arch's registers cannot hold the entry (ia32):
        // the call is then a Linux call like any other.
        void (*back_to_entry)(std::byte* regs, Word entry) = nullptr;
    } signal_path{};
    static constexpr Word block_bytes = 0x8000;
};

}  // namespace umol4::linux_host
