// Page_table: a radix tree whose empty levels are freed as soon as they are.
#include "core/mapdb/page_table.hpp"

namespace umol4 {

Page_table::Page_table(std::size_t* shared_bytes) : _shared_bytes(shared_bytes) { _root.reset(new_level()); }

Page_table::~Page_table()
{
    for (void* s : _root->slot)
        if (s) free_level(static_cast<Level*>(s), 1);
    delete_level(_root.release());
}

Page_table::Level* Page_table::new_level()
{
    auto* l = new Level;
    ++_levels_allocated;
    if (_shared_bytes) *_shared_bytes += sizeof(Level);
    return l;
}

void Page_table::delete_level(Level* l)
{
    delete l;
    --_levels_allocated;
    if (_shared_bytes) *_shared_bytes -= sizeof(Level);
}

void Page_table::free_level(Level* l, unsigned depth)
{
    if (depth + 1 < levels)
        for (void* s : l->slot)
            if (s) free_level(static_cast<Level*>(s), depth + 1);
    delete_level(l);
}

Mapping* Page_table::find(Word vaddr) const
{
    if (!covers(vaddr)) return nullptr;
    const Level* l = _root.get();
    for (unsigned d = 0; d + 1 < levels; ++d) {
        l = static_cast<const Level*>(l->slot[index(vaddr, d)]);
        if (!l) return nullptr;
    }
    return static_cast<Mapping*>(l->slot[index(vaddr, levels - 1)]);
}

void Page_table::set(Word vaddr, Mapping* m)
{
    Level* l = _root.get();
    for (unsigned d = 0; d + 1 < levels; ++d) {
        void*& s = l->slot[index(vaddr, d)];
        if (!s) {
            s = new_level();
            ++l->used;
        }
        l = static_cast<Level*>(s);
    }
    void*& leaf = l->slot[index(vaddr, levels - 1)];
    if (!leaf) {
        ++l->used;
        ++_entries;
    }
    leaf = m;
}

void Page_table::erase(Word vaddr)
{
    if (covers(vaddr)) erase_in(_root.get(), vaddr, 0);
}

// Returns true when `l` became empty (and may be freed by the caller).
bool Page_table::erase_in(Level* l, Word vaddr, unsigned depth)
{
    void*& s = l->slot[index(vaddr, depth)];
    if (!s) return false;
    if (depth + 1 == levels) {
        s = nullptr;
        --_entries;
    } else if (erase_in(static_cast<Level*>(s), vaddr, depth + 1)) {
        delete_level(static_cast<Level*>(s));
        s = nullptr;
    } else {
        return false;
    }
    return --l->used == 0 && depth > 0;
}

std::optional<std::pair<Word, Mapping*>> Page_table::first_from(Word vaddr, Word last) const
{
    if (!covers(vaddr) || vaddr > last) return std::nullopt;
    return first_in(_root.get(), 0, 0, vaddr, last);
}

std::optional<std::pair<Word, Mapping*>> Page_table::first_in(const Level* l, Word base, unsigned depth, Word from,
                                                               Word last) const
{
    unsigned shift = page_shift + level_bits * (levels - 1 - depth);
    Word span = Word(1) << shift;
    for (unsigned i = from <= base ? 0 : index(from, depth); i < 512; ++i) {
        Word start = base + Word(i) * span;
        if (start > last) break;
        void* s = l->slot[i];
        if (!s) continue;
        if (depth + 1 == levels) return std::pair{start, static_cast<Mapping*>(s)};
        if (auto hit = first_in(static_cast<const Level*>(s), start, depth + 1, from, last)) return hit;
    }
    return std::nullopt;
}

}  // namespace umol4
