// The MemFile: one memfd per box holding all of its physical memory, mapped
// whole into the core; tasks map pieces of it.
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace umol4::linux_host {

class Mem_file {
    int _fd = -1;
    std::byte* _base = nullptr;
    std::size_t _size = 0;

public:
    explicit Mem_file(std::size_t size);
    ~Mem_file();
    Mem_file(const Mem_file&) = delete;
    Mem_file& operator=(const Mem_file&) = delete;

    int fd() const { return _fd; }
    std::span<std::byte> bytes() const { return {_base, _size}; }
};

}  // namespace umol4::linux_host
