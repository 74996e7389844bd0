// The boundary between a thread's own ABI and the kernel's.  A
// compatibility space (x86_64: SpaceControl bit 63) runs code of a narrower
// arch (ia32) in a task process of that arch; its threads' system calls,
// thread ids and message words are converted here, and nowhere else.
#pragma once

#include "core/arch_plugin.hpp"
#include "core/objects/box_memory.hpp"
#include "core/objects/thread.hpp"
#include "core/objects/thread_id.hpp"

namespace umol4 {

class Abi_boundary {
public:
    Abi_boundary(Box_memory& memory, const Arch_plugin& box_arch)
        : _memory(memory), _box_arch(box_arch), _ids(box_arch.word_bits)
    {
    }
    const Id_format& box_ids() const { return _ids; }
    const Arch_plugin& box_arch() const { return _box_arch; }

    // Thread ids as t's code writes them, in the kernel's (the box's)
    // format, and back; the same where t runs the box's arch.
    Word box_id(const Thread& t, Word id) const { return t.abi().ids.convert(id, _ids); }
    Word own_id(const Thread& t, Word id) const { return _ids.convert(id, t.abi().ids); }
    // A thread-id TCR of t (pager, exception handler, ...), box format.
    Word tcr_id(const Thread& t, int index) const { return box_id(t, _memory.utcb(t).get(index)); }
    void set_tcr_id(const Thread& t, int index, Word id) const { _memory.utcb(t).set(index, own_id(t, id)); }
    // A system call's frame from t's registers, thread ids in box format;
    // and the outputs back into t's registers, ids in t's format.
    void decode(Thread& t, Syscall call, Syscall_frame& f) const;
    void encode(Thread& t, const Syscall_frame& f) const;
    // MR0 of a message from s as the kernel reads it: a narrower word's
    // label is sign-extended (the page-fault and exception labels stay
    // negative).
    Word message_tag(const Thread& s) const;

private:
    Box_memory& _memory;
    const Arch_plugin& _box_arch;
    Id_format _ids;
};

}  // namespace umol4
