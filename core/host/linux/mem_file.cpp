// MemFile: memfd_create + ftruncate + one shared mapping in the core.
#include "core/host/linux/mem_file.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/boot/boot_error.hpp"

namespace umol4::linux_host {

Mem_file::Mem_file(std::size_t size) : _size(size)
{
    // CLOEXEC: tasks receive a dup at a fixed descriptor, nothing else does.
    _fd = memfd_create("umol4-physical-memory", MFD_CLOEXEC);
    if (_fd < 0) throw Boot_error(fmt::format("memfd_create: {}", std::strerror(errno)));
    if (ftruncate(_fd, static_cast<off_t>(size)) != 0) {
        int e = errno;
        close(_fd);
        throw Boot_error(fmt::format("physical memory of {} MiB: {}", size >> 20, std::strerror(e)));
    }
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, _fd, 0);
    if (p == MAP_FAILED) {
        int e = errno;
        close(_fd);
        throw Boot_error(fmt::format("mapping physical memory: {}", std::strerror(e)));
    }
    _base = static_cast<std::byte*>(p);
}

Mem_file::~Mem_file()
{
    munmap(_base, _size);
    close(_fd);
}

}  // namespace umol4::linux_host
