// Every thread and address space of a box, by thread number and by host
// thread: the one owner of Thread and Space objects (see thread.hpp for who
// else may point at them).
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "core/host/host.hpp"
#include "core/mapdb/vm.hpp"
#include "core/objects/space.hpp"
#include "core/objects/thread.hpp"
#include "core/objects/thread_id.hpp"

namespace umol4 {

class Thread_table {
public:
    Thread_table(Host& host, Vm& vm, const Space_abi& native, unsigned mr0_offset);

    const Id_format& ids() const { return _ids; }
    void set_bases(Word system_base, Word user_base) { _system_base = system_base, _user_base = user_base; }
    Word system_base() const { return _system_base; }
    Word user_base() const { return _user_base; }

    // The thread of a global id (exact version), or nullptr.
    Thread* lookup(Word id) const;
    // The thread of a number, whatever its version.
    Thread* by_number(Word number) const;
    // A thread that names an address space (SpaceSpecifier): not an
    // interrupt thread, whose kernel space no call may set up or share.
    Thread* lookup_space_holder(Word id) const
    {
        Thread* t = lookup(id);
        return t && t->space != &_kernel_space ? t : nullptr;
    }
    // A global id, or a local id of a thread in the caller's space.
    Thread* resolve(const Thread& caller, Word id) const;
    // How `sender` is named to `receiver`: its local id in the same space.
    Word id_as_seen_by(const Thread& receiver, const Thread& sender) const;
    Thread* by_host(Thread_handle h) const;
    // The space of a host thread or task process (nullptr: none of ours).
    Space* space_of_host(int handle) const;
    void attach_host(Thread& t, Thread_handle h);
    // Its Linux thread is gone: no event of it reaches the kernel any more.
    void detach_host(const Thread& t) { _by_host.erase(t.host); }

    // A thread record (no Linux thread yet) in `space`, or an interrupt
    // thread in the kernel's space.
    Thread& create(Word id, Space& space);
    Thread& create_interrupt_thread(Word id);
    // Takes the thread out (its Linux thread is the caller's to end) and
    // frees it; returns its space if that has no threads left.
    Space* erase(Thread& t);

    // A new space with its task process (Host_exhausted past the host's or
    // the mapping database's limits), and the end of one with no threads.
    Space& create_space();
    void destroy_space(Space& space);

    template <class F>
    void for_each(F f) const
    {
        for (auto& [_, t] : _threads) f(*t);
    }

private:
    Host& _host;
    Vm& _vm;
    const Space_abi& _native;
    unsigned _mr0_offset;          // the box arch's: local ids
    Id_format _ids;
    Word _system_base = 32, _user_base = 64;
    std::map<Word, std::unique_ptr<Thread>> _threads;  // by thread number
    std::map<Thread_handle, Thread*> _by_host;
    std::vector<std::unique_ptr<Space>> _spaces;
    Space _kernel_space;           // where interrupt threads live
};

}  // namespace umol4
