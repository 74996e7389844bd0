// Mapping database: preorder lists with depths, one per frame.
#include "core/mapdb/mapdb.hpp"

namespace umol4 {
namespace {
constexpr std::size_t chunk_nodes = 4096;
}

Mapdb::~Mapdb() = default;

Mapping* Mapdb::allocate()
{
    Mapping* m = _free;
    if (m) {
        _free = m->next;
    } else {
        // Nodes never used come from the newest chunk in order: its pages
        // are touched only as the box maps (a box that maps little keeps
        // most of a chunk untouched).
        if (_chunks.empty() || _chunk_used == chunk_nodes) {
            _chunks.push_back(std::make_unique_for_overwrite<Mapping[]>(chunk_nodes));
            _chunk_used = 0;
        }
        m = &_chunks.back()[_chunk_used++];
    }
    ++_live;
    return m;
}

void Mapdb::release(Mapping* m)
{
    m->next = _free;
    _free = m;
    --_live;
}

std::size_t Mapdb::bytes() const
{
    std::size_t b = _chunks.size() * chunk_nodes * sizeof(Mapping);
    for (const auto& t : _tables)
        if (t) b += t->bytes();
    return b;
}

std::optional<Space_id> Mapdb::add_space()
{
    for (std::size_t i = 0; i < _tables.size(); ++i) {
        if (!_tables[i]) {
            _tables[i] = std::make_unique<Page_table>(&_table_bytes);
            return static_cast<Space_id>(i);
        }
    }
    if (_tables.size() > 0xFFFF) return std::nullopt;
    _tables.push_back(std::make_unique<Page_table>(&_table_bytes));
    return static_cast<Space_id>(_tables.size() - 1);
}

void Mapdb::remove_space(Space_id s)
{
    for_each_page(s, 0, Page_table::limit - 1, [&](Word, Mapping& m) { remove_subtree(m, true, nullptr); });
    _tables[s].reset();
}

Mapping* Mapdb::root(Space_id sigma0, Word frame)
{
    if (Mapping* m = find(sigma0, frame)) return m;
    if (!Page_table::covers(frame) || (frame >> 12) > 0xFFFFFFFFu) return nullptr;
    Mapping* m = allocate();
    *m = Mapping{.prev = nullptr, .next = nullptr, .bits = frame | rights_all, .pfn = static_cast<std::uint32_t>(frame >> 12),
                 .space = sigma0, .depth = 0};
    _tables[sigma0]->set(frame, m);
    return m;
}

Mapping* Mapdb::subtree_end(const Mapping& m) const
{
    Mapping* n = m.next;
    while (n && n->depth > m.depth) n = n->next;
    return n;
}

void Mapdb::unlink(Mapping& first, Mapping* end)
{
    Mapping* before = first.prev;
    if (before) before->next = end;
    if (end) end->prev = before;
}

void Mapdb::remove_subtree(Mapping& m, bool self, unsigned* status)
{
    Mapping* end = subtree_end(m);
    Mapping* first = self ? &m : m.next;
    if (first == end) return;
    unlink(*first, end);
    for (Mapping* n = first; n != end;) {
        Mapping* next = n->next;
        if (status) *status |= n->status();
        _tables[n->space]->erase(n->vaddr());
        if (_listener) _listener->removed(n->space, n->vaddr());
        release(n);
        n = next;
    }
}

void Mapdb::restrict_subtree(Mapping& m, unsigned rights, bool self, unsigned* status)
{
    Mapping* end = subtree_end(m);
    for (Mapping* n = self ? &m : m.next; n != end; n = n->next) {
        if (status) {
            *status |= n->status();
            n->set_status(0);
        }
        n->set_rights(n->rights() & ~rights);
        if (_listener) _listener->restricted(*n);
    }
}

void Mapdb::place(Mapping& m, Space_id s, Word vaddr)
{
    m.bits = vaddr | (m.bits & 0xFFF);
    m.space = s;
    _tables[s]->set(vaddr, &m);
}

Mapdb::Outcome Mapdb::map(Mapping& from, Space_id to, Word vaddr, unsigned rights)
{
    if (!Page_table::covers(vaddr) || !(rights & rights_all)) return Outcome::refused;
    if (Mapping* old = find(to, vaddr)) {
        if (old->pfn == from.pfn) {
            unsigned r = old->rights() | (rights & rights_all);
            if (r == old->rights()) return Outcome::unchanged;
            old->set_rights(r);
            return Outcome::extended;
        }
        remove_subtree(*old, true, nullptr);  // another frame: `from` is not in its tree
    }
    if (from.depth >= max_depth) return Outcome::refused;
    Mapping* n = allocate();
    *n = Mapping{.prev = &from, .next = from.next, .bits = vaddr | (rights & rights_all), .pfn = from.pfn, .space = to,
                 .depth = static_cast<std::uint16_t>(from.depth + 1)};
    if (from.next) from.next->prev = n;
    from.next = n;
    _tables[to]->set(vaddr, n);
    return Outcome::mapped;
}

Mapdb::Outcome Mapdb::grant(Mapping& from, Space_id to, Word vaddr, unsigned rights)
{
    if (from.depth == 0) return map(from, to, vaddr, rights);  // sigma0's own nodes stay (it maps, never grants)
    if (!Page_table::covers(vaddr) || !(rights & rights_all)) return Outcome::refused;
    Mapping* end = subtree_end(from);
    Mapping* old = find(to, vaddr);
    if (old == &from) return Outcome::unchanged;
    if (old) {
        bool derived = false;
        for (Mapping* n = from.next; n != end && !derived; n = n->next) derived = n == old;
        if (old->pfn == from.pfn && !derived) {
            // The receiver already holds the frame (from an ancestor or a
            // cousin of the sender's node): it keeps its node with rights
            // extended; the sender's node goes and its subtree moves up.
            old->set_rights(old->rights() | (from.rights() & rights));
            for (Mapping* n = from.next; n != end; n = n->next) --n->depth;  // children of from's parent now
            _tables[from.space]->erase(from.vaddr());
            if (_listener) _listener->removed(from.space, from.vaddr());
            unlink(from, from.next);
            release(&from);
            return Outcome::extended;
        }
        remove_subtree(*old, true, nullptr);
    }
    unsigned keep = from.rights() & rights, lost = from.rights() & ~keep;
    _tables[from.space]->erase(from.vaddr());
    if (_listener) _listener->removed(from.space, from.vaddr());
    place(from, to, vaddr);
    from.set_rights(keep);
    // Rights only shrink downwards: what the grant withheld goes from the
    // derived mappings too (withholding r removes them, as Unmap does).
    if (lost & 4) remove_subtree(from, false, nullptr);
    else if (lost) restrict_subtree(from, lost, false, nullptr);
    return Outcome::mapped;
}

unsigned Mapdb::unmap(Mapping& m, unsigned rights, bool self)
{
    unsigned status = 0;
    if (rights & 4) remove_subtree(m, self, &status);
    else restrict_subtree(m, rights & rights_all, self, &status);
    if (!self) m.set_status(m.status() | status);  // derived accesses are the caller's too
    return status;
}

std::string Mapdb::check() const
{
    std::size_t seen = 0;
    for (std::size_t s = 0; s < _tables.size(); ++s) {
        if (!_tables[s]) continue;
        for (Word cursor = 0;;) {
            auto e = _tables[s]->first_from(cursor, Page_table::limit - 1);
            if (!e) break;
            const Word vaddr = e->first;  // (not a structured binding: captured below)
            const Mapping* m = e->second;
            ++seen;
            auto at = [&](const char* what) {
                return std::string(what) + " at space " + std::to_string(s) + " page " + std::to_string(vaddr);
            };
            if (m->space != s || m->vaddr() != vaddr) return at("node filed under another space or address");
            if (m->prev ? m->prev->next != m : m->depth != 0) return at("broken list or root below depth 0");
            if (m->next && m->next->prev != m) return at("broken forward link");
            if (m->next && (m->next->depth > m->depth + 1 || m->next->pfn != m->pfn)) return at("next node not in the tree");
            if (m->depth > 0) {
                const Mapping* parent = m->prev;
                while (parent && parent->depth >= m->depth) parent = parent->prev;
                if (!parent || parent->depth + 1 != m->depth) return at("node without a parent");
                if ((m->rights() & ~parent->rights()) != 0) return at("rights beyond the parent's");
            }
            cursor = vaddr + 4096;
            if (cursor == 0 || cursor >= Page_table::limit) break;
        }
    }
    if (seen != _live) return "live nodes " + std::to_string(_live) + " but " + std::to_string(seen) + " in page tables";
    return "";
}

}  // namespace umol4
