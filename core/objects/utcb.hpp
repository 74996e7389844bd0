// Access to a thread's UTCB inside the MemFile: message, buffer and thread
// control registers by word index relative to MR0, in the arch's word size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/syscall.hpp"

namespace umol4 {

class Utcb_view {
    std::byte* _mr0;
    unsigned _word_bytes;

public:
    Utcb_view(std::byte* mr0, unsigned word_bytes) : _mr0(mr0), _word_bytes(word_bytes) {}

    // TCRs are user-writable memory: every read is a fresh load.
    Word get(int index) const
    {
        std::byte* p = _mr0 + index * static_cast<int>(_word_bytes);
        if (_word_bytes == 8) {
            std::uint64_t v;
            std::memcpy(&v, p, 8);
            return v;
        }
        std::uint32_t v;
        std::memcpy(&v, p, 4);
        return v;
    }
    void set(int index, Word value)
    {
        std::byte* p = _mr0 + index * static_cast<int>(_word_bytes);
        if (_word_bytes == 8) {
            std::memcpy(p, &value, 8);
        } else {
            auto v = static_cast<std::uint32_t>(value);
            std::memcpy(p, &v, 4);
        }
    }
    Word mr(unsigned i) const { return get(static_cast<int>(i)); }
    void set_mr(unsigned i, Word v) { set(static_cast<int>(i), v); }
    Word br(unsigned i) const { return get(tcr::br0 - static_cast<int>(i)); }
    void set_br(unsigned i, Word v) { set(tcr::br0 - static_cast<int>(i), v); }
};

}  // namespace umol4
