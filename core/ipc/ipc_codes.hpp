// The ErrorCode word of a failed IPC (x2-semantics 2.5) and the timeout
// encodings the IPC engine tests for.
#pragma once

#include "core/syscall.hpp"

namespace umol4::ipc {

// ErrorCode: bit 0 phase (1 receive), bits 1-3 code (Ipc_error, generated
// from x2.toml), bits 4.. offset.
constexpr Word error_word(Ipc_error code, bool receive_phase, Word offset = 0)
{
    return layout::Ipc_error_code{}.set_offset(offset).set_code(static_cast<Word>(code)).set_receive_phase(receive_phase).raw;
}
constexpr Ipc_error code_of(Word error_word) { return static_cast<Ipc_error>(layout::Ipc_error_code{error_word}.code()); }

// The receiver's MsgTag: the sender's, with redirected (r), cross-CPU (x)
// and error (e) as the kernel sees them (p is set by delivery).
constexpr Word received_tag(Word sent, bool cross_cpu)
{
    return layout::Msg_tag{sent}.set_propagated(0).set_redirected(0).set_error(0).set_cross_cpu(cross_cpu).raw;
}

// The tag of a kernel message: label (-protocol << 4) | low in the words of
// its thread (word_mask: all ones of a word), and `untyped` words.
// Protocols: 1 interrupt, 2 page fault (low: the access), 3 preemption,
// 5 exception.
constexpr Word kernel_tag(Word word_mask, Word protocol, Word low, Word untyped)
{
    Word label = ((Word(0) - protocol) << 4 | low) & (word_mask >> layout::Msg_tag::label_shift);
    return layout::Msg_tag{}.set_label(label).set_untyped(untyped).raw;
}

// Typed items: the kind in bits 1..3 (map 4, grant 5); string items have
// its top bit clear.
constexpr Word map_kind = 4, grant_kind = 5;
constexpr bool is_map_item(Word w0) { return (layout::Map_item{w0}.kind() & 4) != 0; }

constexpr Word zero_time = 0x0400;
// [P] only 0x0400 polls exactly; other m = 0 periods expire at once too.
constexpr bool is_zero_timeout(Word t)
{
    layout::Time_period p{t};
    return t == zero_time || (!p.point() && p.mantissa() == 0 && t != 0);
}

}  // namespace umol4::ipc
