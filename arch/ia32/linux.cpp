// Linux facts of ia32 tasks: 32-bit processes under the x86_64 core.
#include "core/host/linux/linux_arch.hpp"
#include "umol4/gen/arch/ia32/syscall_abi.hpp"

#include <asm/ldt.h>
#include <sys/ptrace.h>

#include "arch/regs_bytes.hpp"
#include "core/host/linux/ptrace_calls.hpp"

extern "C" const std::byte umol4_task_stub_ia32[];
extern "C" const std::byte umol4_task_stub_ia32_end[];
extern "C" const std::byte umol4_kip_stub_blob_ia32[];
extern "C" const std::byte umol4_kip_stub_blob_ia32_end[];

namespace umol4::arch::ia32 {

const Arch_plugin& plugin();

namespace {
constexpr auto load = load_regs<Regs>;
constexpr auto store = store_regs<Regs>;
constexpr unsigned tls_gdt_entry = 12;

void set_tls_descriptor(int tid, Word base)
{
    user_desc d{};
    d.entry_number = tls_gdt_entry;
    d.base_addr = static_cast<unsigned>(base);
    d.limit = 0xFFFFF;
    d.seg_32bit = 1;
    d.limit_in_pages = 1;
    d.useable = 1;
    linux_host::ptrace_checked(static_cast<enum __ptrace_request>(PTRACE_SET_THREAD_AREA), tid,
                               reinterpret_cast<void*>(static_cast<long>(tls_gdt_entry)), &d, "set thread area");
}
}  // namespace

const linux_host::Linux_arch& linux_arch()
{
    static const linux_host::Linux_arch a{
        .abi = &plugin(),
        .task_stub_elf = {umol4_task_stub_ia32, umol4_task_stub_ia32_end},
        .kip_stubs = {umol4_kip_stub_blob_ia32, umol4_kip_stub_blob_ia32_end},
        // Below the 32-bit stack and vdso (no ASLR: just under 4 GiB).
        .system_pages = 0xEE000000,
        .reserved_low = 0xEE000000,
        .reserved_high = 0x100000000,
        .low_alias = 0xEE800000,
        // mmap2 takes its offset in pages.
        .nr = {.mmap = 192, .munmap = 91, .mprotect = 125, .clone = 120, .exit = 1},
        .mmap_offset_shift = 12,
        .prepare_syscall =
            [](std::byte* b, Word gate, long nr, const std::array<Word, 6>& args) {
                Regs r = load(b);
                r.eip = Reg(gate);
                r.eax = Reg(nr);
                r.orig_eax = ~Reg(0);
                r.ebx = Reg(args[0]);
                r.ecx = Reg(args[1]);
                r.edx = Reg(args[2]);
                r.esi = Reg(args[3]);
                r.edi = Reg(args[4]);
                r.ebp = Reg(args[5]);
                store(b, r);
            },
        .syscall_result = [](const std::byte* b) { return static_cast<long>(static_cast<std::int32_t>(load(b).eax)); },
        .fixup_syscall_stop =
            [](std::byte* b) {
                Regs r = load(b);
                r.eax = r.orig_eax;
                store(b, r);
            },
        .no_restart =
            [](int, std::byte* b) {
                Regs r = load(b);
                r.orig_eax = ~Reg(0);
                store(b, r);
            },
        .thread_pointer_indirect = true,
        // gs selects a TLS descriptor (GDT entry 12) based at the thread's word.
        .set_thread_pointer =
            [](std::byte* b, Word) {
                Regs r = load(b);
                r.xgs = (tls_gdt_entry << 3) | 3;
                store(b, r);
            },
        .set_thread_register = &set_tls_descriptor,
        .batch_gate_offset = 3,
        .prepare_batch =
            [](std::byte* b, Word entry, Word records) {
                Regs r = load(b);
                r.eip = Reg(entry);
                r.orig_eax = ~Reg(0);
                r.esp = Reg(records);
                store(b, r);
            },
        .batch_cursor = [](const std::byte* b) { return Word(load(b).esp); },
    };
    return a;
}

}  // namespace umol4::arch::ia32
