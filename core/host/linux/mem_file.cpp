// MemFile: memfd_create + ftruncate + one shared mapping in the core.
#include "core/host/linux/mem_file.hpp"

#include <sys/mman.h>
#include <sys/stat.h>
#include <csignal>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/host/host.hpp"

namespace umol4::linux_host {
namespace {

// The MemFile is not reserved (a box would commit all its memory at
// start): when the host has no page left for it, touching one is SIGBUS.
// In the core that ends the box with a clear line, not a crash; the tasks
// end with the core (PTRACE_O_EXITKILL).
std::byte* guarded_base = nullptr;
std::size_t guarded_size = 0;

void memfile_bus_error(int sig, siginfo_t* si, void*)
{
    auto* a = static_cast<std::byte*>(si->si_addr);
    if (guarded_base && a >= guarded_base && a < guarded_base + guarded_size) {
        static const char msg[] = "umol4: out of host resources: no memory left for the box's physical memory "
                                  "(the MemFile); the box stops\n";
        (void)!write(2, msg, sizeof msg - 1);
        _exit(exit_host_resources);
    }
    signal(sig, SIG_DFL);  // not the MemFile: the usual crash
    raise(sig);
}

}  // namespace

Mem_file::Mem_file(std::size_t size) : _size(size)
{
    // CLOEXEC: tasks receive a dup at a fixed descriptor, nothing else does.
    _fd = memfd_create("umol4-physical-memory", MFD_CLOEXEC);
    if (_fd < 0) throw Host_failure(fmt::format("memfd_create: {}", std::strerror(errno)));
    if (ftruncate(_fd, static_cast<off_t>(size)) != 0) {
        int e = errno;
        close(_fd);
        throw Host_failure(fmt::format("physical memory of {} MiB: {}", size >> 20, std::strerror(e)));
    }
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, _fd, 0);
    if (p == MAP_FAILED) {
        int e = errno;
        close(_fd);
        throw Host_failure(fmt::format("mapping physical memory: {}", std::strerror(e)));
    }
    _base = static_cast<std::byte*>(p);
    guarded_base = _base;
    guarded_size = _size;
    struct sigaction sa {};
    sa.sa_sigaction = memfile_bus_error;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, nullptr);
}

void Mem_file::check_intact() const
{
    struct stat st {};
    if (fstat(_fd, &st) == 0 && static_cast<std::size_t>(st.st_size) < _size)
        throw Host_exhausted("no memory left for the box's physical memory (the MemFile); the box stops");
}

Mem_file::~Mem_file()
{
    if (guarded_base == _base) guarded_base = nullptr;
    munmap(_base, _size);
    close(_fd);
}

}  // namespace umol4::linux_host
