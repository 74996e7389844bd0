// sigma0's pools: start-up from KIP memory descriptors, ownership, any-page
// and fault allocation, region splitting and merging, against hand-worked
// cases and a per-KiB reference model.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include "l4/kip.h"
#include "pools.h"

namespace {

using Word = L4_Word_t;
using Desc = std::array<Word, 2>;

constexpr Word KB = 1024, MB = 1024 * KB;
constexpr Word word_max = ~Word(0);
const Word thread_a = L4_GlobalId(200, 1).raw;
const Word thread_b = L4_GlobalId(201, 1).raw;
const Word thread_c = L4_GlobalId(202, 3).raw;

// A KIP memory descriptor of [lo, hi] (hi inclusive, 1 KiB granular).
Desc desc(Word type, Word lo, Word hi, bool virt = false)
{
    return { (lo & ~Word(0x3FF)) | (virt ? Word(1) << 9 : 0) | type, hi & ~Word(0x3FF) };
}

class Pools : public ::testing::Test {
protected:
    std::unique_ptr<s0_pools_t> p = std::make_unique<s0_pools_t>();

    void setup(const std::vector<Desc> &descs, const std::vector<s0_image_t> &images = {})
    {
        std::vector<Word> words;
        for (const Desc &d : descs)
            words.insert(words.end(), d.begin(), d.end());
        ASSERT_EQ(s0_pools_setup(p.get(), 12, words.data(), descs.size(), images.data(), images.size()), S0_OK);
        ASSERT_TRUE(s0_pools_valid(p.get()));
    }
    unsigned kind(Word addr) const
    {
        const s0_region_t *r = s0_pools_lookup(p.get(), addr);
        return r ? r->kind : 0;
    }
    Word owner(Word addr) const
    {
        const s0_region_t *r = s0_pools_lookup(p.get(), addr);
        return r ? r->owner : 0;
    }
    s0_status_t request(Word base, unsigned log2, Word who) { return s0_pools_take(p.get(), base, log2, who, 1); }
    s0_status_t fault(Word addr, Word who)
    {
        Word base = 0;
        return s0_pools_take_fault(p.get(), addr, who, &base);
    }
    std::vector<s0_region_t> regions() const { return { p->r, p->r + p->count }; }
};

bool same_regions(const std::vector<s0_region_t> &a, const std::vector<s0_region_t> &b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(s0_region_t)) == 0;
}

TEST_F(Pools, StartsAsAllNonConventionalMemory)
{
    setup({});
    EXPECT_EQ(p->count, 1u);
    EXPECT_EQ(kind(0), unsigned(S0_NONCONV));
    EXPECT_EQ(kind(word_max), unsigned(S0_NONCONV));
    EXPECT_EQ(fault(0x100000, thread_a), S0_ERR_UNAVAILABLE);
    EXPECT_EQ(request(0x100000, 12, thread_a), S0_OK);
}

