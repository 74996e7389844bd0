// libFuzzer harness of the core's system-call layer: a box of x86_64 tasks
// (one to three vCPUs) whose every stop comes from the fuzzer's bytes (see
// fuzz_host.hpp), checked after each stop with Kernel::check_invariants.
// A crash, a sanitizer report, an escaping exception or a broken invariant
// is a finding.
#include <cstdio>
#include <cstdlib>

#include <spdlog/spdlog.h>

#include "core/arch.hpp"
#include "core/kernel.hpp"
#include "tests/fuzz/fuzz_host.hpp"

namespace {

class Null_console final : public umol4::Console {
public:
    void write(std::string_view) override {}
    std::optional<char> read(bool) override { return std::nullopt; }
    bool input_ready() override { return false; }
    bool at_end() const override { return true; }
};

constexpr umol4::Word memory = 2 << 20, kernel_pool = 1 << 20;
constexpr umol4::Word user_top = 0x7ff000000000;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    spdlog::set_level(spdlog::level::off);  // unhandled faults of made-up threads are the normal case
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace umol4;
    static const Arch* arch = find_arch("x86_64");
    fuzz::Input in(data, size);
    unsigned cpus = 1 + in.take<std::uint8_t>() % 3;
    fuzz::Fuzz_host host(arch->abi, in, memory + kernel_pool, user_top);
    Null_console console;
    Kernel kernel(host, *arch, console, memory);
    kernel.set_deterministic(cpus == 1);
    kernel.set_cpus(cpus);
    Kip_config kip;
    kip.stubs_address = host.kip_stubs_address();
    kip.processors = cpus;
    kip.memory = {{Memory_type::conventional, 0, false, 0, memory},
                  {Memory_type::reserved, 0, false, 0, 0x10000},
                  {Memory_type::conventional, 0, true, 0, user_top},
                  {Memory_type::reserved, 0, true, user_top, user_top + (Word(1) << 24)}};
    kernel.install_kip(kip);
    Thread& sigma0 = kernel.start_initial_server(kernel.user_base(), 0x20000, 0, 0, true);
    Thread& root = kernel.start_initial_server(kernel.user_base() + 2, 0x400000, 0, sigma0.id, false);
    root.scheduler = root.id;
    sigma0.scheduler = root.id;
    host.set_check([&] {
        if (std::string e = kernel.check_invariants(); !e.empty()) {
            std::fprintf(stderr, "invariant broken: %s\n", e.c_str());
            std::abort();
        }
    });
    kernel.run(std::nullopt);
    return 0;
}
