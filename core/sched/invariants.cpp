// Kernel::check_invariants: what must hold between two events, whatever L4
// code did (the fuzzer checks it after every stop it makes up).
#include <set>

#include <fmt/format.h>

#include "core/kernel.hpp"

namespace umol4 {

std::string Kernel::check_invariants() const
{
    std::set<const Tcb*> live;
    for (const auto& [number, t] : _threads) {
        if (_ids.number(t->id) != number) return fmt::format("thread {:#x} filed under number {:#x}", t->id, number);
        live.insert(t.get());
    }
    std::set<const Tcb*> queued;
    std::string error;
    _ready.for_each([&](unsigned cpu, const Tcb& t) {
        if (!error.empty()) return;
        if (!live.count(&t)) error = "a deleted thread is ready";
        else if (!queued.insert(&t).second) error = fmt::format("thread {:#x} is queued twice", t.id);
        else if (t.cpu != cpu) error = fmt::format("thread {:#x} of CPU {} queued on CPU {}", t.id, t.cpu, cpu);
        else if (t.state != Thread_state::ready || t.halted || t.on_cpu)
            error = fmt::format("thread {:#x} is queued but not ready (or halted, or running)", t.id);
    });
    if (!error.empty()) return error;
    for (std::size_t c = 0; c < _cpus.size(); ++c) {
        const Tcb* t = _cpus[c].current;
        if (t && (!live.count(t) || !t->on_cpu || t->cpu != c)) return fmt::format("vCPU {} runs a thread it does not own", c);
    }
    for (const Tcb* t : live) {
        if (t->on_cpu && _cpus.at(t->cpu).current != t) return fmt::format("thread {:#x} runs on no vCPU", t->id);
        if (t->cpu >= _cpus.size()) return fmt::format("thread {:#x} on a vCPU the box lacks", t->id);
        if (t->partner && !live.count(t->partner)) return fmt::format("thread {:#x} sends to a deleted thread", t->id);
        for (const Tcb* s : t->senders)
            if (!live.count(s) || s->partner != t || s->state != Thread_state::sending)
                return fmt::format("thread {:#x} has a sender that does not send to it", t->id);
        if (t->xfer && (t->xfer->sender != t && t->xfer->receiver != t))
            return fmt::format("thread {:#x} is locked in someone else's transfer", t->id);
    }
    for (const auto& x : _xfers)
        if (!live.count(x->sender) || !live.count(x->receiver) || x->sender->xfer != x.get() ||
            x->receiver->xfer != x.get())
            return "a transfer whose threads are gone or elsewhere";
    if (std::string db = _vm.db().check(); !db.empty()) return "mapping database: " + db;
    if (_vm.db().mappings() > _mapping_limit + _mapping_limit / 16 + 1024)
        return fmt::format("{} mappings, over the box's limit of {}", _vm.db().mappings(), _mapping_limit);
    return "";
}

}  // namespace umol4
