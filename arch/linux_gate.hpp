// The Linux_arch entries every arch fills the same way: system calls at
// the task stub's injection and batch gates, from the arch's generated
// Linux_calls (syscall-bindings/arch/<arch>.toml [linux]), on the register
// bytes ptrace hands over.
#pragma once

#include <array>
#include <cstddef>

#include "arch/regs_bytes.hpp"
#include "core/host/linux/linux_arch.hpp"

namespace umol4::arch {

template <class Calls, class Regs>
linux_host::Linux_arch with_linux_calls(linux_host::Linux_arch a)
{
    a.nr = {.mmap = Calls::mmap, .munmap = Calls::munmap, .mprotect = Calls::mprotect, .clone = Calls::clone,
            .exit = Calls::exit, .prctl = Calls::prctl};
    a.mmap_offset_shift = Calls::mmap_offset_shift;
    a.prepare_syscall = [](std::byte* b, Word gate, long nr, const std::array<Word, 6>& args) {
        Regs r = load_regs<Regs>(b);
        Calls::prepare(r, gate, nr, args);
        store_regs(b, r);
    };
    a.syscall_result = [](const std::byte* b) { return Calls::result(load_regs<Regs>(b)); };
    a.prepare_batch = [](std::byte* b, Word entry, Word records) {
        Regs r = load_regs<Regs>(b);
        Calls::prepare_batch(r, entry, records);
        store_regs(b, r);
    };
    a.batch_cursor = [](const std::byte* b) { return Calls::batch_cursor(load_regs<Regs>(b)); };
    if constexpr (requires(Regs& r) { Calls::clear_restart(r); }) {
        a.no_restart = [](int, std::byte* b) {
            Regs r = load_regs<Regs>(b);
            Calls::clear_restart(r);
            store_regs(b, r);
        };
    }
    if constexpr (requires(Regs& r) { Calls::set_thread_pointer(r, Word(0)); }) {
        a.set_thread_pointer = [](std::byte* b, Word v) {
            Regs r = load_regs<Regs>(b);
            Calls::set_thread_pointer(r, v);
            store_regs(b, r);
        };
    }
    if (a.trap == linux_host::Linux_arch::Trap::seccomp) {
        a.skip_syscall = [](std::byte* b) {
            Regs r = load_regs<Regs>(b);
            Calls::skip(r);
            store_regs(b, r);
        };
    }
    return a;
}

}  // namespace umol4::arch