TEST_F(Pools, LaterDescriptorsOverrideEarlierOnes)
{
    setup({ desc(L4_ConventionalMemoryType, 0, 64 * MB - 1), desc(L4_ReservedMemoryType, 0, 64 * KB - 1),
            desc(L4_DedicatedMemoryType, 16 * MB, 18 * MB - 1), desc(L4_ConventionalMemoryType, 17 * MB, 20 * MB - 1),
            desc(L4_UndefinedMemoryType, 30 * MB, 31 * MB - 1), desc(L4_SharedMemoryType, 40 * MB, 40 * MB + 3 * KB),
            desc(L4_BootLoaderSpecificMemoryType, 50 * MB, 51 * MB - 1),
            desc(L4_ArchitectureSpecificMemoryType, 0xF0000000, 0xF00FFFFF) });
    EXPECT_EQ(kind(0), unsigned(S0_RESERVED));
    EXPECT_EQ(kind(64 * KB - 1), unsigned(S0_RESERVED));
    EXPECT_EQ(kind(64 * KB), unsigned(S0_FREE));
    EXPECT_EQ(kind(16 * MB), unsigned(S0_NONCONV));
    EXPECT_EQ(kind(17 * MB - 1), unsigned(S0_NONCONV));
    EXPECT_EQ(kind(17 * MB), unsigned(S0_FREE));
    EXPECT_EQ(kind(30 * MB), 0u) << "undefined memory is removed from every pool";
    EXPECT_EQ(kind(40 * MB), unsigned(S0_SHARED));
    EXPECT_EQ(kind(40 * MB + 4 * KB - 1), unsigned(S0_SHARED)) << "a descriptor's high end covers its last KiB";
    EXPECT_EQ(kind(40 * MB + 4 * KB), unsigned(S0_FREE));
    EXPECT_EQ(kind(50 * MB), unsigned(S0_NONCONV));
    EXPECT_EQ(kind(0xF0000000), unsigned(S0_NONCONV));
    EXPECT_EQ(kind(64 * MB), unsigned(S0_NONCONV)) << "undescribed memory stays non-conventional";
    // The free parts 64K-16M, 17M-30M, 30M+1M..40M, 40M+4K..50M, 51M..64M.
    unsigned long long kib = 0;
    unsigned ranges = 0;
    s0_pools_free_stats(p.get(), &kib, &ranges);
    EXPECT_EQ(ranges, 5u);
    EXPECT_EQ(kib, (64 * MB - 64 * KB - 1 * MB - 1 * MB - 4 * KB - 1 * MB) / KB);
}

TEST_F(Pools, ReversedOrderGivesTheOtherResult)
{
    setup({ desc(L4_ReservedMemoryType, 0, 64 * KB - 1), desc(L4_ConventionalMemoryType, 0, 64 * MB - 1) });
    EXPECT_EQ(kind(0), unsigned(S0_FREE));
    EXPECT_EQ(p->count, 2u);
}

TEST_F(Pools, VirtualDescriptorsAreIgnored)
{
    setup({ desc(L4_ConventionalMemoryType, 0, 64 * MB - 1),
            desc(L4_ReservedMemoryType, 0, 0xBFFFFFFF, /*virt=*/true),
            desc(L4_UndefinedMemoryType, 8 * MB, 9 * MB - 1, /*virt=*/true) });
    EXPECT_EQ(kind(0), unsigned(S0_FREE));
    EXPECT_EQ(kind(8 * MB), unsigned(S0_FREE));
    EXPECT_EQ(p->count, 2u);
}

TEST_F(Pools, ReservedMemoryIsNeverGivenOut)
{
    setup({ desc(L4_ConventionalMemoryType, 0, 1 * MB - 1), desc(L4_ReservedMemoryType, 0x40000, 0x7FFFF) });
    for (Word a = 0x40000; a < 0x80000; a += 0x1000) {
        EXPECT_EQ(fault(a, thread_a), S0_ERR_UNAVAILABLE);
        EXPECT_EQ(request(a, 12, thread_a), S0_ERR_UNAVAILABLE);
    }
    EXPECT_EQ(request(0, 20, thread_a), S0_ERR_UNAVAILABLE) << "a larger page holding reserved memory";
    Word base;
    std::set<Word> got;
    while (s0_pools_take_any(p.get(), 12, thread_b, &base) == S0_OK) {
        EXPECT_TRUE(base < 0x40000 || base >= 0x80000) << std::hex << base;
        got.insert(base);
    }
    EXPECT_EQ(got.size(), (1 * MB - 0x40000) / 0x1000);
    EXPECT_EQ(kind(0x40000), unsigned(S0_RESERVED));
}

