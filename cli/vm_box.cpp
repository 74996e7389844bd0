// Boots another CPU's box in its QEMU VM.  The VM's initramfs is written
// here (newc cpio: /init, the arch's static umol4, the images under /host
// at their absolute paths, /vm/argv); QEMU's console output is shown from /init's
// start line on, and /init's last line carries the box's exit code.
#include "cli/vm_box.hpp"

#include "cli/cpio.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <set>
#include <stdexcept>

#include "core/boot/boot_error.hpp"
#include "core/host/host.hpp"

namespace umol4::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view start_line = "umol4-vm: start";
constexpr std::string_view exit_marker = "\numol4-vm: exit ";

// The host's terminal in raw mode while a VM's console is on it (the VM's
// terminal line does the rest), as it was afterwards.
class Raw_terminal {
public:
    explicit Raw_terminal(bool on) : on_(on && tcgetattr(0, &saved_) == 0)
    {
        if (!on_) return;
        termios raw = saved_;
        cfmakeraw(&raw);
        tcsetattr(0, TCSANOW, &raw);
    }
    ~Raw_terminal() { restore(); }
    void restore()
    {
        if (on_) tcsetattr(0, TCSANOW, &saved_);
        on_ = false;
    }

private:
    bool on_;
    termios saved_{};
};

volatile sig_atomic_t interrupted = 0;

void note_interrupt(int) { interrupted = 1; }

