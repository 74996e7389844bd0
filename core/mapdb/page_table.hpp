// A space's page table: page address -> its node in the mapping database.
// A four-level radix tree of 512-entry levels over the page number (the
// shape of the hardware tables on all four arches), so a dense region costs
// 8 bytes per page and lookups cost four loads.  Addresses of 48 bits or
// more are outside every supported user address space: never stored.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "core/syscall.hpp"

namespace umol4 {

struct Mapping;

class Page_table {
public:
    static constexpr unsigned page_shift = 12, level_bits = 9, levels = 4;
    static constexpr Word limit = Word(1) << (page_shift + level_bits * levels);  // first address not covered

    // shared_bytes: a counter the table adds its levels' bytes to (the
    // mapping database's total, so the box's limit sees page-table memory).
    explicit Page_table(std::size_t* shared_bytes = nullptr);
    ~Page_table();
    Page_table(const Page_table&) = delete;
    Page_table& operator=(const Page_table&) = delete;

    static bool covers(Word vaddr) { return vaddr < limit; }
    Mapping* find(Word vaddr) const;
    // vaddr must be covered and page-aligned; replaces what was there.
    void set(Word vaddr, Mapping* m);
    void erase(Word vaddr);
    // The first entry at or after `vaddr` and at most `last`.
    std::optional<std::pair<Word, Mapping*>> first_from(Word vaddr, Word last) const;
    std::size_t size() const { return _entries; }
    // Bytes of the tree itself (for the memory-per-mapping figures).
    std::size_t bytes() const { return _levels_allocated * sizeof(Level); }

private:
    struct Level {
        std::array<void*, 512> slot{};
        unsigned used = 0;
    };
    std::unique_ptr<Level> _root;
    std::size_t _entries = 0, _levels_allocated = 0;
    std::size_t* _shared_bytes;

    Level* new_level();
    void delete_level(Level* l);

    static unsigned index(Word vaddr, unsigned depth)
    {
        return static_cast<unsigned>((vaddr >> (page_shift + level_bits * (levels - 1 - depth))) & 511);
    }
    void free_level(Level* l, unsigned depth);
    bool erase_in(Level* l, Word vaddr, unsigned depth);
    std::optional<std::pair<Word, Mapping*>> first_in(const Level* l, Word base, unsigned depth, Word from, Word last) const;
};

}  // namespace umol4
