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
    _db.remove_space(s);
    _spaces[s].reset();
}

unsigned Vm::allowed(const Mapping& m)
{
    unsigned st = m.status(), r = 0;
    if (st & 4) r |= 4;
    if (st & 2) r |= 4 | 2;
    if (st & 1) r |= 4 | 1;
    return r & m.rights();
}

bool Vm::resolve(Space_id s, Word vaddr, unsigned access)
{
    Word page = vaddr & ~Word(0xFFF);
    Mapping* m = _db.find(s, page);
    if (!m || (access & ~m->rights())) return false;
    Mapdb::touch(*m, access);
    Space_state& st = *_spaces[s];
    if (st.ops) st.cache.install(page, m->frame(), allowed(*m), *st.ops);
    return true;
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
