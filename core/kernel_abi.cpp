// Kernel: the boundary between a thread's own ABI and the kernel's.  A
// compatibility space (x86_64: SpaceControl bit 63) runs code of a narrower
// arch (ia32) in a task process of that arch; its threads' system calls,
// thread ids and message words are converted here, and nowhere else.
#include <spdlog/spdlog.h>

#include "core/kernel.hpp"

namespace umol4 {

void Kernel::decode(Tcb& t, Syscall call, Syscall_frame& f)
{
    arch(t).decode(call, t.regs.data(), f);
    const Id_format& own = abi(t).ids;
    if (own == _ids) return;
    const Syscall_info& info = info_of(call);
    for (std::size_t i = 0; i < info.inputs; ++i)
        if (info.in[i].thread_id) f.in[i] = own.convert(f.in[i], _ids);
}

void Kernel::encode(Tcb& t, const Syscall_frame& f)
{
    const Id_format& own = abi(t).ids;
    if (own == _ids) {
        arch(t).encode(f, t.regs.data());
        return;
    }
    Syscall_frame g = f;
    const Syscall_info& info = info_of(f.call);
    for (std::size_t i = 0; i < info.outputs; ++i)
        if (info.out[i].thread_id) g.out[i] = _ids.convert(g.out[i], own);
    arch(t).encode(g, t.regs.data());
}

Word Kernel::message_tag(const Tcb& s)
{
    Word tag = utcb(s).mr(0);
    const unsigned bits = arch(s).word_bits;
    if (bits < _arch.word_bits && (tag >> (bits - 1)) & 1) tag |= ~Word(0) << bits;
    return tag;
}

void Kernel::make_compat(Space& s)
{
    // Only a space nothing ran in: its threads are all inactive, so none
    // has a Linux thread, a UTCB page or a mapping yet.
    Task_handle task = _host.create_task(_compat->host_arch);
    _host.destroy_task(s.task);
    s.task = task;
    s.mappings.set_task(task);
    s.abi = &*_compat;
    for (Tcb* t : s.threads) t->regs.assign(arch(*t).regset_bytes, std::byte{0});
    spdlog::debug("space of {:#x}: a compatibility space ({} code)", s.threads.empty() ? 0 : s.threads[0]->id,
                  s.abi->arch->name);
}

}  // namespace umol4