TEST_F(Pools, SecondRequesterGetsNothingTheOwnerMayAskAgain)
{
    setup({ desc(L4_ConventionalMemoryType, 0, 64 * MB - 1) });
    EXPECT_EQ(request(0x200000, 12, thread_a), S0_OK);
    EXPECT_EQ(owner(0x200000), thread_a);
    EXPECT_EQ(request(0x200000, 12, thread_b), S0_ERR_UNAVAILABLE);
    EXPECT_EQ(fault(0x200123, thread_b), S0_ERR_UNAVAILABLE);
    EXPECT_EQ(request(0x200000, 12, thread_a), S0_OK);
    EXPECT_EQ(fault(0x200FFF, thread_a), S0_OK);
    // Same thread number, other version: another thread.
    EXPECT_EQ(request(0x200000, 12, L4_GlobalId(200, 2).raw), S0_ERR_UNAVAILABLE);
    EXPECT_EQ(request(0x200000, 21, thread_b), S0_ERR_UNAVAILABLE) << "a larger page holding a's page";
    EXPECT_EQ(request(0x200000, 21, thread_a), S0_OK) << "a's own page and free memory around it";
    EXPECT_EQ(owner(0x3FFFFF), thread_a);
}

TEST_F(Pools, SharedMemoryGoesToAnyoneRepeatedly)
{
    setup({ desc(L4_ConventionalMemoryType, 0, 64 * MB - 1), desc(L4_SharedMemoryType, 0x100000, 0x10FFFF) });
    for (int round = 0; round < 3; round++) {
        EXPECT_EQ(request(0x100000, 16, thread_a), S0_OK);
        EXPECT_EQ(request(0x100000, 16, thread_b), S0_OK);
        EXPECT_EQ(fault(0x10ABCD, thread_c), S0_OK);
    }
    EXPECT_EQ(kind(0x100000), unsigned(S0_SHARED));
    EXPECT_EQ(kind(0x10FFFF), unsigned(S0_SHARED));
    // Shared pages inside a larger request stay shared; the rest is owned.
    EXPECT_EQ(request(0x100000, 17, thread_a), S0_OK);
    EXPECT_EQ(kind(0x100000), unsigned(S0_SHARED));
    EXPECT_EQ(owner(0x110000), thread_a);
    Word base;
    EXPECT_EQ(s0_pools_take_any(p.get(), 12, thread_b, &base), S0_OK);
    EXPECT_TRUE(base < 0x100000 || base >= 0x120000) << "any-page requests come from free memory only";
}

TEST_F(Pools, NonConventionalMemoryOnlyOnExplicitRequest)
{
    setup({ desc(L4_ConventionalMemoryType, 0, 64 * MB - 1), desc(L4_DedicatedMemoryType, 0xA0000, 0xBFFFF) });
    EXPECT_EQ(fault(0xA0000, thread_a), S0_ERR_UNAVAILABLE);
    EXPECT_EQ(request(0xA0000, 12, thread_a), S0_OK);
    EXPECT_EQ(owner(0xA0000), thread_a);
    EXPECT_EQ(fault(0xA0000, thread_a), S0_OK) << "the owner's own page now";
    EXPECT_EQ(request(0xA0000, 12, thread_b), S0_ERR_UNAVAILABLE);
    EXPECT_EQ(fault(0xA1000, thread_a), S0_ERR_UNAVAILABLE);
}

TEST_F(Pools, PageFaultsTakeTheSmallestPageAtTheAddress)
{
    setup({ desc(L4_ConventionalMemoryType, 0, 64 * MB - 1) });
    Word base = 0;
    EXPECT_EQ(s0_pools_take_fault(p.get(), 0x1234567, thread_a, &base), S0_OK);
    EXPECT_EQ(base, Word(0x1234000));
    EXPECT_EQ(owner(0x1234000), thread_a);
    EXPECT_EQ(kind(0x1233FFF), unsigned(S0_FREE));
    EXPECT_EQ(kind(0x1235000), unsigned(S0_FREE));
    EXPECT_EQ(s0_pools_take_fault(p.get(), 64 * MB, thread_a, &base), S0_ERR_UNAVAILABLE);
}

