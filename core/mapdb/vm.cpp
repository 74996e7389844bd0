// Vm: the mapping database with the host's cache following it.
#include "core/mapdb/vm.hpp"

namespace umol4 {

std::optional<Space_id> Vm::add_space(Map_ops* ops, std::size_t budget)
{
    auto id = _db.add_space();
    if (!id) return std::nullopt;
    if (_spaces.size() <= *id) _spaces.resize(*id + 1u);
    _spaces[*id] = std::make_unique<Space_state>(Space_state{ops, Map_cache(budget)});
    return id;
}

void Vm::remove_space(Space_id s)
{
    _spaces[s]->ops = nullptr;  // the task goes away with its mappings
    _evictions_of_removed += _spaces[s]->cache.evictions();
    _db.remove_space(s);
    _spaces[s].reset();
}

unsigned long Vm::evictions() const
{
    unsigned long e = _evictions_of_removed;
    for (const auto& s : _spaces)
        if (s) e += s->cache.evictions();
    return e;
}

unsigned Vm::allowed(const Mapping& m)
{
    unsigned st = m.status(), r = 0;
    if (st & 4) r |= 4;
    if (st & 2) r |= 4 | 2;
    if (st & 1) r |= 4 | 1;
    return r & m.rights();
}

Vm::Resolution Vm::resolve(Space_id s, Word vaddr, unsigned access)
{
    Word page = vaddr & ~Word(0xFFF);
    Mapping* m = _db.find(s, page);
    if (!m || !access || (access & ~m->rights())) return Resolution::not_mapped;
    Space_state& st = *_spaces[s];
    auto installed = st.cache.find(page);
    if (installed && installed->frame == m->frame() && (installed->prot & access) == access) {
        if (installed->prot == m->rights()) return Resolution::stuck;
        access = m->rights();
    }
    Mapdb::touch(*m, access);
    if (st.ops) st.cache.install(page, m->frame(), allowed(*m), *st.ops);
    return Resolution::installed;
}

void Vm::removed(Space_id space, Word vaddr)
{
    Space_state& st = *_spaces[space];
    if (st.ops) st.cache.remove(vaddr, *st.ops);
}

void Vm::restricted(const Mapping& m)
{
    Space_state& st = *_spaces[m.space];
    if (st.ops) st.cache.restrict(m.vaddr(), allowed(m), *st.ops);
}

}  // namespace umol4
