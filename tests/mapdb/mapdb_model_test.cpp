// The mapping database and the host-mapping cache against the reference
// model: random streams of map, grant, unmap/flush (all rights subsets),
// faults and space deletion over many spaces with nested mappings, compared
// after every step - the trees, the rights, the access status, and what each
// space's Linux mappings would show (applied from the ops the cache emits).
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>

#include "core/mapdb/vm.hpp"
#include "reference_model.hpp"

namespace umol4 {
namespace {

constexpr Word page = 4096;

// The Linux side of one space: what its mappings would show, page by page.
struct Linux_view final : Map_ops {
    std::map<Word, Map_cache::Entry> pages;
    std::string error;
    unsigned long ops = 0;

    void map(Word v, Word size, Word frame, unsigned prot) override
    {
        ++ops;
        for (Word o = 0; o < size; o += page) pages[v + o] = {frame + o, prot};
    }
    void unmap(Word v, Word size) override
    {
        ++ops;
        for (Word o = 0; o < size; o += page) pages.erase(v + o);
    }
    void protect(Word v, Word size, unsigned prot) override
    {
        ++ops;
        for (Word o = 0; o < size; o += page) {
            auto it = pages.find(v + o);
            if (it == pages.end()) error = "mprotect of an unmapped page";  // Linux: ENOMEM
            else it->second.prot = prot;
        }
    }
    // Linux's count: adjacent pages of contiguous frames and equal rights merge.
    std::size_t mappings() const
    {
        std::size_t n = 0;
        Word next_v = 1, next_f = 0;
        unsigned prot = 0;
        for (auto& [v, e] : pages) {
            if (v != next_v || e.frame != next_f || e.prot != prot) ++n;
            next_v = v + page;
            next_f = e.frame + page;
            prot = e.prot;
        }
        return n;
    }
};

const Mapping* parent_of(const Mapping& m)
{
    const Mapping* p = m.prev;
    while (p && p->depth >= m.depth) p = p->prev;
    return p;
}

class Model_run {
public:
    static constexpr unsigned spaces = 8, pages_per_space = 24, frames = 40;
    static constexpr std::size_t budget = 3;

    explicit Model_run(unsigned seed) : _rng(seed)
    {
        for (unsigned s = 0; s < spaces; ++s) EXPECT_EQ(*_vm.add_space(&_views[s], budget), s);
    }

    void step()
    {
        unsigned op = pick(100);
        if (op < 22) map_from_sigma0();
        else if (op < 40) map_or_grant(false);
        else if (op < 52) map_or_grant(true);
        else if (op < 68) unmap();
        else if (op < 98) touch();
        else if (op < 99) remove_space();
        ++_steps;
    }

    void compare()
    {
        ASSERT_EQ(_vm.db().mappings(), _ref.nodes.size()) << where();
        std::vector<std::size_t> per_space(spaces);
        for (auto& [id, n] : _ref.nodes) {
            ++per_space[n.space];
            const Mapping* m = _vm.db().find(n.space, n.vaddr);
            ASSERT_TRUE(m) << where() << " missing " << n.space << ":" << n.vaddr;
            ASSERT_EQ(m->frame(), n.frame) << where();
            ASSERT_EQ(m->rights(), n.rights) << where() << " at " << n.space << ":" << n.vaddr;
            ASSERT_EQ(m->status(), n.status) << where() << " at " << n.space << ":" << n.vaddr;
            ASSERT_EQ(m->depth, _ref.depth(id)) << where();
            const Mapping* p = parent_of(*m);
            if (n.parent < 0) {
                ASSERT_EQ(p, nullptr) << where();
            } else {
                const model::Node& rp = _ref.nodes.at(n.parent);
                ASSERT_TRUE(p && p->space == rp.space && p->vaddr() == rp.vaddr) << where() << " parent";
            }
        }
        for (unsigned s = 0; s < spaces; ++s) {
            ASSERT_EQ(_vm.db().pages(static_cast<Space_id>(s)), per_space[s]) << where();
            const Linux_view& lv = _views[s];
            ASSERT_EQ(lv.error, "") << where();
            const Map_cache& c = _vm.cache(static_cast<Space_id>(s));
            ASSERT_EQ(c.mappings(), lv.mappings()) << where() << " space " << s;
            ASSERT_LE(c.mappings(), budget) << where();
            for (auto& [v, e] : lv.pages) {
                auto id = _ref.find(static_cast<Space_id>(s), v);
                ASSERT_TRUE(id) << where() << " Linux maps " << s << ":" << v << " that the database does not";
                const model::Node& n = _ref.nodes.at(*id);
                ASSERT_EQ(e.frame, n.frame) << where();
                ASSERT_NE(e.prot, 0u) << where();
                ASSERT_EQ(e.prot & ~allowed(n), 0u) << where() << " Linux rights beyond what status and rights allow";
                auto ce = c.find(v);
                ASSERT_TRUE(ce && ce->frame == e.frame && ce->prot == e.prot) << where();
            }
        }
    }

    unsigned long steps() const { return _steps; }
    unsigned long evictions() const
    {
        unsigned long e = 0;
        for (unsigned s = 0; s < spaces; ++s) e += _vm.cache(static_cast<Space_id>(s)).evictions();
        return e;
    }
    std::size_t max_nodes = 0;

private:
    std::mt19937_64 _rng;
    Vm _vm;
    model::Reference _ref;
    Linux_view _views[spaces];
    unsigned long _steps = 0;