TEST_F(Pools, AnyPageRequestsAreSizeAlignedAndExhaustThenNil)
{
    setup({ desc(L4_ConventionalMemoryType, 0x10400, 0x4FFFF) });
    std::set<Word> got;
    Word base;
    while (s0_pools_take_any(p.get(), 14, thread_a, &base) == S0_OK) {
        EXPECT_EQ(base % 0x4000, 0u);
        EXPECT_GE(base, Word(0x10400));
        EXPECT_LE(base + 0x3FFF, Word(0x4FFFF));
        EXPECT_TRUE(got.insert(base).second) << "given twice: " << std::hex << base;
    }
    EXPECT_EQ(got.size(), 15u); // 0x14000 .. 0x4C000
    EXPECT_EQ(s0_pools_take_any(p.get(), 14, thread_a, &base), S0_ERR_NO_MEMORY);
    got.clear();
    while (s0_pools_take_any(p.get(), 12, thread_b, &base) == S0_OK)
        got.insert(base);
    EXPECT_EQ(got, (std::set<Word>{ 0x11000, 0x12000, 0x13000 })) << "the unaligned start's whole pages";
    EXPECT_EQ(s0_pools_take_any(p.get(), 12, thread_b, &base), S0_ERR_NO_MEMORY);
    EXPECT_EQ(kind(0x10400), unsigned(S0_FREE)) << "the partial page stays";
}

TEST_F(Pools, AnyPageRequestsPreferHighMemory)
{
    setup({ desc(L4_ConventionalMemoryType, 0, 64 * MB - 1) });
    Word base;
    EXPECT_EQ(s0_pools_take_any(p.get(), 21, thread_a, &base), S0_OK);
    EXPECT_EQ(base, 62 * MB);
    EXPECT_EQ(s0_pools_take_any(p.get(), 12, thread_a, &base), S0_OK);
    EXPECT_EQ(base, 62 * MB - 0x1000);
    EXPECT_EQ(p->count, 3u) << "adjacent pages of one owner merge";
}

TEST_F(Pools, SizesBelowThePageOrOfTheWholeWordAreRefused)
{
    setup({ desc(L4_ConventionalMemoryType, 0, 64 * MB - 1) });
    Word base;
    EXPECT_EQ(request(0x100000, 11, thread_a), S0_ERR_SIZE);
    EXPECT_EQ(request(0, L4_WORD_BITS, thread_a), S0_ERR_SIZE);
    EXPECT_EQ(s0_pools_take_any(p.get(), 10, thread_a, &base), S0_ERR_SIZE);
    EXPECT_EQ(s0_pools_take_any(p.get(), L4_WORD_BITS - 1, thread_a, &base), S0_ERR_NO_MEMORY);
}

TEST_F(Pools, SplittingAndMergingKeepTheTableMinimal)
{
    setup({ desc(L4_ConventionalMemoryType, 0, 1 * MB - 1) });
    ASSERT_EQ(p->count, 2u); // free [0, 1M), non-conventional above
    EXPECT_EQ(fault(0x80000, thread_a), S0_OK);
    EXPECT_EQ(p->count, 4u); // free, a, free, non-conventional
    EXPECT_EQ(fault(0x81000, thread_a), S0_OK);
    EXPECT_EQ(fault(0x7F000, thread_a), S0_OK);
    EXPECT_EQ(p->count, 4u) << "neighbouring pages of one owner merge";
    EXPECT_EQ(fault(0x83000, thread_b), S0_OK);
    EXPECT_EQ(p->count, 6u); // free, a, free(0x82000), b, free, non-conventional
    EXPECT_EQ(fault(0x82000, thread_a), S0_OK);
    EXPECT_EQ(p->count, 5u) << "a filled the hole: the free page between disappears";
    EXPECT_EQ(request(0x7F000, 12, thread_a), S0_OK);
    EXPECT_EQ(p->count, 5u) << "re-asking changes nothing";
    const s0_region_t *r = s0_pools_lookup(p.get(), 0x80000);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->lo, Word(0x7F000));
    EXPECT_EQ(r->hi, Word(0x82FFF));
    EXPECT_TRUE(s0_pools_valid(p.get()));
    // Overriding a range with the pool around it merges it back.
    EXPECT_EQ(s0_pools_set(p.get(), 0x7F000, 0x83FFF, S0_FREE, 0), S0_OK);
    EXPECT_EQ(p->count, 2u);
    EXPECT_TRUE(s0_pools_valid(p.get()));
}

