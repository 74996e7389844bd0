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
    // Throws Host_exhausted if the host took pages of it away (the file is
    // shorter than the box's memory): what a task that died of touching
    // one, or could not take a signal on its stack there, says about it.
    void check_intact() const;
};

}  // namespace umol4::linux_host
