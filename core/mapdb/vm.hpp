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

    enum class Resolution {
        installed,   // the access is noted and the page installed for it
        not_mapped,  // no mapping allows it: the pager's turn
        stuck,       // installed with every right of its mapping, and still faulting
    };
    // A fault of `access` at `vaddr`.  If the page was installed for the
    // access already, the access was misjudged (the decoder could not tell):
    // everything the mapping allows is installed and noted.
    Resolution resolve(Space_id s, Word vaddr, unsigned access);
    // Cache evictions of every space, past and present.
    unsigned long evictions() const;
    // Installed rights a mapping justifies.
    static unsigned allowed(const Mapping& m);

private:
    struct Space_state {
        Map_ops* ops;
        Map_cache cache;
    };
    Mapdb _db;
    std::vector<std::unique_ptr<Space_state>> _spaces;  // by Space_id
    unsigned long _evictions_of_removed = 0;

    void removed(Space_id space, Word vaddr) override;
    void restricted(const Mapping& m) override;
};

}  // namespace umol4