TEST_F(Pools, RequestSpanningTwoPoolsIsRefusedWithoutSideEffects)
{
    setup({ desc(L4_ConventionalMemoryType, 0, 64 * MB - 1), desc(L4_ReservedMemoryType, 0x3FF000, 0x3FFFFF),
            desc(L4_UndefinedMemoryType, 0x800000, 0x800FFF) });
    ASSERT_EQ(fault(0x500000, thread_b), S0_OK);
    const std::vector<s0_region_t> before = regions();
    EXPECT_EQ(request(0x200000, 21, thread_a), S0_ERR_UNAVAILABLE) << "free and reserved";
    EXPECT_EQ(request(0x400000, 21, thread_a), S0_ERR_UNAVAILABLE) << "free and b's";
    EXPECT_EQ(request(0x800000, 21, thread_a), S0_ERR_UNAVAILABLE) << "free and removed";
    EXPECT_EQ(request(0x3F0000, 16, thread_a), S0_ERR_UNAVAILABLE);
    EXPECT_TRUE(same_regions(before, regions()));
    EXPECT_EQ(kind(0x200000), unsigned(S0_FREE));
    EXPECT_EQ(kind(0x400000), unsigned(S0_FREE));
}

TEST_F(Pools, ImagesBelongToTheirOwners)
{
    const s0_image_t images[] = {
        { 0x100000, 0x110000, S0_RESERVED, 0 },        // kdebug; page-aligned high = end
        { 0x20000, 0x25123, S0_OWNED, thread_a },      // sigma0; high inside its last page
        { 0, 0, S0_OWNED, thread_b },                  // no sigma1
        { 0x400000, 0x4FFFFF, S0_OWNED, thread_c },    // root, inclusive high
    };
    setup({ desc(L4_ConventionalMemoryType, 0, 64 * MB - 1), desc(L4_BootLoaderSpecificMemoryType, 0x20000, 0x25FFF),
            desc(L4_BootLoaderSpecificMemoryType, 0x400000, 0x4FFFFF) },
          { std::begin(images), std::end(images) });
    EXPECT_EQ(kind(0x100000), unsigned(S0_RESERVED));
    EXPECT_EQ(kind(0x10FFFF), unsigned(S0_RESERVED));
    EXPECT_EQ(kind(0x110000), unsigned(S0_FREE));
    EXPECT_EQ(owner(0x20000), thread_a);
    EXPECT_EQ(owner(0x25FFF), thread_a);
    EXPECT_EQ(kind(0x26000), unsigned(S0_FREE));
    EXPECT_EQ(kind(0), unsigned(S0_FREE)) << "no sigma1 image: nothing assigned";
    EXPECT_EQ(fault(0x400000, thread_c), S0_OK);
    EXPECT_EQ(fault(0x4FF000, thread_c), S0_OK);
    EXPECT_EQ(fault(0x400000, thread_b), S0_ERR_UNAVAILABLE);
    EXPECT_EQ(fault(0x100000, thread_c), S0_ERR_UNAVAILABLE);
}

TEST_F(Pools, TopOfTheAddressSpaceIsRepresentable)
{
    const Word top = word_max & ~Word(0xFFFFF); // the last MiB
    setup({ desc(L4_ConventionalMemoryType, top, word_max) });
    EXPECT_EQ(kind(word_max), unsigned(S0_FREE));
    EXPECT_EQ(fault(word_max, thread_a), S0_OK);
    EXPECT_EQ(owner(word_max), thread_a);
    Word base;
    EXPECT_EQ(s0_pools_take_any(p.get(), 12, thread_b, &base), S0_OK);
    EXPECT_EQ(base, word_max - 0x1FFF);
    EXPECT_EQ(s0_pools_set(p.get(), top, word_max, 0, 0), S0_OK);
    EXPECT_EQ(s0_pools_lookup(p.get(), word_max), nullptr);
    EXPECT_TRUE(s0_pools_valid(p.get()));
}

