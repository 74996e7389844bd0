// Linux facts of x86_64 tasks: injected system calls and the UTCB pointer.
#include "core/host/linux/linux_arch.hpp"
#include "umol4/gen/arch/x86_64/syscall_abi.hpp"

#include "arch/regs_bytes.hpp"

extern "C" const std::byte umol4_task_stub_x86_64[];
extern "C" const std::byte umol4_task_stub_x86_64_end[];
extern "C" const std::byte umol4_kip_stub_blob_x86_64[];
extern "C" const std::byte umol4_kip_stub_blob_x86_64_end[];

namespace umol4::arch::x86_64 {

const Arch_plugin& plugin();

namespace {
constexpr auto load = load_regs<Regs>;
constexpr auto store = store_regs<Regs>;
}  // namespace

const linux_host::Linux_arch& linux_arch()
{
    static const linux_host::Linux_arch a{
        .abi = &plugin(),
        .task_stub_elf = {umol4_task_stub_x86_64, umol4_task_stub_x86_64_end},
        .kip_stubs = {umol4_kip_stub_blob_x86_64, umol4_kip_stub_blob_x86_64_end},
        .system_pages = 0x7ff000000000,
        .reserved_low = 0x7ff000000000,
        .reserved_high = 0x800000000000,
        .low_alias = 0x7ff000800000,
        .nr = {.mmap = 9, .munmap = 11, .mprotect = 10, .clone = 56, .exit = 60},
        .mmap_offset_shift = 0,
        .prepare_syscall =
            [](std::byte* b, Word gate, long nr, const std::array<Word, 6>& args) {
                Regs r = load(b);
                r.rip = gate;
                r.rax = Reg(nr);
                r.orig_rax = ~Reg(0);
                r.rdi = args[0];
                r.rsi = args[1];
                r.rdx = args[2];
                r.r10 = args[3];
                r.r8 = args[4];
                r.r9 = args[5];
                store(b, r);
            },
        .syscall_result = [](const std::byte* b) { return static_cast<long>(load(b).rax); },
        .fixup_syscall_stop =
            [](std::byte* b) {
                Regs r = load(b);
                r.rax = r.orig_rax;
                store(b, r);
            },
        .no_restart =
            [](int, std::byte* b) {
                Regs r = load(b);
                r.orig_rax = ~Reg(0);
                store(b, r);
            },
        .thread_pointer_indirect = true,
        .set_thread_pointer =
            [](std::byte* b, Word v) {
                Regs r = load(b);
                r.gs_base = v;
                store(b, r);
            },
        .batch_gate_offset = 3,
        .prepare_batch =
            [](std::byte* b, Word entry, Word records) {
                Regs r = load(b);
                r.rip = Reg(entry);
                r.orig_rax = ~Reg(0);
                r.rbx = Reg(records);
                store(b, r);
            },
        .batch_cursor = [](const std::byte* b) { return Word(load(b).rbx); },
    };
    return a;
}

}  // namespace umol4::arch::x86_64
