// The mapping database: for every physical frame, the tree of mappings
// derived from sigma0's implicit ownership.  Spaces keep their own page
// tables; the tree says what an unmap or an overmap takes with it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "core/syscall.hpp"

namespace umol4 {

class Space;

struct Map_node {
    Space* space;
    Word vaddr;       // page address in `space`
    Word frame;       // physical page
    unsigned rights;  // r 4, w 2, x 1
    Map_node* parent; // nullptr: derived directly from sigma0
    std::vector<Map_node*> children;
};

class Mapdb {
    // One node per (space, page); the space's page table points at it.
    std::map<std::pair<const Space*, Word>, std::unique_ptr<Map_node>> _nodes;

public:
    using Removed = std::function<void(Map_node&)>;

    Map_node* find(const Space* space, Word vaddr) const;
    // Adds `space:vaddr -> frame` as a child of `parent` (nullptr = of sigma0).
    Map_node& insert(Space* space, Word vaddr, Word frame, unsigned rights, Map_node* parent);
    // Removes the node's children (recursively) and, if `self`, the node;
    // calls `removed` for each node before it goes.
    void remove(Map_node& node, bool self, const Removed& removed);
    // Reduces rights in the node's subtree (and the node if `self`).
    void revoke(Map_node& node, unsigned rights, bool self, const Removed& changed);
    // Moves a node to another space/address, keeping its children (grant).
    Map_node& move(Map_node& node, Space* space, Word vaddr);
    std::size_t size() const { return _nodes.size(); }
};

}  // namespace umol4