TEST_F(Pools, FullTableRefusesWithoutChanges)
{
    setup({ desc(L4_ConventionalMemoryType, 0, Word(1) << 30) });
    Word a = 0x100000;
    s0_status_t s = S0_OK;
    for (unsigned i = 0; s == S0_OK; i++, a += 0x1000) {
        std::vector<s0_region_t> before = regions();
        s = fault(a, i % 2 ? thread_a : thread_b);
        if (s != S0_OK) {
            EXPECT_EQ(s, S0_ERR_TABLE_FULL);
            EXPECT_TRUE(same_regions(before, regions()));
        }
        ASSERT_LE(i, unsigned(S0_BOOT_REGIONS));
    }
    EXPECT_EQ(p->count, unsigned(S0_BOOT_REGIONS));
    EXPECT_EQ(fault(0x100000, thread_b), S0_OK) << "re-asking needs no new region";
    EXPECT_TRUE(s0_pools_valid(p.get()));
}

TEST_F(Pools, ATableSizedForFreeMemoryServesEveryPageToOwnersInTurn)
{
    setup({ desc(L4_ConventionalMemoryType, 0x100000, 0x1FFFFF) }); // 256 pages
    std::vector<s0_region_t> table(s0_pools_regions_needed(p.get(), 0));
    s0_pools_move(p.get(), table.data(), unsigned(table.size()));
    Word base = 0;
    for (unsigned i = 0; i < 256; i++)
        ASSERT_EQ(s0_pools_take_any(p.get(), 12, i % 2 ? thread_a : thread_b, &base), S0_OK) << i;
    EXPECT_EQ(s0_pools_take_any(p.get(), 12, thread_a, &base), S0_ERR_NO_MEMORY);
    EXPECT_EQ(p->count, 258u) << "every page a region, and the memory around";
    EXPECT_TRUE(s0_pools_valid(p.get()));
}

TEST_F(Pools, SplitsOfNonConventionalMemoryLeaveTheRoomFreePagesNeed)
{
    setup({ desc(L4_ConventionalMemoryType, 0x100000, 0x10FFFF) }); // 16 pages
    std::vector<s0_region_t> table(s0_pools_regions_needed(p.get(), 4));
    s0_pools_move(p.get(), table.data(), unsigned(table.size()));
    // Requests for non-conventional pages in turn: only the spare room.
    unsigned given = 0;
    for (Word a = 0x800000; request(a, 12, given % 2 ? thread_a : thread_b) == S0_OK; a += 0x2000)
        given++;
    EXPECT_GE(given, 1u);
    EXPECT_LE(given, 4u);
    Word base = 0;
    for (unsigned i = 0; i < 16; i++)
        ASSERT_EQ(s0_pools_take_any(p.get(), 12, i % 2 ? thread_a : thread_b, &base), S0_OK) << i;
    EXPECT_TRUE(s0_pools_valid(p.get()));
}

TEST_F(Pools, TakingTheTopOfFreeMemoryGivesWholePagesOfTheHighestRegion)
{
    setup({ desc(L4_ConventionalMemoryType, 0x100000, 0x1FFFFF), desc(L4_ConventionalMemoryType, 0x400000, 0x402FFF) });
    Word base = 0;
    EXPECT_EQ(s0_pools_take_top(p.get(), 0x2001, thread_a, &base), S0_OK);
    EXPECT_EQ(base, 0x400000u) << "three pages: the top of the highest region";
    EXPECT_EQ(owner(0x402FFF), thread_a);
    EXPECT_EQ(s0_pools_take_top(p.get(), 0x2000, thread_a, &base), S0_OK);
    EXPECT_EQ(base, 0x1FE000u) << "the highest region has none left";
    EXPECT_EQ(s0_pools_take_top(p.get(), 0x200000, thread_a, &base), S0_ERR_NO_MEMORY);
    EXPECT_TRUE(s0_pools_valid(p.get()));
}