    unsigned pick(unsigned n) { return static_cast<unsigned>(_rng() % n); }
    std::string where() const { return "step " + std::to_string(_steps); }
    static unsigned allowed(const model::Node& n)
    {
        unsigned r = 0;
        if (n.status & 4) r |= 4;
        if (n.status & 2) r |= 6;
        if (n.status & 1) r |= 5;
        return r & n.rights;
    }
    // Addresses: low pages, and a few far up (the radix tree's other levels).
    Word address()
    {
        unsigned i = pick(pages_per_space);
        return i < pages_per_space - 4 ? 0x10000 + i * page : Word(0x7ee000000000) + (i % 4) * (Word(1) << 30);
    }
    Space_id user_space() { return static_cast<Space_id>(1 + pick(spaces - 1)); }
    std::optional<int> random_node()
    {
        if (_ref.nodes.empty()) return std::nullopt;
        auto it = _ref.nodes.begin();
        std::advance(it, pick(static_cast<unsigned>(_ref.nodes.size())));
        return it->first;
    }

    void map_from_sigma0()
    {
        Word frame = 0x100000 + pick(frames) * page;
        Space_id to = user_space();
        Word v = address();
        unsigned rights = 1 + pick(7);
        Mapping* root = _vm.db().root(0, frame);
        ASSERT_TRUE(root);
        int rid = _ref.root(0, frame);
        ASSERT_EQ(_vm.db().map(*root, to, v, rights), _ref.map(rid, to, v, rights)) << where();
    }

    void map_or_grant(bool grant)
    {
        auto id = random_node();
        if (!id) return;
        model::Node n = _ref.nodes.at(*id);
        unsigned rights = (1 + pick(7)) & n.rights;
        if (!rights) return;
        Space_id to = pick(4) == 0 ? n.space : user_space();
        Word v = address();
        Mapping* from = _vm.db().find(n.space, n.vaddr);
        ASSERT_TRUE(from);
        auto got = grant ? _vm.db().grant(*from, to, v, rights) : _vm.db().map(*from, to, v, rights);
        auto want = grant ? _ref.grant(*id, to, v, rights) : _ref.map(*id, to, v, rights);
        ASSERT_EQ(got, want) << where() << (grant ? " grant" : " map");
        max_nodes = std::max(max_nodes, _ref.nodes.size());
    }

    void unmap()
    {
        // One fpage of a space: a single page or an aligned block of them;
        // pages are visited in order, each looked up afresh (an earlier one
        // may have taken a later one along), as the Unmap system call does.
        Space_id s = static_cast<Space_id>(pick(spaces));
        Word first = address(), last = first + page - 1;
        if (pick(3) == 0) {
            first = 0x10000;
            last = 0x7fffffffffff;
        }
        unsigned rights = pick(8);
        bool self = pick(2);
        Word cursor = first;
        for (;;) {
            auto e = _vm.db().first_from(s, cursor, last);
            auto nx = _ref.at.lower_bound({s, cursor});
            bool in_model = nx != _ref.at.end() && nx->first.first == s && nx->first.second <= last;
            ASSERT_EQ(e.has_value(), in_model) << where();
            if (!e) break;
            ASSERT_EQ(e->first, nx->first.second) << where();
            cursor = e->first + page;
            ASSERT_EQ(_vm.db().unmap(*e->second, rights, self), _ref.unmap(nx->second, rights, self)) << where() << " unmap status";
        }
    }

    // An access by the task: it faults only if its Linux mapping does not
    // allow it; then the core resolves it or the pager gets it.
    void touch()
    {
        Space_id s = static_cast<Space_id>(pick(spaces));
        Word v = address();
        unsigned access = 1u << pick(3);
        auto it = _views[s].pages.find(v);
        if (it != _views[s].pages.end() && (it->second.prot & access) == access) {
            // No fault, so nothing is noted: the status must show it already.
            auto id = _ref.find(s, v);
            ASSERT_TRUE(id) << where();
            ASSERT_EQ(_ref.nodes.at(*id).status & access, access) << where() << " an access the status misses";
            return;
        }
        bool got = _vm.resolve(s, v + pick(page), access) == Vm::Resolution::installed;
        ASSERT_EQ(got, _ref.touch(s, v, access)) << where();
        if (got) {
            // The faulting access now succeeds without another fault.
            it = _views[s].pages.find(v);
            ASSERT_TRUE(it != _views[s].pages.end()) << where();
            ASSERT_EQ(it->second.prot & access, access) << where();
        }
    }

    void remove_space()
    {
        Space_id s = user_space();
        _vm.remove_space(s);
        _ref.remove_space(s);
        _views[s] = Linux_view{};
        ASSERT_EQ(*_vm.add_space(&_views[s], budget), s);
    }
};

unsigned long operations()
{
    const char* env = std::getenv("UMOL4_MAPDB_OPS");
    return env ? std::strtoul(env, nullptr, 0) : 200000;
}

TEST(MapdbModel, RandomStreamsMatchTheReferenceModel)
{
    unsigned long total = operations(), per_seed = total / 4, evictions = 0;
    std::size_t max_nodes = 0;
    for (unsigned seed = 1; seed <= 4; ++seed) {
        Model_run run(seed);
        for (unsigned long i = 0; i < per_seed; ++i) {
            run.step();
            run.compare();
            if (HasFatalFailure()) return;
        }
        evictions += run.evictions();
        max_nodes = std::max(max_nodes, run.max_nodes);
    }
    std::printf("mapdb model: %lu operations in 4 streams, compared after each; up to %zu mappings; %lu cache evictions\n",
                per_seed * 4, max_nodes, evictions);
    EXPECT_GT(evictions, 0u);  // the budget was exercised
}

}  // namespace
}  // namespace umol4
