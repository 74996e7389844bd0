// A word in the box's own word size (4 or 8 bytes, little-endian like every
// arch UMOL4 runs): how the KIP and the boot information are written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/syscall.hpp"

namespace umol4 {

inline void store_box_word(std::byte* at, Word v, unsigned word_bytes)
{
    if (word_bytes == 8) {
        std::memcpy(at, &v, 8);
    } else {
        auto v32 = static_cast<std::uint32_t>(v);
        std::memcpy(at, &v32, 4);
    }
}

}  // namespace umol4