TEST(Sigma0Fpages, AnyPageBaseIsAllOnesMaskedOrNot)
{
    EXPECT_TRUE(s0_fpage_is_any(L4_FpageLog2(word_max, 12).raw, 0));
    EXPECT_TRUE(s0_fpage_is_any(L4_FpageLog2(word_max, 22).raw, 0));
    EXPECT_TRUE(s0_fpage_is_any((word_max & ~Word(0x3FF)) | (12 << 4), 0)) << "base not masked to the size";
    EXPECT_FALSE(s0_fpage_is_any(L4_FpageLog2(0x100000, 12).raw, 0));
    EXPECT_FALSE(s0_fpage_is_any(L4_FpageLog2(word_max & ~(Word(1) << 20), 12).raw, 0));
    EXPECT_TRUE(s0_fpage_is_any(0xFFFFF000u | (12 << 4), 0xFFFFFFFFu)) << "a 32-bit client's all ones";
}

// ---- Randomized: the pools against a per-KiB owner array ----

struct Unit {
    unsigned kind = S0_NONCONV;
    Word owner = 0;
    bool operator==(const Unit &) const = default;
};

constexpr Word win_base = 0x400000, win_size = 1 * MB; // aligned to its size
constexpr unsigned win_units = win_size / KB;

struct Model {
    std::array<Unit, win_units> u{};
    static unsigned idx(Word a) { return unsigned((a - win_base) / KB); }

    void set(Word lo, Word hi, unsigned kind, Word owner)
    {
        for (Word a = lo; a <= hi && a >= lo; a += KB)
            u[idx(a)] = { kind, kind == S0_OWNED ? owner : 0 };
    }
    static bool usable(const Unit &x, Word who, bool req)
    {
        return x.kind == S0_FREE || x.kind == S0_SHARED || (x.kind == S0_OWNED && x.owner == who) ||
               (x.kind == S0_NONCONV && req);
    }
    bool take(Word base, unsigned log2, Word who, bool req)
    {
        Word lo = base & ~((Word(1) << log2) - 1), n = (Word(1) << log2) / KB;
        for (Word i = 0; i < n; i++)
            if (!usable(u[idx(lo) + i], who, req))
                return false;
        for (Word i = 0; i < n; i++)
            if (u[idx(lo) + i].kind != S0_SHARED)
                u[idx(lo) + i] = { S0_OWNED, who };
        return true;
    }
    bool find_any(unsigned log2, Word *base) const
    {
        Word size = Word(1) << log2;
        for (Word b = win_base + win_size - size;; b -= size) {
            bool all = true;
            for (Word a = b; a < b + size; a += KB)
                all = all && u[idx(a)].kind == S0_FREE;
            if (all) {
                *base = b;
                return true;
            }
            if (b == win_base)
                return false;
        }
    }
};

unsigned kind_of_type(Word type)
{
    switch (type) {
    case 1: return S0_FREE;
    case 2: return S0_RESERVED;
    case 3: case 0xE: case 0xF: return S0_NONCONV;
    case 4: return S0_SHARED;
    default: return 0;
    }
}

void expect_matches(const s0_pools_t *p, const Model &m, const char *what)
{
    ASSERT_TRUE(s0_pools_valid(p)) << what;
    for (unsigned i = 0; i < win_units; i++) {
        Word a = win_base + i * KB;
        const s0_region_t *r = s0_pools_lookup(p, a);
        Unit got = r ? Unit{ r->kind, r->owner } : Unit{ 0, 0 };
        ASSERT_EQ(got, m.u[i]) << what << ": KiB at 0x" << std::hex << a;
        ASSERT_EQ(r, s0_pools_lookup(p, a + KB - 1)) << what;
    }
    // Outside the window nothing was ever described: still non-conventional.
    ASSERT_EQ(s0_pools_lookup(p, 0)->kind, unsigned(S0_NONCONV));
    ASSERT_EQ(s0_pools_lookup(p, win_base + win_size)->kind, unsigned(S0_NONCONV));
}

