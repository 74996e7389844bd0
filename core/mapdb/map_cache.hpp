// What the host has installed for one space: the Linux mappings of a task are
// a cache of its page table.  Pages are installed when they are first
// touched, with no more rights than the access status justifies (so the next
// kind of access faults and is noted), and removed or reduced when the
// mapping database says so.
//
// The cache counts its mappings the way Linux does: adjacent pages of one
// contiguous frame range with equal protection are one mapping.  It keeps
// that count under a budget (below vm.max_map_count): a page that would pass
// it drops every cached mapping first; they come back on the next faults
// without the pager knowing (the original user-mode L4 design).
#pragma once

#include <cstddef>
#include <map>
#include <optional>

#include "core/syscall.hpp"

namespace umol4 {

// Where the cache's decisions go (the host, or a recorder in tests).
struct Map_ops {
    virtual ~Map_ops() = default;
    virtual void map(Word vaddr, Word size, Word frame, unsigned prot) = 0;
    virtual void unmap(Word vaddr, Word size) = 0;
    virtual void protect(Word vaddr, Word size, unsigned prot) = 0;
};

class Map_cache {
public:
    static constexpr Word page = 4096;
    struct Entry {
        Word frame;
        unsigned prot;
    };
    struct Run {
        Word end;    // first address after the run
        Word frame;  // frame of the run's first page
        unsigned prot;
    };

    explicit Map_cache(std::size_t budget) : _budget(budget ? budget : 1) {}

    std::optional<Entry> find(Word vaddr) const;
    void install(Word vaddr, Word frame, unsigned prot, Map_ops& ops);
    void remove(Word vaddr, Map_ops& ops);
    // Limits an installed page to `prot` (none: removes it).
    void restrict(Word vaddr, unsigned prot, Map_ops& ops);
    // Drops every cached mapping.
    void clear(Map_ops& ops);

    std::size_t mappings() const { return _runs.size(); }
    std::size_t budget() const { return _budget; }
    unsigned long evictions() const { return _evictions; }
    const std::map<Word, Run>& runs() const { return _runs; }

private:
    std::size_t _budget;
    std::map<Word, Run> _runs;  // by start address
    unsigned long _evictions = 0;

    std::map<Word, Run>::const_iterator run_of(Word vaddr) const;
    void cut(Word vaddr);  // takes the page out of its run
    void add(Word vaddr, Word frame, unsigned prot);
    bool over_budget(Map_ops& ops);  // if so, drops every cached mapping
};

}  // namespace umol4
