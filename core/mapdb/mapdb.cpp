// Mapping database: per-frame derivation trees with recursive removal.
#include "core/mapdb/mapdb.hpp"

#include <algorithm>

namespace umol4 {

Map_node* Mapdb::find(const Space* space, Word vaddr) const
{
    auto it = _nodes.find({space, vaddr});
    return it == _nodes.end() ? nullptr : it->second.get();
}

Map_node& Mapdb::insert(Space* space, Word vaddr, Word frame, unsigned rights, Map_node* parent)
{
    auto node = std::make_unique<Map_node>(Map_node{space, vaddr, frame, rights, parent, {}});
    Map_node& n = *node;
    _nodes[{space, vaddr}] = std::move(node);
    if (parent) parent->children.push_back(&n);
    return n;
}

void Mapdb::remove(Map_node& node, bool self, const Removed& removed)
{
    // Depth first, children before parents, so callbacks see live parents.
    std::vector<Map_node*> kids;
    kids.swap(node.children);
    for (Map_node* c : kids) remove(*c, true, removed);
    if (!self) return;
    removed(node);
    if (node.parent) {
        auto& sib = node.parent->children;
        sib.erase(std::remove(sib.begin(), sib.end(), &node), sib.end());
    }
    _nodes.erase({node.space, node.vaddr});
}

void Mapdb::revoke(Map_node& node, unsigned rights, bool self, const Removed& changed)
{
    for (Map_node* c : node.children) revoke(*c, rights, true, changed);
    if (self && (node.rights & rights)) {
        node.rights &= ~rights;
        changed(node);
    }
}

Map_node& Mapdb::move(Map_node& node, Space* space, Word vaddr)
{
    auto it = _nodes.find({node.space, node.vaddr});
    std::unique_ptr<Map_node> owned = std::move(it->second);
    _nodes.erase(it);
    owned->space = space;
    owned->vaddr = vaddr;
    Map_node& n = *owned;
    _nodes[{space, vaddr}] = std::move(owned);
    return n;
}

}  // namespace umol4