TEST(Sigma0PoolsRandomized, AgreeWithAPerKiBReferenceModel)
{
    auto p = std::make_unique<s0_pools_t>();
    const Word types[] = { 0, 1, 1, 1, 2, 3, 4, 5, 0xE, 0xF };
    const Word who[] = { thread_a, thread_b, thread_c };
    for (unsigned seed = 1; seed <= 25; seed++) {
        std::mt19937 rng(seed);
        auto pick = [&](Word n) { return Word(std::uniform_int_distribution<unsigned long long>(0, n - 1)(rng)); };
        Model m;
        std::vector<Word> words;
        unsigned ndesc = 1 + unsigned(pick(12));
        for (unsigned i = 0; i < ndesc; i++) {
            Word a = win_base + pick(win_units) * KB, b = win_base + pick(win_units) * KB;
            if (a > b)
                std::swap(a, b);
            Word type = types[pick(std::size(types))];
            bool virt = pick(6) == 0;
            Desc d = desc(type, a, b, virt);
            words.insert(words.end(), d.begin(), d.end());
            if (!virt)
                m.set(a, b | 0x3FF, kind_of_type(type), 0);
        }
        std::vector<s0_image_t> images;
        for (unsigned i = 0, n = unsigned(pick(3)); i < n; i++) {
            Word lo = win_base + pick(win_size), hi = lo + pick(win_base + win_size - lo);
            Word owner = who[pick(3)];
            images.push_back({ lo, hi, S0_OWNED, owner });
            Word mhi = (hi & 0xFFF) == 0 && hi > lo ? hi - 1 : hi | 0xFFF;
            m.set(lo & ~Word(0xFFF), mhi, S0_OWNED, owner);
        }
        ASSERT_EQ(s0_pools_setup(p.get(), 12, words.data(), ndesc, images.data(), unsigned(images.size())), S0_OK);
        expect_matches(p.get(), m, "after setup");

        for (unsigned op = 0; op < 300; op++) {
            Word t = who[pick(3)];
            unsigned log2 = 12 + unsigned(pick(6));
            Word base = 0;
            switch (pick(3)) {
            case 0: { // specific request or fault-style take
                Word a = win_base + pick(win_size);
                bool req = pick(2);
                bool ok = m.take(a, log2, t, req);
                s0_status_t s = s0_pools_take(p.get(), a, log2, t, req);
                ASSERT_EQ(s == S0_OK, ok) << "seed " << seed << " op " << op;
                if (!ok)
                    ASSERT_EQ(s, S0_ERR_UNAVAILABLE);
                break;
            }
            case 1: { // any page
                Word want = 0;
                bool ok = m.find_any(log2, &want);
                s0_status_t s = s0_pools_take_any(p.get(), log2, t, &base);
                ASSERT_EQ(s, ok ? S0_OK : S0_ERR_NO_MEMORY) << "seed " << seed << " op " << op;
                if (ok) {
                    ASSERT_EQ(base, want);
                    m.take(want, log2, t, false);
                }
                break;
            }
            default: { // page fault
                Word a = win_base + pick(win_size);
                bool ok = m.take(a, 12, t, false);
                s0_status_t s = s0_pools_take_fault(p.get(), a, t, &base);
                ASSERT_EQ(s == S0_OK, ok) << "seed " << seed << " op " << op;
                if (ok)
                    ASSERT_EQ(base, a & ~Word(0xFFF));
            }
            }
            expect_matches(p.get(), m, "after an operation");
        }
    }
}

} // namespace
