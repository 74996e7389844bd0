// Register files travel as bytes (ptrace buffers need no alignment): copy
// them in and out of the arch's typed register struct.
#pragma once

#include <cstddef>
#include <cstring>

namespace umol4::arch {

template <class Regs>
Regs load_regs(const std::byte* bytes)
{
    Regs r;
    std::memcpy(&r, bytes, sizeof r);
    return r;
}

template <class Regs>
void store_regs(std::byte* bytes, const Regs& r)
{
    std::memcpy(bytes, &r, sizeof r);
}

}  // namespace umol4::arch
