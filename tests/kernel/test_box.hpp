// A box for kernel semantics tests: the kernel over the scripted host on
// one vCPU and the virtual clock, sigma0 and a root task whose programs the
// test gives, and the words of the calls the tests make.
#pragma once

#include <memory>

#include "core/arch.hpp"
#include "core/kdebug/console.hpp"
#include "core/kernel.hpp"
#include "tests/kernel/scripted_host.hpp"

namespace umol4::testing {

class Null_console final : public Console {
public:
    void write(std::string_view) override {}
    std::optional<char> read(bool) override { return std::nullopt; }
    bool input_ready() override { return false; }
    bool at_end() const override { return true; }
};

// Time periods (X.2 1.3) and the IPC timeouts word.
constexpr Word never = 0;
constexpr Word zero_time = 0x0400;
constexpr Word microseconds(Word us)  // exact for us < 1024 * 2^e with e chosen small
{
    Word e = 0;
    while (us >= 1024) us >>= 1, ++e;
    return (e << 10) | us;
}
constexpr Word timeouts(Word send, Word receive) { return (send << 16) | receive; }
constexpr Word tag(Word label, unsigned untyped) { return (label << 16) | untyped; }
constexpr Word tag_error = Word(1) << 15;

class Test_box {
public:
    static constexpr Word memory = 2 << 20, kernel_pool = 1 << 20;
    static constexpr Word stubs = 0x7ff000000000;
    static constexpr Word sigma0_entry = 0x20000, root_entry = 0x400000;
    static constexpr Word utcb_area = 0xBF000000;

    explicit Test_box(std::string_view arch_name = UMOL4_TARGET_ARCH_NAME)
        : _box_arch(*find_arch(arch_name)), _arch(_box_arch.abi), _host(_arch, memory + kernel_pool, stubs),
          _kernel(_host, _box_arch, _console, memory)
    {
        _kernel.set_deterministic(true);
        _kernel.set_cpus(1);
        _kernel.set_checking(true);
        Kip_config kip;
        kip.stubs_address = stubs;
        kip.memory = {{Memory_type::conventional, 0, false, 0, memory},
                      {Memory_type::conventional, 0, true, 0, stubs},
                      {Memory_type::reserved, 0, true, stubs, stubs + (Word(1) << 24)}};
        _kernel.install_kip(kip);
        _host.at(sigma0_entry, [](L4_thread&) -> Program { co_return; });
    }

    Kernel& kernel() { return _kernel; }
    Scripted_host& host() { return _host; }

    // Before run: the root task's program.
    void root(Program_fn p) { _host.at(root_entry, std::move(p)); }
    // A new entry address that runs p (for threads the programs start).
    Word entry(Program_fn p)
    {
        Word e = root_entry + 0x1000 * ++_entries;
        _host.at(e, std::move(p));
        return e;
    }
    // Boots sigma0 and the root task and runs the box until every thread
    // waits for good.
    Box_exit run()
    {
        Thread& s0 = _kernel.start_initial_server(_kernel.user_base(), sigma0_entry, 0, 0, true);
        Thread& r = _kernel.start_initial_server(_kernel.user_base() + 2, root_entry, 0, s0.id, false);
        r.scheduler = r.id;
        s0.scheduler = r.id;
        return _kernel.run(std::nullopt);
    }

    Word sigma0() const { return _kernel.ids().make(_kernel.user_base(), 1); }
    Word root_id() const { return _kernel.ids().make(_kernel.user_base() + 2, 1); }
    // Thread n of the tests (numbers above the initial servers').
    Word thread(unsigned n, Word version = 1) const { return _kernel.ids().make(_kernel.user_base() + 16 + n, version); }
    // UTCB slot k of the root's space (the root has slot 0), and the local
    // id of the thread there.
    Word utcb_slot(unsigned k) const { return utcb_area + Word(k) * _arch.utcb_size; }
    Word local_id(unsigned k) const { return utcb_slot(k) + _arch.mr0_offset; }

    // ThreadControl's inputs: an active thread in the root's space at UTCB
    // slot k (sigma0 its pager, the root its scheduler).
    std::vector<Word> in_root_space(Word id, unsigned slot) const
    {
        return {id, root_id(), root_id(), sigma0(), utcb_slot(slot)};
    }
    // ThreadControl's inputs that delete a thread.
    static std::vector<Word> deletion(Word id) { return {id, 0, 0, 0, ~Word(0)}; }
    // ExchangeRegisters' inputs that start a thread waiting for its startup
    // message at `entry` (S R s i h, H = 0).
    static std::vector<Word> start(Word id, Word entry) { return {id, 0x11E, 0x8000, entry, 0, 0, 0}; }

private:
    const Arch& _box_arch;
    const Arch_plugin& _arch;
    Null_console _console;
    Scripted_host _host;
    Kernel _kernel;
    unsigned _entries = 0;
};

}  // namespace umol4::testing
