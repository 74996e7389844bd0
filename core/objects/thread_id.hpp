// Thread ids of one arch's word size: global (number, version), local
// (UTCB address), nil, any, anylocal.
#pragma once

#include "core/syscall.hpp"

namespace umol4 {

class Id_format {
    unsigned _version_bits;
    Word _mask;

public:
    explicit constexpr Id_format(unsigned word_bits)
        : _version_bits(word_bits == 64 ? 32 : 14), _mask(word_bits == 64 ? ~Word(0) : 0xFFFFFFFFu)
    {
    }
    constexpr Word make(Word number, Word version) const
    {
        return ((number << _version_bits) | (version & ((Word(1) << _version_bits) - 1))) & _mask;
    }
    constexpr Word number(Word id) const { return (id & _mask) >> _version_bits; }
    constexpr Word version(Word id) const { return id & ((Word(1) << _version_bits) - 1); }
    constexpr Word mask() const { return _mask; }
    static constexpr Word nil = 0;
    constexpr Word any() const { return _mask; }
    constexpr Word anylocal() const { return _mask & ~Word(0x3F); }
    constexpr bool is_nil(Word id) const { return (id & _mask) == 0; }
    constexpr bool is_any(Word id) const { return (id & _mask) == _mask; }
    constexpr bool is_anylocal(Word id) const { return (id & _mask) == anylocal(); }
    // Local ids are UTCB addresses: low 6 bits clear.
    constexpr bool is_local(Word id) const { return !is_nil(id) && (id & 0x3F) == 0 && !is_anylocal(id); }
    constexpr bool operator==(const Id_format& o) const { return _mask == o._mask; }
    // The same id in format `to`: a global id keeps its number and version
    // (as far as `to` holds them), a local id its UTCB address; nil, any
    // and anylocal stay what they are.
    constexpr Word convert(Word id, const Id_format& to) const
    {
        if (*this == to) return id;
        if (is_nil(id)) return nil;
        if (is_any(id)) return to.any();
        if (is_anylocal(id)) return to.anylocal();
        if (is_local(id)) return id & to.mask();
        return to.make(number(id), version(id));
    }
};

}  // namespace umol4
