// The memory system of a box: the mapping database (the truth) and, per
// space, the host's cached mappings (Map_cache), kept in step.  The kernel
// and the model-based test drive the same object.
//
// Access status is emulated: a page is installed with only the rights its
// status justifies (read: r, written: rw, executed: rx, all within the
// mapping's rights), so the first access of each kind faults into the core,
// which notes it and widens the installed rights without asking the pager.
// Reading the status resets it and takes the page out of the host again.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "core/mapdb/map_cache.hpp"
#include "core/mapdb/mapdb.hpp"

namespace umol4 {

class Vm final : private Mapdb::Listener {
public:
    Vm() : _db(this) {}

    // ops: where the space's host mappings are made (null: none yet).
    std::optional<Space_id> add_space(Map_ops* ops, std::size_t budget);
    // Flushes the space; its host mappings are not touched (the task goes).
    void remove_space(Space_id s);

    Mapdb& db() { return _db; }
    const Mapdb& db() const { return _db; }
    Map_cache& cache(Space_id s) { return _spaces[s]->cache; }
    const Map_cache& cache(Space_id s) const { return _spaces[s]->cache; }

    // A fault of `access` at `vaddr`: if the space's mapping allows it, notes
    // the access, installs the page and returns true; false: the pager's turn.
    bool resolve(Space_id s, Word vaddr, unsigned access);
    // Installed rights a mapping justifies.
    static unsigned allowed(const Mapping& m);

private:
    struct Space_state {
        Map_ops* ops;
        Map_cache cache;
    };
    Mapdb _db;
    std::vector<std::unique_ptr<Space_state>> _spaces;  // by Space_id

    void removed(Space_id space, Word vaddr) override;
    void restricted(const Mapping& m) override;
};

}  // namespace umol4
