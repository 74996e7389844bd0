// IPC error codes (x2-semantics 2.5) and the timeout encodings the IPC
// engine tests for.
#pragma once

#include "core/syscall.hpp"

namespace umol4::ipc {

enum : Word {
    err_timeout = 1,
    err_no_partner = 2,
    err_canceled = 3,
    err_overflow = 4,
    err_xfer_timeout_own = 5,
    err_xfer_timeout_partner = 6,
    err_aborted = 7,
};

// ErrorCode: bit 0 phase (1 receive), bits 1-3 code, bits 4.. offset.
constexpr Word error_word(Word code, bool receive_phase, Word offset = 0)
{
    return (offset << 4) | (code << 1) | (receive_phase ? 1 : 0);
}

// The receiver's MsgTag: the sender's, with redirected (r), cross-CPU (x)
// and error (e) as the kernel sees them (p is set by delivery).
constexpr Word received_tag(Word sent, bool cross_cpu)
{
    return (sent & ~Word(0xF000)) | (cross_cpu ? Word(1) << 14 : 0);
}

constexpr Word zero_time = 0x0400;
// [P] only 0x0400 polls exactly; other m = 0 periods expire at once too.
constexpr bool is_zero_timeout(Word t) { return t == zero_time || (!(t & 0x8000) && (t & 0x3FF) == 0 && t != 0); }

}  // namespace umol4::ipc
