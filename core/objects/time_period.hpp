// X.2 time periods (16 bits, layout::Time_period): microseconds from one,
// and the nearest one below a duration.
#pragma once

#include <chrono>

#include "core/syscall.hpp"

namespace umol4 {

constexpr Word period_microseconds(Word t)
{
    layout::Time_period p{t};
    return p.mantissa() << p.exponent();
}

// The largest period not above `us` that the 10-bit mantissa can hold.
constexpr Word period_of(std::chrono::microseconds us)
{
    Word v = static_cast<Word>(us.count()), e = 0;
    while (v >= 1024 && e < 31) {
        v >>= 1;
        ++e;
    }
    return layout::Time_period{}.set_mantissa(v).set_exponent(e).raw;
}

}  // namespace umol4
