// Thread_table: lookups, creation and deletion of threads and spaces.
#include "core/objects/thread_table.hpp"

#include <algorithm>

namespace umol4 {

Thread_table::Thread_table(Host& host, Vm& vm, const Space_abi& native, unsigned mr0_offset)
    : _host(host), _vm(vm), _native(native), _mr0_offset(mr0_offset), _ids(native.arch->word_bits),
      _kernel_space(host, -1, native)
{
}

Thread* Thread_table::lookup(Word id) const
{
    Thread* t = by_number(_ids.number(id));
    return t && t->id == (id & _ids.mask()) ? t : nullptr;
}

Thread* Thread_table::by_number(Word number) const
{
    auto it = _threads.find(number);
    return it == _threads.end() ? nullptr : it->second.get();
}

Thread* Thread_table::resolve(const Thread& caller, Word id) const
{
    if (_ids.is_local(id)) {
        for (Thread* t : caller.space->threads)
            if (t->local_id(_mr0_offset) == id) return t;
        return nullptr;
    }
    return lookup(id);
}

Word Thread_table::id_as_seen_by(const Thread& receiver, const Thread& sender) const
{
    return receiver.space == sender.space ? sender.local_id(_mr0_offset) : sender.id;
}

Thread* Thread_table::by_host(Thread_handle h) const
{
    auto it = _by_host.find(h);
    return it == _by_host.end() ? nullptr : it->second;
}

void Thread_table::attach_host(Thread& t, Thread_handle h)
{
    t.host = h;
    _by_host[h] = &t;
}

Thread& Thread_table::create(Word id, Space& space)
{
    auto t = std::make_unique<Thread>(id, &space, space.abi->arch->regset_bytes);
    Thread& ref = *t;
    space.threads.push_back(&ref);
    _threads[_ids.number(id)] = std::move(t);
    return ref;
}

Thread& Thread_table::create_interrupt_thread(Word id)
{
    auto t = std::make_unique<Thread>(id, &_kernel_space, 0);
    Thread& ref = *t;
    _threads[_ids.number(id)] = std::move(t);
    return ref;
}

Space* Thread_table::erase(Thread& t)
{
    if (t.host >= 0) _by_host.erase(t.host);
    Space& space = *t.space;
    auto& ts = space.threads;
    ts.erase(std::remove(ts.begin(), ts.end(), &t), ts.end());
    bool last = ts.empty() && &space != &_kernel_space;
    _threads.erase(_ids.number(t.id));  // t is gone
    return last ? &space : nullptr;
}

Space& Thread_table::create_space()
{
    auto s = std::make_unique<Space>(_host, _host.create_task(), _native);
    auto id = _vm.add_space(&s->mappings, _host.mapping_budget());
    if (!id) {
        _host.destroy_task(s->task);
        throw Host_exhausted("too many address spaces");
    }
    s->vm = *id;
    _spaces.push_back(std::move(s));
    return *_spaces.back();
}

// Every mapping of the space, with what other spaces derived from it, and
// its task process.
void Thread_table::destroy_space(Space& space)
{
    _vm.remove_space(space.vm);
    _host.destroy_task(space.task);
    std::erase_if(_spaces, [&](auto& p) { return p.get() == &space; });
}

}  // namespace umol4

namespace umol4 {

Space* Thread_table::space_of_host(int handle) const
{
    if (handle < 0) return nullptr;
    if (Thread* t = by_host(handle)) return t->space;
    for (const auto& s : _spaces)
        if (s->task == handle) return s.get();
    return nullptr;
}

}  // namespace umol4
