// The mapping database: for every physical frame, the tree of mappings
// derived from sigma0's ownership, and for every space its page table.
//
// A frame's tree is kept as a doubly linked list in preorder with a depth per
// node (the shape of a native kernel's mapping database): a node's subtree is
// the run of nodes after it that are deeper, so map (insert after the parent),
// unmap (cut a run) and grant (re-key one node) need no child lists.  A node is
// 32 bytes, from a pool; with the page table's 8 bytes a mapping costs about
// 40 bytes of core memory.
//
// The database knows nothing about Linux: a Listener hears of every page that
// leaves a space or loses rights, so the host's cached mappings can follow.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "core/mapdb/page_table.hpp"
#include "core/syscall.hpp"

namespace umol4 {

using Space_id = std::uint16_t;

inline constexpr unsigned rights_all = 7;  // r 4, w 2, x 1 (also the status bits)

struct Mapping {
    Mapping* prev;          // preorder list of the frame's tree; nullptr at the root
    Mapping* next;
    Word bits;              // page address | status << 3 | rights
    std::uint32_t pfn;      // frame number (physical address >> 12)
    Space_id space;
    std::uint16_t depth;    // 0: sigma0's node, the root of the frame's tree

    Word vaddr() const { return bits & ~Word(0xFFF); }
    Word frame() const { return Word(pfn) << 12; }
    unsigned rights() const { return static_cast<unsigned>(bits & 7); }
    // Accesses through this mapping since its status was last read (R, W, X).
    unsigned status() const { return static_cast<unsigned>((bits >> 3) & 7); }
    void set_rights(unsigned r) { bits = (bits & ~Word(7)) | (r & 7); }
    void set_status(unsigned s) { bits = (bits & ~Word(7 << 3)) | (Word(s & 7) << 3); }
};
static_assert(sizeof(Mapping) <= 32);

class Mapdb {
public:
    struct Listener {
        virtual ~Listener() = default;
        // `vaddr` of `space` no longer maps anything.
        virtual void removed(Space_id space, Word vaddr) = 0;
        // The mapping's rights shrank or its status was reset: what the host
        // has installed for it must not exceed the new limits.
        virtual void restricted(const Mapping& m) = 0;
    };
    static constexpr unsigned max_depth = 0xFFFF;

    explicit Mapdb(Listener* listener = nullptr) : _listener(listener) {}
    ~Mapdb();
    Mapdb(const Mapdb&) = delete;
    Mapdb& operator=(const Mapdb&) = delete;
    void set_listener(Listener* l) { _listener = l; }

    // Spaces: ids are reused after remove_space (which flushes everything).
    std::optional<Space_id> add_space();
    void remove_space(Space_id s);

    Mapping* find(Space_id s, Word vaddr) const { return _tables[s]->find(vaddr); }
    std::optional<std::pair<Word, Mapping*>> first_from(Space_id s, Word vaddr, Word last) const
    {
        return _tables[s]->first_from(vaddr, last);
    }
    std::size_t pages(Space_id s) const { return _tables[s]->size(); }
    // Calls f(vaddr, Mapping&) for each page of `s` in [first, last], in
    // order, each looked up afresh after the one before (f may change the
    // table: a page's subtree may hold a later page of the same space).
    // An f that returns bool stops the walk with false: the page it declined
    // is returned (nullopt: the walk reached the end).
    template <class F>
    std::optional<Word> for_each_page(Space_id s, Word first, Word last, F f)
    {
        for (Word cursor = first;;) {
            auto e = first_from(s, cursor, last);
            if (!e) return std::nullopt;
            if constexpr (std::is_same_v<decltype(f(e->first, *e->second)), bool>) {
                if (!f(e->first, *e->second)) return e->first;
            } else {
                f(e->first, *e->second);
            }
            cursor = e->first + 4096;
            if (cursor == 0) return std::nullopt;
        }
    }

    // sigma0's node for `frame` at address = frame, made on first use.
    Mapping* root(Space_id sigma0, Word frame);

    // Result of map/grant: the receiver's node, or why there is none.
    enum class Outcome { mapped, extended, unchanged, refused };
    // Maps `from`'s frame to `to:vaddr` with `rights` (already limited to
    // from's).  The same frame there: rights extended; another: it and its
    // subtree go first.
    Outcome map(Mapping& from, Space_id to, Word vaddr, unsigned rights);
    // Moves `from` to `to:vaddr` with its subtree (rights limited to `rights`).
    Outcome grant(Mapping& from, Space_id to, Word vaddr, unsigned rights);

    // Unmap of one page of a space: withdraws `rights` from the mappings
    // derived from `m` (and from `m` itself if `self`); withdrawing r removes
    // them.  Returns the status of the affected mappings, reset to none; with
    // !self the derived status is folded into m's.
    unsigned unmap(Mapping& m, unsigned rights, bool self);
    // Notes an access through `m` (a resolved fault, a kernel copy).
    static void touch(Mapping& m, unsigned access) { m.set_status(m.status() | access | 4); }

    // Core memory of the database (for the benchmark's bytes per mapping).
    std::size_t bytes() const;
    std::size_t mappings() const { return _live; }
    // Core memory the live mappings hold: their nodes and every level of
    // the page tables.  What the box's limit bounds: a mapping alone in its
    // 2 MiB costs a 4 KiB table level besides its 32-byte node.
    std::size_t mapping_bytes() const { return _live * sizeof(Mapping) + _table_bytes; }
    // What is wrong with the database's structure ("" if nothing): every
    // node in one page table at its address, lists linked both ways, depths
    // and frames of a tree consistent, no rights beyond the parent's (for
    // tests and the fuzzer).
    std::string check() const;

private:
    Listener* _listener;
    std::size_t _table_bytes = 0;  // levels of all page tables (they add to it; declared first, gone last)
    std::vector<std::unique_ptr<Page_table>> _tables;  // by Space_id; null: free id
    // Node pool: chunks never shrink; free nodes are chained through `next`.
    std::vector<std::unique_ptr<Mapping[]>> _chunks;
    Mapping* _free = nullptr;          // released nodes
    std::size_t _chunk_used = 0;       // nodes of the newest chunk handed out
    std::size_t _live = 0;

    Mapping* allocate();
    void release(Mapping* m);
    Mapping* subtree_end(const Mapping& m) const;  // first node after the subtree
    void unlink(Mapping& first, Mapping* end);     // cuts [first, end) from its list
    void remove_subtree(Mapping& m, bool self, unsigned* status);
    void restrict_subtree(Mapping& m, unsigned rights, bool self, unsigned* status);
    void place(Mapping& m, Space_id s, Word vaddr);
};

}  // namespace umol4