// Writes all of `data` to stdout.
void show(std::string_view data)
{
    while (!data.empty()) {
        ssize_t n = write(1, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

// How one boot of the VM went.
struct Boot {
    int code = -1;         // the box's exit code, from /init's last line
    bool started = false;  // /init said it starts the box
    bool stuck = false;    // no /init in time: QEMU was killed
    std::string boot;      // what the VM said before /init
    int status = 0;        // qemu.sh's exit status
};

// One boot of the VM.  QEMU's serial line reads a pipe: what is typed
// goes in once /init has the console open (type-ahead would be lost
// before), the terminal raw meanwhile so that the VM's console does the
// echo, the editing and ^C as a terminal's would.
Boot boot_once(const std::string& arch, const std::string& kit, const fs::path& initrd, std::uint64_t mib,
               bool terminal, std::chrono::seconds start_limit)
{
    int out[2], in[2] = {-1, -1};
    if (pipe2(out, O_CLOEXEC) != 0 || (terminal && pipe2(in, O_CLOEXEC) != 0))
        throw Host_failure(fmt::format("pipe: {}", std::strerror(errno)));
    std::string const qemu = (fs::path(kit) / "qemu.sh").string(), image = (fs::path(kit) / "Image").string(),
                      rd = initrd.string(), mem = std::to_string(mib);
    pid_t pid = fork();
    if (pid < 0) throw Host_exhausted(fmt::format("fork: {}", std::strerror(errno)));
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(terminal ? in[0] : open("/dev/null", O_RDONLY), 0);
        execlp("sh", "sh", qemu.c_str(), arch.c_str(), image.c_str(), rd.c_str(), mem.c_str(), nullptr);
        _exit(127);
    }
    close(out[1]);
    if (terminal) close(in[0]);
    Raw_terminal raw(terminal);

    // Before /init's start line: the firmware's and kernel's words, kept
    // for an error.  After it: the box's console, until the exit marker.
    Boot r;
    std::string pending;
    auto const deadline = std::chrono::steady_clock::now() + start_limit;
    char buf[4096];
    for (;;) {
        pollfd fds[2] = {{out[0], POLLIN, 0}, {0, POLLIN, 0}};
        bool const typing = r.started && r.code < 0 && in[1] >= 0;
        // What was held back (a line end that might have begun the exit
        // marker) is shown once QEMU has been quiet a moment: the marker
        // brings its own line end.
        int wait_ms = -1;
        if (!r.started)
            wait_ms = static_cast<int>(std::max<long long>(
                0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
                       .count()));
        else if (r.code < 0 && !pending.empty())
            wait_ms = 50;
        int ready = poll(fds, typing ? 2 : 1, wait_ms);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) break;
        if (ready == 0 && !r.started) {
            r.stuck = true;
            kill(pid, SIGKILL);
            break;
        }
        if (ready == 0) {
            show(pending);
            pending.clear();
            continue;
        }
        if (typing && (fds[1].revents & (POLLIN | POLLHUP))) {
            ssize_t k = read(0, buf, sizeof buf);
            if (k <= 0 || write(in[1], buf, static_cast<std::size_t>(k)) != k) {
                close(in[1]);
                in[1] = -1;
            }
        }
        if (!(fds[0].revents & (POLLIN | POLLHUP))) continue;
        ssize_t n = read(out[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (r.code >= 0) continue;  // the power-off's words
        if (!r.started) {
            r.boot.append(buf, static_cast<std::size_t>(n));
            std::size_t at = r.boot.find(start_line);
            std::size_t eol = at == std::string::npos ? at : r.boot.find('\n', at);
            if (eol == std::string::npos) continue;
            r.started = true;
            pending = r.boot.substr(eol + 1);
        } else {
            pending.append(buf, static_cast<std::size_t>(n));
        }
        // Show all but what may be the start of the exit marker (which
        // begins with /init's own line break).
        std::size_t m = pending.find(exit_marker);
        if (m != std::string::npos) {
            if (pending.find('\n', m + exit_marker.size()) == std::string::npos) continue;
            show(std::string_view(pending).substr(0, m));
            r.code = std::atoi(pending.c_str() + m + exit_marker.size());
            continue;
        }
        std::size_t keep = std::min(pending.size(), exit_marker.size() - 1);
        while (keep > 0 && pending.compare(pending.size() - keep, keep, exit_marker.substr(0, keep)) != 0) --keep;
        show(std::string_view(pending).substr(0, pending.size() - keep));
        pending.erase(0, pending.size() - keep);
    }
    close(out[0]);
    if (in[1] >= 0) close(in[1]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

}  // namespace

std::optional<std::string> find_vm_kit(const std::string& arch)
{
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return std::nullopt;
    for (fs::path kit : {exe.parent_path() / ".." / "lib" / "umol4" / arch / "vm",
                         exe.parent_path() / "sdk-stage" / "lib" / "umol4" / arch / "vm"}) {
        if (fs::exists(kit / "Image") && fs::exists(kit / "umol4") && fs::exists(kit / "init") &&
            fs::exists(kit / "qemu.sh"))
            return kit.lexically_normal().string();
    }
    return std::nullopt;
}

int run_in_vm(const std::string& arch, const std::string& kit, const std::vector<std::string>& files,
              const std::vector<std::string>& args, std::uint64_t box_memory_bytes)
{
    const char* tmp_dir = getenv("TMPDIR");
    std::string tmp_base = std::string(tmp_dir && *tmp_dir ? tmp_dir : "/tmp") + "/umol4-vm.XXXXXX";
    std::vector<char> dir_name(tmp_base.begin(), tmp_base.end());
    dir_name.push_back('\0');
    if (!mkdtemp(dir_name.data())) throw Host_failure(fmt::format("mkdtemp: {}", std::strerror(errno)));
    fs::path const work(dir_name.data());
    struct Remove {
        fs::path p;
        ~Remove()
        {
            std::error_code ec;
            fs::remove_all(p, ec);
        }
    } remove_work{work};

    // The initramfs: /init, /umol4, every file at its absolute path, and
    // the command line with those paths.
    fs::path const initrd = work / "initramfs.cpio";
    bool const terminal = isatty(0);
    {
        Cpio cpio(initrd);
        std::set<std::string> made;
        cpio.file("init", fs::path(kit) / "init", true);
        cpio.file("umol4", fs::path(kit) / "umol4", true);
        std::vector<std::pair<std::string, std::string>> moved;  // as given -> absolute
        for (const auto& f : files) {
            fs::path abs = fs::absolute(f).lexically_normal();
            // Under /host: the VM mounts its own /tmp, /proc and /dev.
            fs::path inside = fs::path("host") / abs.relative_path();
            if (!made.insert(inside.string()).second) continue;
            cpio.parents(made, inside);
            cpio.file(inside.string(), abs, true);
            moved.emplace_back(f, "/" + inside.string());
        }
        std::string argv = std::string("/umol4") + '\0' + "run" + '\0';
        // Input that is no terminal is read to its end here and becomes the
        // box's --console-input: the VM's serial line would lose what came
        // before the guest opened it, and it has no end of input.
        bool const given = std::any_of(args.begin(), args.end(),
                                       [](const std::string& a) { return a.rfind("--console-input", 0) == 0; });
        if (!terminal && !given) {
            std::string input;
            char chunk[65536];
            for (ssize_t n; (n = read(0, chunk, sizeof chunk)) != 0;) {
                if (n < 0 && errno == EINTR) continue;
                if (n < 0) throw Host_failure(fmt::format("reading the console input: {}", std::strerror(errno)));
                input.append(chunk, static_cast<std::size_t>(n));
            }
            if (made.insert("vm").second) cpio.directory("vm");
            cpio.text("vm/input", input);
            argv += std::string("--console-input=/vm/input") + '\0';
        }
        for (std::string a : args) {
            // An argument whose first word (or value, --option=FILE) is a
            // file named as given becomes its absolute path.
            std::size_t from = a.rfind("--", 0) == 0 && a.find('=') != std::string::npos ? a.find('=') + 1 : 0;
            std::size_t end = std::min(a.find(' ', from), a.size());
            for (const auto& [given, abs] : moved)
                if (a.compare(from, end - from, given) == 0 && end - from == given.size()) {
                    a.replace(from, end - from, abs);
                    break;
                }
            argv += a + '\0';
        }
        if (made.insert("vm").second) cpio.directory("vm");
        cpio.text("vm/argv", argv);
        if (terminal) cpio.text("vm/tty", "");  // the console stays a terminal's
        cpio.finish();
    }

    // A VM that has not reached /init after this long is stuck (seen now
    // and then with riscv64 under load: QEMU busy, not a word from the
    // firmware): it is booted again.  A slow boot only costs its time.
    // (UMOL4_VM_START_LIMIT, in seconds, changes it: for the tests.)
    const char* limit_text = getenv("UMOL4_VM_START_LIMIT");
    std::chrono::seconds const limit(limit_text && atoi(limit_text) > 0 ? atoi(limit_text) : 120);
    std::uint64_t const mib = std::max<std::uint64_t>(1024, (box_memory_bytes >> 20) + 512);
    struct sigaction sa {}, ignore{}, old_int{}, old_term{}, old_pipe{};
    sa.sa_handler = note_interrupt;
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGPIPE, &ignore, &old_pipe);
    Boot r;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        r = boot_once(arch, kit, initrd, mib, terminal, limit);
        if (!r.stuck || interrupted) break;
        spdlog::warn("the {} VM reached no /init in {} s (boot {} of 3): booting it again", arch, limit.count(),
                     attempt);
    }
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    sigaction(SIGPIPE, &old_pipe, nullptr);
    if (r.code >= 0) return r.code;
    if (interrupted) return 130;
    if (r.started) throw Host_failure(fmt::format("the {} VM ended before the box did", arch));
    // QEMU did not start, or the VM never reached /init: what it said.
    std::string tail = r.boot.size() > 2000 ? r.boot.substr(r.boot.size() - 2000) : r.boot;
    throw Host_failure(fmt::format("the {} VM did not boot ({}){}{}", arch,
                                   r.stuck ? "no /init after three boots" : fmt::format("qemu.sh exit status {}", r.status),
                                   tail.empty() ? "" : ":\n", tail));
}

}  // namespace umol4::cli
