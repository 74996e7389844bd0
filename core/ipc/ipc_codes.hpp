// The ErrorCode word of a failed IPC (x2-semantics 2.5) and the timeout
// encodings the IPC engine tests for.
#pragma once

#include "core/syscall.hpp"

namespace umol4::ipc {

// ErrorCode: bit 0 phase (1 receive), bits 1-3 code (Ipc_error, generated
// from x2.toml), bits 4.. offset.
constexpr Word error_word(Ipc_error code, bool receive_phase, Word offset = 0)
{
    return (offset << 4) | (static_cast<Word>(code) << 1) | (receive_phase ? 1 : 0);
}
constexpr Ipc_error code_of(Word error_word) { return static_cast<Ipc_error>((error_word >> 1) & 7); }

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
