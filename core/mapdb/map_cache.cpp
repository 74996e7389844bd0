// Map_cache: runs of installed pages, merged and split as Linux merges and
// splits its mappings.
#include "core/mapdb/map_cache.hpp"

namespace umol4 {

std::map<Word, Map_cache::Run>::const_iterator Map_cache::run_of(Word vaddr) const
{
    auto it = _runs.upper_bound(vaddr);
    if (it == _runs.begin()) return _runs.end();
    --it;
    return vaddr < it->second.end ? it : _runs.end();
}

std::optional<Map_cache::Entry> Map_cache::find(Word vaddr) const
{
    auto it = run_of(vaddr);
    if (it == _runs.end()) return std::nullopt;
    return Entry{it->second.frame + (vaddr - it->first), it->second.prot};
}

void Map_cache::cut(Word vaddr)
{
    auto it = run_of(vaddr);
    if (it == _runs.end()) return;
    Word start = it->first;
    Run r = it->second;
    _runs.erase(it);
    if (start < vaddr) _runs.emplace(start, Run{vaddr, r.frame, r.prot});
    if (vaddr + page < r.end) _runs.emplace(vaddr + page, Run{r.end, r.frame + (vaddr + page - start), r.prot});
}

void Map_cache::add(Word vaddr, Word frame, unsigned prot)
{
    Word start = vaddr, end = vaddr + page;
    auto right = _runs.find(end);
    if (right != _runs.end() && right->second.frame == frame + page && right->second.prot == prot) {
        end = right->second.end;
        _runs.erase(right);
    }
    auto left = _runs.lower_bound(vaddr);
    if (left != _runs.begin()) {
        --left;
        const Run& l = left->second;
        if (l.end == vaddr && l.frame + (vaddr - left->first) == frame && l.prot == prot) {
            start = left->first;
            frame = l.frame;
            _runs.erase(left);
        }
    }
    _runs.emplace(start, Run{end, frame, prot});
}

void Map_cache::install(Word vaddr, Word frame, unsigned prot, Map_ops& ops)
{
    auto old = find(vaddr);
    if (old && old->frame == frame && old->prot == prot) return;
    cut(vaddr);
    add(vaddr, frame, prot);
    if (old && old->frame == frame) ops.protect(vaddr, page, prot);
    else ops.map(vaddr, page, frame, prot);
    if (over_budget(ops)) {
        // The page just installed comes back at once, the rest on their
        // next faults.
        add(vaddr, frame, prot);
        ops.map(vaddr, page, frame, prot);
    }
}

void Map_cache::remove(Word vaddr, Map_ops& ops)
{
    if (run_of(vaddr) == _runs.end()) return;
    cut(vaddr);
    ops.unmap(vaddr, page);
    over_budget(ops);  // a hole in the middle of a run splits it in two
}

void Map_cache::restrict(Word vaddr, unsigned prot, Map_ops& ops)
{
    auto old = find(vaddr);
    if (!old || (old->prot & ~prot) == 0) return;
    unsigned now = old->prot & prot;
    if (!now) {
        remove(vaddr, ops);
        return;
    }
    cut(vaddr);
    add(vaddr, old->frame, now);
    ops.protect(vaddr, page, now);
    over_budget(ops);
}

// Every operation can add up to two Linux mappings (a page of other rights
// in the middle of a run makes three of one); the host keeps that much
// headroom below vm.max_map_count, so the budget is restored right after.
bool Map_cache::over_budget(Map_ops& ops)
{
    if (_runs.size() <= _budget) return false;
    ++_evictions;
    clear(ops);
    return true;
}

void Map_cache::clear(Map_ops& ops)
{
    for (auto& [start, r] : _runs) ops.unmap(start, r.end - start);
    _runs.clear();
}

}  // namespace umol4
