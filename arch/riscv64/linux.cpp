// Linux facts of riscv64 tasks: injected system calls, the seccomp trap
// (riscv64 Linux has no PTRACE_SYSEMU) and the UTCB pointer in tp.
#include "arch/regs_bytes.hpp"
#include "core/host/linux/linux_arch.hpp"
#include "umol4/gen/arch/riscv64/syscall_abi.hpp"

extern "C" const std::byte umol4_task_stub_riscv64[];
extern "C" const std::byte umol4_task_stub_riscv64_end[];
extern "C" const std::byte umol4_kip_stub_blob_riscv64[];
extern "C" const std::byte umol4_kip_stub_blob_riscv64_end[];

namespace umol4::arch::riscv64 {

const Arch_plugin& plugin();

namespace {
constexpr auto load = load_regs<Regs>;
constexpr auto store = store_regs<Regs>;
}  // namespace

const linux_host::Linux_arch& linux_arch()
{
    static const linux_host::Linux_arch a{
        .trap = linux_host::Linux_arch::Trap::seccomp,
        .abi = &plugin(),
        .task_stub_elf = {umol4_task_stub_riscv64, umol4_task_stub_riscv64_end},
        .kip_stubs = {umol4_kip_stub_blob_riscv64, umol4_kip_stub_blob_riscv64_end},
        // From the top 256 MiB of Sv39's 256 GiB user range up: Linux puts
        // its stack and vDSO at the top of whichever mode (Sv39, Sv48, Sv57)
        // the kernel runs, so L4 gets the Sv39 range below on every kernel.
        .system_pages = 0x3ff0000000,
        .reserved_low = 0x3ff0000000,
        .reserved_high = Word(1) << 56,
        .low_alias = 0x3ff0800000,
        // The generic table (asm-generic/unistd.h).
        .nr = {.mmap = 222, .munmap = 215, .mprotect = 226, .clone = 220, .exit = 93},
        .mmap_offset_shift = 0,
        .prepare_syscall =
            [](std::byte* b, Word gate, long nr, const std::array<Word, 6>& args) {
                Regs r = load(b);
                r.pc = gate;
                r.a7 = Reg(nr);
                r.a0 = args[0];
                r.a1 = args[1];
                r.a2 = args[2];
                r.a3 = args[3];
                r.a4 = args[4];
                r.a5 = args[5];
                store(b, r);
            },
        .syscall_result = [](const std::byte* b) { return static_cast<long>(load(b).a0); },
        // A seccomp stop comes before Linux touched any register.
        .fixup_syscall_stop = [](std::byte*) {},
        // Linux decides restarts by the trap cause, which no regset shows:
        // nothing to clear (docs/abi/aarch64-riscv64.md).
        .no_restart = [](int, std::byte*) {},
        .thread_pointer_indirect = false,
        .set_thread_pointer =
            [](std::byte* b, Word v) {
                Regs r = load(b);
                r.tp = v;
                store(b, r);
            },
        .breakpoint_pc_offset = 4,
        .batch_gate_offset = 8,
        .prepare_batch =
            [](std::byte* b, Word entry, Word records) {
                Regs r = load(b);
                r.pc = Reg(entry);
                r.s2 = Reg(records);
                store(b, r);
            },
        .batch_cursor = [](const std::byte* b) { return Word(load(b).s2); },
        .filter_gate_offset = 0x80,
        // a7 = -1: the number of no call; the binding never uses a7.
        .skip_syscall =
            [](std::byte* b) {
                Regs r = load(b);
                r.a7 = ~Reg(0);
                store(b, r);
            },
    };
    return a;
}

}  // namespace umol4::arch::riscv64
