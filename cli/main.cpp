// umol4: the command that boots and runs one virtual L4 box.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <execinfo.h>
#include <sched.h>
#include <sys/prctl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "cli/box_file.hpp"
#include "cli/vm_box.hpp"
#include "core/arch.hpp"
#include "core/boot/boot.hpp"
#include "core/boot/boot_error.hpp"
#include "core/host/linux/linux_arch.hpp"
#include "core/host/linux/ptrace_host.hpp"
#include "core/host/linux/signal_host.hpp"
#include "core/host/linux/stdio_console.hpp"

namespace {

constexpr int exit_usage = 2;

// "64M", "1G", "65536", "512K": bytes.
// A size as QEMU's -m takes it: a number alone is MiB; K, M, G (KiB, MiB,
// GiB, also with "B" or "iB") or B (bytes) say otherwise.
umol4::Word parse_size(const std::string& text, const std::string& option = "--memory")
{
    static const std::regex re(R"(^\s*([0-9]+)\s*([kKmMgG]?)(i?[bB])?\s*$)");
    std::smatch m;
    if (!std::regex_match(text, m, re)) throw CLI::ValidationError(option, "not a size: " + text);
    unsigned shift = m[3].matched ? 0 : 20;
    switch (m[2].str().empty() ? ' ' : m[2].str()[0]) {
    case 'k': case 'K': shift = 10; break;
    case 'm': case 'M': shift = 20; break;
    case 'g': case 'G': shift = 30; break;
    default: break;
    }
    if (m[1].length() > 15) throw CLI::ValidationError(option, "too large: " + text);
    umol4::Word v = std::stoull(m[1]);
    if (v > (umol4::Word(1) << (63 - shift))) throw CLI::ValidationError(option, "too large: " + text);
    return v << shift;
}

}  // namespace

// Where the vCPUs run: by default vCPU 0 (and the core) on the host CPU
// umol4 starts on, the others on the next CPUs it may use, round robin (a
// stop costs several times more when the core wakes a thread on another
// host CPU, so vCPU 0's threads stay beside the core).
static std::vector<int> host_cpus_of(unsigned vcpus, int host_cpu)
{
    if (host_cpu == -1) return {};
    if (host_cpu >= 0) return {host_cpu};
    std::vector<int> cpus{sched_getcpu()};
    cpu_set_t allowed;
    if (vcpus > 1 && sched_getaffinity(0, sizeof allowed, &allowed) == 0) {
        for (int i = 1; i < CPU_SETSIZE; ++i) {
            int c = (cpus[0] + i) % CPU_SETSIZE;
            if (CPU_ISSET(c, &allowed)) cpus.push_back(c);
        }
    }
    return cpus;
}

namespace {

// A fault of the core itself is a bug: say so on stderr with the return
// addresses (addr2line -e umol4 turns them into lines), then die of it as
// before (the tasks end with the core, PTRACE_O_EXITKILL).
void write_hex(unsigned long v)
{
    char buf[19] = "0x";
    int n = 2;
    for (int shift = 60; shift >= 0; shift -= 4)
        if (unsigned d = (v >> shift) & 0xF; d || n > 2 || shift == 0) buf[n++] = "0123456789abcdef"[d];
    (void)!write(2, buf, n);
}

void report_crash(int sig, siginfo_t* si, void*)
{
    static const char head[] = "umol4: internal error: the core crashed (signal ";
    (void)!write(2, head, sizeof head - 1);
    write_hex(static_cast<unsigned long>(sig));
    (void)!write(2, ", code ", 7);
    write_hex(static_cast<unsigned long>(si->si_code));
    (void)!write(2, ", address ", 10);
    write_hex(reinterpret_cast<unsigned long>(si->si_addr));
    (void)!write(2, ")\n", 2);
    void* frames[48];
    backtrace_symbols_fd(frames, backtrace(frames, 48), 2);
    signal(sig, SIG_DFL);
    raise(sig);
}

void install_crash_report()
{
    static char stack[64 * 1024];  // a stack overflow still gets its report
    stack_t ss{};
    ss.ss_sp = stack;
    ss.ss_size = sizeof stack;
    sigaltstack(&ss, nullptr);
    struct sigaction sa {};
    sa.sa_sigaction = report_crash;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
    for (int s : {SIGSEGV, SIGILL, SIGFPE, SIGABRT}) sigaction(s, &sa, nullptr);
    void* warm[1];
    backtrace(warm, 1);  // loads the unwinder now, not in the handler
}

}  // namespace

