// Abi_boundary: system-call frames and message tags across word sizes.
#include "core/objects/abi_boundary.hpp"

namespace umol4 {

void Abi_boundary::decode(Thread& t, Syscall call, Syscall_frame& f) const
{
    t.arch().decode(call, t.regs.data(), f);
    const Id_format& own = t.abi().ids;
    if (own == _ids) return;
    const Syscall_info& info = info_of(call);
    for (std::size_t i = 0; i < info.inputs; ++i)
        if (info.in[i].thread_id) f.in[i] = own.convert(f.in[i], _ids);
}

void Abi_boundary::encode(Thread& t, const Syscall_frame& f) const
{
    const Id_format& own = t.abi().ids;
    if (own == _ids) {
        t.arch().encode(f, t.regs.data());
        return;
    }
    Syscall_frame g = f;
    const Syscall_info& info = info_of(f.call);
    for (std::size_t i = 0; i < info.outputs; ++i)
        if (info.out[i].thread_id) g.out[i] = _ids.convert(g.out[i], own);
    t.arch().encode(g, t.regs.data());
}

Word Abi_boundary::message_tag(const Thread& s) const
{
    Word tag = _memory.utcb(s).mr(0);
    const unsigned bits = s.arch().word_bits;
    if (bits < _box_arch.word_bits && (tag >> (bits - 1)) & 1) tag |= ~Word(0) << bits;
    return tag;
}

}  // namespace umol4
