// Named behaviours of the page table, the mapping database and the cache.
#include <gtest/gtest.h>

#include "core/mapdb/vm.hpp"

namespace umol4 {
namespace {

constexpr Word page = 4096;

struct Recorder final : Map_ops {
    std::vector<std::string> log;
    void map(Word v, Word size, Word frame, unsigned prot) override
    {
        log.push_back("map " + std::to_string(v / page) + "+" + std::to_string(size / page) + " f" +
                      std::to_string(frame / page) + " p" + std::to_string(prot));
    }
    void unmap(Word v, Word size) override
    {
        log.push_back("unmap " + std::to_string(v / page) + "+" + std::to_string(size / page));
    }
    void protect(Word v, Word size, unsigned prot) override
    {
        log.push_back("protect " + std::to_string(v / page) + "+" + std::to_string(size / page) + " p" +
                      std::to_string(prot));
    }
};

TEST(PageTable, FindsEntriesAcrossAllLevelsAndFreesEmptyLevels)
{
    Page_table t;
    std::size_t empty = t.bytes();
    auto* a = reinterpret_cast<Mapping*>(0x1000);
    auto* b = reinterpret_cast<Mapping*>(0x2000);
    t.set(0x1000, a);
    t.set(0x7ffffffff000, b);
    EXPECT_EQ(t.find(0x1000), a);
    EXPECT_EQ(t.find(0x7ffffffff000), b);
    EXPECT_EQ(t.find(0x2000), nullptr);
    EXPECT_EQ(t.size(), 2u);
    auto first = t.first_from(0x2000, ~Word(0));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->first, Word(0x7ffffffff000));
    EXPECT_FALSE(t.first_from(0x2000, 0x7fffffffe000));
    t.erase(0x1000);
    t.erase(0x7ffffffff000);
    EXPECT_EQ(t.size(), 0u);
    EXPECT_EQ(t.bytes(), empty);
}

TEST(PageTable, AddressesBeyondFortyEightBitsAreNeverStored)
{
    Page_table t;
    EXPECT_FALSE(Page_table::covers(Word(1) << 48));
    EXPECT_EQ(t.find(~Word(0xFFF)), nullptr);
    t.erase(~Word(0xFFF));  // harmless
}

TEST(Mapdb, GrantMovesTheNodeAndDerivedMappingsStayAttached)
{
    Mapdb db;
    Space_id s0 = *db.add_space(), a = *db.add_space(), b = *db.add_space(), c = *db.add_space();
    Mapping* root = db.root(s0, 0x100000);
    db.map(*root, a, 0x10000, 7);
    db.map(*db.find(a, 0x10000), c, 0x30000, 5);
    EXPECT_EQ(db.grant(*db.find(a, 0x10000), b, 0x20000, 7), Mapdb::Outcome::mapped);
    EXPECT_EQ(db.find(a, 0x10000), nullptr);
    Mapping* moved = db.find(b, 0x20000);
    ASSERT_TRUE(moved);
    EXPECT_EQ(moved->depth, 1);
    // The derived mapping still hangs below the moved node: unmapping from
    // the new place reaches it.
    EXPECT_EQ(db.unmap(*moved, 7, false), 0u);
    EXPECT_EQ(db.find(c, 0x30000), nullptr);
    EXPECT_NE(db.find(b, 0x20000), nullptr);
}

TEST(Mapdb, OvermappingAnotherFrameRemovesTheOldSubtree)
{
    Mapdb db;
    Space_id s0 = *db.add_space(), a = *db.add_space(), b = *db.add_space();
    db.map(*db.root(s0, 0x100000), a, 0x10000, 7);
    db.map(*db.find(a, 0x10000), b, 0x10000, 7);
    EXPECT_EQ(db.map(*db.root(s0, 0x200000), a, 0x10000, 7), Mapdb::Outcome::mapped);
    EXPECT_EQ(db.find(a, 0x10000)->frame(), Word(0x200000));
    EXPECT_EQ(db.find(b, 0x10000), nullptr);
    EXPECT_EQ(db.mappings(), 3u);  // two sigma0 nodes and a's new one
}

TEST(Mapdb, RemappingTheSameFrameExtendsRightsAndNeverReducesThem)
{
    Mapdb db;
    Space_id s0 = *db.add_space(), a = *db.add_space();
    Mapping* root = db.root(s0, 0x100000);
    db.map(*root, a, 0x10000, 4);
    EXPECT_EQ(db.map(*root, a, 0x10000, 2), Mapdb::Outcome::extended);
    EXPECT_EQ(db.find(a, 0x10000)->rights(), 6u);
    EXPECT_EQ(db.map(*root, a, 0x10000, 4), Mapdb::Outcome::unchanged);
    EXPECT_EQ(db.find(a, 0x10000)->rights(), 6u);
}

TEST(Mapdb, WithdrawingWriteMakesDerivedMappingsReadOnlyAndKeepsTheCallers)
{
    Mapdb db;
    Space_id s0 = *db.add_space(), a = *db.add_space(), b = *db.add_space();
    db.map(*db.root(s0, 0x100000), a, 0x10000, 7);
    db.map(*db.find(a, 0x10000), b, 0x10000, 7);
    db.unmap(*db.find(a, 0x10000), 2, false);
    EXPECT_EQ(db.find(a, 0x10000)->rights(), 7u);
    EXPECT_EQ(db.find(b, 0x10000)->rights(), 5u);
}

TEST(Mapdb, StatusIsReadAndResetAndFoldedIntoTheCaller)
{
    Mapdb db;
    Space_id s0 = *db.add_space(), a = *db.add_space(), b = *db.add_space();
    db.map(*db.root(s0, 0x100000), a, 0x10000, 7);
    db.map(*db.find(a, 0x10000), b, 0x10000, 7);
    Mapdb::touch(*db.find(b, 0x10000), 2);
    EXPECT_EQ(db.unmap(*db.find(a, 0x10000), 0, false), 6u);  // referenced and written
    EXPECT_EQ(db.find(b, 0x10000)->status(), 0u);
    EXPECT_EQ(db.find(a, 0x10000)->status(), 6u);
    EXPECT_EQ(db.unmap(*db.find(a, 0x10000), 0, false), 0u);  // reset
    EXPECT_EQ(db.unmap(*db.find(a, 0x10000), 0, true), 6u);   // own status with f = 1
}

TEST(MapCache, ContiguousPagesOfContiguousFramesAreOneMapping)
{
    Map_cache c(100);
    Recorder r;
    for (Word i = 0; i < 8; ++i) c.install(0x10000 + i * page, 0x200000 + i * page, 4, r);
    EXPECT_EQ(c.mappings(), 1u);
    c.install(0x10000 + 8 * page, 0x900000, 4, r);  // another frame range
    EXPECT_EQ(c.mappings(), 2u);
    c.restrict(0x10000 + 3 * page, 0, r);  // a hole splits the first
    EXPECT_EQ(c.mappings(), 3u);
    c.install(0x10000 + 3 * page, 0x200000 + 3 * page, 4, r);  // and closing it merges again
    EXPECT_EQ(c.mappings(), 2u);
    c.install(0x10000 + 2 * page, 0x200000 + 2 * page, 6, r);  // other rights split
    EXPECT_EQ(c.mappings(), 4u);
    EXPECT_EQ(r.log.back(), "protect 18+1 p6");
}

TEST(MapCache, PassingTheBudgetDropsEveryOtherCachedMapping)
{
    Map_cache c(3);
    Recorder r;
    for (Word i = 0; i < 3; ++i) c.install(0x10000 + 2 * i * page, 0x200000, 4, r);
    EXPECT_EQ(c.mappings(), 3u);
    r.log.clear();
    c.install(0x40000, 0x300000, 6, r);
    EXPECT_EQ(c.mappings(), 1u);
    EXPECT_EQ(c.evictions(), 1u);
    ASSERT_TRUE(c.find(0x40000));
    EXPECT_FALSE(c.find(0x10000));
    EXPECT_EQ(r.log.back(), "map 64+1 f768 p6");
}

TEST(MapCache, SplittingARunPastTheBudgetDropsEveryCachedMapping)
{
    Map_cache c(2);
    Recorder r;
    for (Word i = 0; i < 4; ++i) c.install(0x10000 + i * page, 0x200000 + i * page, 4, r);
    c.install(0x80000, 0x900000, 4, r);
    ASSERT_EQ(c.mappings(), 2u);
    c.remove(0x10000 + page, r);  // would leave three runs
    EXPECT_EQ(c.mappings(), 0u);
    EXPECT_EQ(c.evictions(), 1u);
    c.install(0x10000, 0x200000, 4, r);
    c.install(0x10000 + page, 0x200000 + page, 4, r);
    c.install(0x10000 + 2 * page, 0x200000 + 2 * page, 4, r);
    c.restrict(0x10000 + page, 4 | 2, r);  // nothing to withdraw: no change
    EXPECT_EQ(c.mappings(), 1u);
    c.install(0x80000, 0x900000, 6, r);
    c.restrict(0x10000 + page, 0, r);  // a hole: three runs
    EXPECT_EQ(c.mappings(), 0u);
    EXPECT_EQ(c.evictions(), 2u);
}

TEST(Vm, FirstAccessOfEachKindFaultsOnceAndIsNoted)
{
    Vm vm;
    Recorder ra;
    Space_id s0 = *vm.add_space(nullptr, 100), a = *vm.add_space(&ra, 100);
    vm.db().map(*vm.db().root(s0, 0x100000), a, 0x10000, 7);
    EXPECT_TRUE(ra.log.empty());  // mapping installs nothing in the host
    EXPECT_EQ(vm.resolve(a, 0x10010, 4), Vm::Resolution::installed);
    EXPECT_EQ(ra.log.back(), "map 16+1 f256 p4");
    EXPECT_EQ(vm.resolve(a, 0x10010, 2), Vm::Resolution::installed);
    EXPECT_EQ(ra.log.back(), "protect 16+1 p6");
    EXPECT_EQ(vm.resolve(a, 0x10010, 1), Vm::Resolution::installed);
    EXPECT_EQ(ra.log.back(), "protect 16+1 p7");
    EXPECT_EQ(vm.resolve(a, 0x20000, 4), Vm::Resolution::not_mapped);  // not mapped: the pager's turn
    // Reading the status takes the page out of the host again.
    EXPECT_EQ(vm.db().unmap(*vm.db().find(a, 0x10000), 0, true), 7u);
    EXPECT_EQ(ra.log.back(), "unmap 16+1");
}

TEST(Vm, ARightsFaultBeyondTheMappingGoesToThePager)
{
    Vm vm;
    Recorder ra;
    Space_id s0 = *vm.add_space(nullptr, 100), a = *vm.add_space(&ra, 100);
    vm.db().map(*vm.db().root(s0, 0x100000), a, 0x10000, 4);
    EXPECT_EQ(vm.resolve(a, 0x10000, 2), Vm::Resolution::not_mapped);
    EXPECT_TRUE(ra.log.empty());
}

TEST(Vm, AFaultOnAnAccessAlreadyInstalledInstallsEveryRightThenReportsStuck)
{
    Vm vm;
    Recorder ra;
    Space_id s0 = *vm.add_space(nullptr, 100), a = *vm.add_space(&ra, 100);
    vm.db().map(*vm.db().root(s0, 0x100000), a, 0x10000, 6);
    EXPECT_EQ(vm.resolve(a, 0x10000, 4), Vm::Resolution::installed);
    // A read fault again: the decoder misjudged a write; status says so too.
    EXPECT_EQ(vm.resolve(a, 0x10000, 4), Vm::Resolution::installed);
    EXPECT_EQ(ra.log.back(), "protect 16+1 p6");
    EXPECT_EQ(vm.db().find(a, 0x10000)->status(), 6u);
    EXPECT_EQ(vm.resolve(a, 0x10000, 2), Vm::Resolution::stuck);
}

TEST(Mapdb, AMappingCostsAtMostSixtyFourBytesOfCoreMemory)
{
    Mapdb db;
    Space_id s0 = *db.add_space(), a = *db.add_space();
    constexpr Word n = 100000;
    for (Word i = 0; i < n; ++i) db.map(*db.root(s0, 0x100000 + i * page), a, 0x400000 + i * page, 7);
    // Each frame: sigma0's node and a's.
    double per_mapping = static_cast<double>(db.bytes()) / static_cast<double>(db.mappings());
    std::printf("mapdb: %zu mappings, %zu bytes, %.1f bytes per mapping\n", db.mappings(), db.bytes(), per_mapping);
    EXPECT_LE(per_mapping, 64.0);
}

TEST(Mapdb, MappingBytesCountThePageTableLevelsAScatteredLayoutNeeds)
{
    Mapdb db;
    Space_id s0 = *db.add_space(), a = *db.add_space();
    Mapping* root = db.root(s0, 0x100000);
    std::size_t before = db.mapping_bytes();
    // One page in every 2 MiB: each needs a table level of its own (512
    // pointers: 4 KiB, 2 KiB on 32-bit hosts).
    constexpr Word n = 1000, stride = Word(2) << 20;
    constexpr std::size_t level = 512 * sizeof(void*);
    for (Word i = 0; i < n; ++i) db.map(*root, a, 0x40000000 + i * stride, 7);
    std::size_t per_mapping = (db.mapping_bytes() - before) / n;
    EXPECT_GE(per_mapping, level + sizeof(Mapping));
    EXPECT_LE(per_mapping, level + 64);
    // Everything comes back when the mappings go.
    db.unmap(*root, 7, false);
    EXPECT_EQ(db.mapping_bytes(), before);
}

}  // namespace
}  // namespace umol4