int main(int argc, char** argv)
{
    install_crash_report();
    CLI::App app{"UMOL4: a user-mode L4 (X.2) microkernel.  Runs L4 programs as Linux processes;\n"
                 "one umol4 process is one virtual L4 box."};
    app.set_version_flag("--version", std::string("umol4 ") + UMOL4_VERSION);
    app.require_subcommand(1);

    umol4::Box_options opt;
    std::string memory = "128M", console_input, log_level = "warn";
    double timeout_s = 0;
    int verbose = 0;
    auto* run = app.add_subcommand("run", "Boot a box: sigma0, a root task and modules, like a boot loader");
    run->footer("Each image is a boot command line, 'PATH [ARGUMENTS]' (one shell word), as a boot loader's:\n"
                "the root task finds every image's line in the boot information (KIP BootInfo).\n"
                "A box file stands for options and images: umol4 run [OPTIONS] BOX.toml (docs/box-files.md).\n"
                "Images of a CPU this core cannot run (aarch64, riscv64 on x86_64) boot in that arch's QEMU VM,\n"
                "from the SDK's VM kit (lib/umol4/ARCH/vm), with the console and the exit code passed through.\n\n"
                "Exit codes: 0 the box ran to its end; 1 a thread stopped on an unhandled fault (or a task\n"
                "process was killed); 2 bad input (options, images; one line on stderr); 3 the kernel debugger\n"
                "was entered; 4 --timeout ran out; 5 the host failed an operation the box needs (a Linux call\n"
                "refused); 70 internal error; 71 out of host resources (processes, memory); 130 interrupted.");
    // A box file's options come first and the command line's after them:
    // the last one given wins.
    run->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    run->add_option("SIGMA0", opt.sigma0,
                    "ELF image of the root pager (sigma0) [and its arguments]; or a box file (NAME.toml: the "
                    "box's options and images, docs/box-files.md), alone")
        ->required();
    run->add_option("ROOTTASK", opt.root, "ELF image of the root task [and its arguments]");
    run->add_option("MODULE", opt.modules,
                    "further images [and their arguments], listed in the boot information: programs (ELF "
                    "executables of the box's arch) at their link addresses, any other file as it is above the "
                    "programs");
    run->add_option("-m,--memory", memory,
                    "physical memory of the box: MiB, or with a suffix K, M, G (e.g. 512, 64M, 1G; at least 4M)")
        ->capture_default_str();
    run->add_option("--cpus,--smp", opt.cpus, "virtual CPUs: up to this many L4 threads run at once (also -smp N)")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    run->add_option("--timeout", timeout_s, "stop the box after this many seconds (exit code 4)")->check(CLI::PositiveNumber);
    run->add_option("--console-input", console_input, "read console input from this file instead of the terminal")
        ->check(CLI::ExistingFile);
    int host_cpu = -2;
    run->add_option("--host-cpu", host_cpu,
                    "host CPU the whole box runs on (default: vCPU 0 on the one umol4 starts on, the others on the next ones; -1: no pinning)")
        ->check(CLI::Range(-1, 4095));
    bool deterministic = false;
    run->add_flag("--deterministic", deterministic,
                  "virtual clock advanced by events: every run of a program has the same event order");
    std::size_t map_budget = 0;
    run->add_option("--map-budget", map_budget,
                    "Linux mappings a task may hold for L4 pages before the core drops its cached ones "
                    "(default: from vm.max_map_count)")
        ->check(CLI::Range(16, 1 << 30));
    std::size_t max_threads = umol4::linux_host::default_process_limit;
    run->add_option("--max-threads", max_threads,
                    "Linux threads the box may hold at once: one per L4 thread and one per address space; "
                    "past it ThreadControl and SpaceControl fail with ErrorCode 8 (out of memory)")
        ->check(CLI::Range(8, 1 << 20))
        ->capture_default_str();
    std::string mapping_memory;
    run->add_option("--mapping-memory", mapping_memory,
                    "core memory the box's mappings may hold, their nodes and page tables (e.g. 16M; default: "
                    "5/8 of --memory, 64 mappings per page of a dense layout); past it map items fail with "
                    "message overflow and only page-fault replies still map, from a reserve of a sixteenth");
    int core_cpu = -1;
    run->add_option("--core-cpu", core_cpu,
                    "host CPU of the core itself with --trap signal (default: virtual CPU 0's); on a CPU of its "
                    "own the core and the threads spin briefly for each other instead of sleeping")
        ->check(CLI::Range(0, CPU_SETSIZE - 1));
    std::string trap = "signal";
    run->add_option("--trap", trap,
                    "how L4 threads' system calls and faults reach the core: signal (untraced threads, every "
                    "system call a SIGSYS that the task stub reports through a futex, on every arch; ia32 tasks "
                    "of a 32-bit core use ptrace) or ptrace (every stop a ptrace stop)")
        ->check(CLI::IsMember({"signal", "ptrace"}))
        ->envname("UMOL4_TRAP")
        ->capture_default_str();
    bool pager_exregs = false;
    run->add_flag("--pager-exregs", pager_exregs,
                  "a thread's pager's space may ExchangeRegisters it too (the reference kernel's non-default "
                  "build; KIP feature \"pagerexregs\")");
    bool check_invariants = false;
    run->add_flag("--check-invariants", check_invariants,
                  "check the kernel's invariants after every event (slow; for tests)");
    std::string box_name;
    run->add_option("--name", box_name,
                    "the box's name, in its log lines and its Linux processes' names (ps, top: NAME for the "
                    "core, NAME-task for its task processes)")
        ->check([](const std::string& n) {
            bool printable = std::all_of(n.begin(), n.end(), [](unsigned char c) { return c > ' ' && c < 127; });
            return !n.empty() && n.size() <= 64 && printable ? std::string() : std::string("1 to 64 printable characters, no spaces");
        });
    bool quiet = false;
    auto* quiet_flag = run->add_flag("-q,--quiet", quiet, "no log output but errors");
    run->add_flag("-v,--verbose", verbose, "more log output (repeatable)")->excludes(quiet_flag);
    run->add_option("--log-level", log_level, "log level: trace, debug, info, warn, error, off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

    // QEMU's -smp N, which CLI11 would read as the short options -s -m -p.
    std::vector<std::string> args(argv + 1, argv + argc);
    for (auto& a : args)
        if (a == "-smp") a = "--smp";
    std::vector<std::string> run_words;  // what run parsed last (a VM's umol4 gets them)
    auto parse = [&app, &run_words](std::vector<std::string> words) {
        auto run_at = std::find(words.begin(), words.end(), "run");
        run_words.assign(run_at == words.end() ? words.end() : run_at + 1, words.end());
        std::reverse(words.begin(), words.end());  // CLI11 takes them last first
        app.parse(words);
    };
    app.name(argv[0]);
    try {
        parse(args);
        if (opt.root.empty()) {
            if (!umol4::cli::is_box_file_name(opt.sigma0) || !opt.modules.empty()) throw CLI::RequiredError("ROOTTASK");
            // The box file's options, the command line's (they win), then
            // the box file's images.
            auto box = umol4::cli::box_file_arguments(opt.sigma0, *run);
            auto own = std::find(args.begin(), args.end(), "run");
            std::vector<std::string> words(args.begin(), own + 1);
            words.insert(words.end(), box.options.begin(), box.options.end());
            for (auto a = own + 1; a != args.end(); ++a)
                if (*a != opt.sigma0) words.push_back(*a);
            words.push_back("--");
            words.insert(words.end(), box.images.begin(), box.images.end());
            app.clear();
            parse(words);
        }
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : exit_usage;
    } catch (const umol4::cli::Box_file_error& e) {
        std::fprintf(stderr, "umol4: %s\n", e.what());
        return exit_usage;
    }

    auto logger = spdlog::stderr_color_mt("umol4");
    spdlog::set_default_logger(logger);
    // Every line of the box's own says whose it is.
    std::string const who = box_name.empty() ? "umol4" : "umol4[" + box_name + "]";
    spdlog::set_pattern(who + ": %^%l%$: %v");
    if (!box_name.empty()) prctl(PR_SET_NAME, box_name.substr(0, 15).c_str());
    spdlog::set_level(spdlog::level::from_str(log_level));
    if (quiet) spdlog::set_level(spdlog::level::err);
    if (verbose == 1) spdlog::set_level(spdlog::level::info);
    if (verbose >= 2) spdlog::set_level(spdlog::level::debug);

    try {
        if (deterministic && opt.cpus > 1)
            throw CLI::ValidationError("--deterministic", "runs one virtual CPU (no --cpus above 1)");
        opt.memory_bytes = parse_size(memory);
        if (timeout_s > 0) opt.timeout = std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000));
        umol4::Box_images images = umol4::read_box_images(opt);
        const std::string& arch_name = images.sigma0.arch;
        const umol4::Arch* arch = umol4::find_arch(arch_name);
        if (!arch || !arch->linux || !arch->traps) {
            // Another CPU's box: in that arch's VM, if the SDK has one.
            if (auto kit = umol4::cli::find_vm_kit(arch_name)) {
                std::vector<std::string> files;
                for (const auto* image : {&opt.sigma0, &opt.root}) files.push_back(image->substr(0, image->find(' ')));
                for (const auto& m : opt.modules) files.push_back(m.substr(0, m.find(' ')));
                if (!console_input.empty()) files.push_back(console_input);
                return umol4::cli::run_in_vm(arch_name, *kit, files, run_words, opt.memory_bytes);
            }
            throw umol4::Boot_error(fmt::format("{}: {} images cannot run on this core, and no {} VM kit lies "
                                                "beside it (lib/umol4/{}/vm of an SDK built with {})",
                                                opt.sigma0, arch_name, arch_name, arch_name, arch_name));
        }
        umol4::linux_host::Stdio_console console(console_input);
        // Boxes of an arch without the signal path (its tasks would all be
        // traced anyway) take ptrace's own wait, which costs less there.
        bool signal_path = trap == "signal" && umol4::linux_host::Signal_host::takes_signal_path(*arch->linux);
        if (core_cpu >= 0 && !signal_path)
            throw CLI::ValidationError("--core-cpu", trap != "signal" ? std::string("needs --trap signal")
                                                     : fmt::format("needs the signal trap path, which {} boxes lack",
                                                                   arch_name));
        std::unique_ptr<umol4::linux_host::Ptrace_host> host_of_box;
        if (signal_path)
            host_of_box = std::make_unique<umol4::linux_host::Signal_host>(
                *arch->linux, opt.memory_bytes + umol4::kernel_pool_bytes, host_cpus_of(opt.cpus, host_cpu),
                map_budget, max_threads, core_cpu);
        else
            host_of_box = std::make_unique<umol4::linux_host::Ptrace_host>(
                *arch->linux, opt.memory_bytes + umol4::kernel_pool_bytes, host_cpus_of(opt.cpus, host_cpu),
                map_budget);
        auto& host = *host_of_box;
        host.set_process_limit(max_threads);
        host.set_box_name(box_name);
        umol4::Kernel kernel(host, *arch, console, opt.memory_bytes);
        if (const umol4::Arch* compat = umol4::find_arch(arch->abi.compat_arch)) kernel.offer_compat(*compat);
        kernel.set_deterministic(deterministic);
        kernel.set_pager_exregs(pager_exregs);
        kernel.set_cpus(opt.cpus);
        kernel.set_checking(check_invariants);
        if (!mapping_memory.empty()) {
            umol4::Word bytes = parse_size(mapping_memory, "--mapping-memory");
            if (bytes < (1u << 20)) throw CLI::ValidationError("--mapping-memory", "below 1M: " + mapping_memory);
            kernel.set_mapping_memory_limit(bytes);
        }
        umol4::boot(kernel, host, images, opt);
        auto start = std::chrono::steady_clock::now();
        umol4::Box_exit how = kernel.run(opt.timeout);
        auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        const auto& s = kernel.stats();
        spdlog::info("box stopped after {:.1f} ms: {} ({} system calls, {} IPCs, {} page faults ({} to pagers), "
                     "{} preemptions, {} memory batches, {} map-cache evictions)",
                     ms, kernel.exit_reason(), s.syscalls, s.ipcs, s.page_faults, s.faults_to_pagers, s.preemptions,
                     host.memory_batches(), kernel.map_cache_evictions());
        if (how != umol4::Box_exit::finished && how != umol4::Box_exit::faulted)
            spdlog::warn("box stopped: {}", kernel.exit_reason());
        return static_cast<int>(how);
    } catch (const CLI::ValidationError& e) {
        std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
        return exit_usage;
    } catch (const umol4::Boot_error& e) {
        std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
        return exit_usage;
    } catch (const umol4::Host_failure& e) {
        std::fprintf(stderr, "%s: the host failed the box: %s\n", who.c_str(), e.what());
        return umol4::exit_host_failure;
    } catch (const umol4::Host_exhausted& e) {
        // Linux has no room for the box itself (processes, memory).
        std::fprintf(stderr, "%s: out of host resources: %s\n", who.c_str(), e.what());
        return umol4::exit_host_resources;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: internal error: %s\n", who.c_str(), e.what());
        return 70;
    }
}
