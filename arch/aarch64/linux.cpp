// Linux facts of aarch64 tasks: injected system calls and the UTCB pointer.
#include <elf.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include "arch/regs_bytes.hpp"
#include "core/host/linux/linux_arch.hpp"
#include "core/host/linux/ptrace_calls.hpp"
#include "umol4/gen/arch/aarch64/syscall_abi.hpp"

extern "C" const std::byte umol4_task_stub_aarch64[];
extern "C" const std::byte umol4_task_stub_aarch64_end[];
extern "C" const std::byte umol4_kip_stub_blob_aarch64[];
extern "C" const std::byte umol4_kip_stub_blob_aarch64_end[];

namespace umol4::arch::aarch64 {

const Arch_plugin& plugin();

namespace {
constexpr auto load = load_regs<Regs>;
constexpr auto store = store_regs<Regs>;

// tpidr_el0 is not in NT_PRSTATUS: it has a regset of its own.
void set_tpidr(int tid, Word value)
{
    iovec io{&value, sizeof value};
    linux_host::ptrace_checked(PTRACE_SETREGSET, tid, reinterpret_cast<void*>(NT_ARM_TLS), &io, "set tpidr_el0");
}

// After SYSEMU skipped a call Linux still holds its number, and a signal
// taken on the way back to user mode (the core's interrupt) would restart
// it if x0 looked like -ERESTARTSYS & co: the PC would step back onto the
// svc.  Only then is the number cleared (one more ptrace request).
void no_restart(int tid, std::byte* b)
{
    auto x0 = static_cast<long>(load(b).x0);
    if (x0 < -516 || x0 > -512) return;
    int none = -1;
    iovec io{&none, sizeof none};
    linux_host::ptrace_checked(PTRACE_SETREGSET, tid, reinterpret_cast<void*>(NT_ARM_SYSTEM_CALL), &io, "clear the call number");
}
}  // namespace

const linux_host::Linux_arch& linux_arch()
{
    static const linux_host::Linux_arch a{
        .abi = &plugin(),
        .task_stub_elf = {umol4_task_stub_aarch64, umol4_task_stub_aarch64_end},
        .kip_stubs = {umol4_kip_stub_blob_aarch64, umol4_kip_stub_blob_aarch64_end},
        .system_pages = 0x7ff000000000,
        // Up to the end of the 48-bit user range: Linux's stack and vDSO
        // sit at its top.
        .reserved_low = 0x7ff000000000,
        .reserved_high = 0x1000000000000,
        .low_alias = 0x7ff000800000,
        // The generic table (asm-generic/unistd.h).
        .nr = {.mmap = 222, .munmap = 215, .mprotect = 226, .clone = 220, .exit = 93},
        .mmap_offset_shift = 0,
        .prepare_syscall =
            [](std::byte* b, Word gate, long nr, const std::array<Word, 6>& args) {
                Regs r = load(b);
                r.pc = gate;
                r.x8 = Reg(nr);
                r.x0 = args[0];
                r.x1 = args[1];
                r.x2 = args[2];
                r.x3 = args[3];
                r.x4 = args[4];
                r.x5 = args[5];
                store(b, r);
            },
        .syscall_result = [](const std::byte* b) { return static_cast<long>(load(b).x0); },
        // SYSEMU skips the call without touching x0-x6; x7 reads as the
        // entry/exit marker and is restored by Linux (the ABI never uses it).
        .fixup_syscall_stop = [](std::byte*) {},
        .no_restart = &no_restart,
        .thread_pointer_indirect = false,
        .set_thread_pointer = nullptr,
        .set_thread_register = &set_tpidr,
        .breakpoint_pc_offset = 4,
        .batch_gate_offset = 8,
        .prepare_batch =
            [](std::byte* b, Word entry, Word records) {
                Regs r = load(b);
                r.pc = Reg(entry);
                r.x19 = Reg(records);
                store(b, r);
            },
        .batch_cursor = [](const std::byte* b) { return Word(load(b).x19); },
    };
    return a;
}

}  // namespace umol4::arch::aarch64
