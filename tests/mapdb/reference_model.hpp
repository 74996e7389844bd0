// A reference model of the mapping database, written for obviousness, not
// speed: nodes with parent links, subtrees found by scanning.  It states the
// semantics of x2-semantics.md §2.4 and §8 (and the documented choices for
// the cases the manual leaves open) once more, independently of Mapdb.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/mapdb/mapdb.hpp"

namespace umol4::model {

using Outcome = Mapdb::Outcome;

struct Node {
    Space_id space;
    Word vaddr, frame;
    unsigned rights, status;
    int parent;  // -1: sigma0's node (a root)
};

class Reference {
public:
    std::map<int, Node> nodes;
    std::map<std::pair<Space_id, Word>, int> at;

    std::optional<int> find(Space_id s, Word v) const
    {
        auto it = at.find({s, v});
        if (it == at.end()) return std::nullopt;
        return it->second;
    }
    int depth(int id) const
    {
        int d = 0;
        for (int p = nodes.at(id).parent; p >= 0; p = nodes.at(p).parent) ++d;
        return d;
    }
    std::vector<int> children(int id) const
    {
        std::vector<int> c;
        for (auto& [k, n] : nodes)
            if (n.parent == id) c.push_back(k);
        return c;
    }
    std::vector<int> descendants(int id) const
    {
        std::vector<int> all, todo = children(id);
        while (!todo.empty()) {
            int n = todo.back();
            todo.pop_back();
            all.push_back(n);
            for (int c : children(n)) todo.push_back(c);
        }
        return all;
    }
    bool is_descendant(int of, int id) const
    {
        for (int p = nodes.at(id).parent; p >= 0; p = nodes.at(p).parent)
            if (p == of) return true;
        return false;
    }

    int root(Space_id sigma0, Word frame)
    {
        if (auto n = find(sigma0, frame)) return *n;
        return add(Node{sigma0, frame, frame, 7, 0, -1});
    }

    Outcome map(int from, Space_id to, Word v, unsigned rights)
    {
        if (!rights) return Outcome::refused;
        if (auto old = find(to, v)) {
            Node& o = nodes.at(*old);
            if (o.frame == nodes.at(from).frame) {
                if ((o.rights | rights) == o.rights) return Outcome::unchanged;
                o.rights |= rights;
                return Outcome::extended;
            }
            remove_subtree(*old, true, nullptr);
        }
        add(Node{to, v, nodes.at(from).frame, rights, 0, from});
        return Outcome::mapped;
    }

    Outcome grant(int from, Space_id to, Word v, unsigned rights)
    {
        if (nodes.at(from).parent < 0) return map(from, to, v, rights);
        if (!rights) return Outcome::refused;
        auto old = find(to, v);
        if (old && *old == from) return Outcome::unchanged;
        if (old) {
            Node& o = nodes.at(*old);
            if (o.frame == nodes.at(from).frame && !is_descendant(from, *old)) {
                o.rights |= nodes.at(from).rights & rights;
                int up = nodes.at(from).parent;
                for (int c : children(from)) nodes.at(c).parent = up;
                erase(from);
                return Outcome::extended;
            }
            remove_subtree(*old, true, nullptr);
        }
        Node& f = nodes.at(from);
        at.erase({f.space, f.vaddr});
        f.space = to;
        f.vaddr = v;
        at[{to, v}] = from;
        unsigned keep = f.rights & rights, lost = f.rights & ~keep;
        f.rights = keep;
        if (lost & 4) {
            remove_subtree(from, false, nullptr);
        } else if (lost) {
            for (int d : descendants(from)) nodes.at(d).rights &= ~lost;
        }
        return Outcome::mapped;
    }

    unsigned unmap(int id, unsigned rights, bool self)
    {
        unsigned status = 0;
        if (rights & 4) {
            remove_subtree(id, self, &status);
            if (self) return status;
        } else {
            std::vector<int> hit = descendants(id);
            if (self) hit.push_back(id);
            for (int d : hit) {
                Node& n = nodes.at(d);
                status |= n.status;
                n.status = 0;
                n.rights &= ~rights;
            }
        }
        if (!self) nodes.at(id).status |= status;
        return status;
    }

    bool touch(Space_id s, Word v, unsigned access)
    {
        auto n = find(s, v);
        if (!n || (access & ~nodes.at(*n).rights)) return false;
        nodes.at(*n).status |= access | 4;
        return true;
    }

    void remove_space(Space_id s)
    {
        while (true) {
            auto it = std::find_if(at.begin(), at.end(), [&](auto& e) { return e.first.first == s; });
            if (it == at.end()) return;
            remove_subtree(it->second, true, nullptr);
        }
    }

private:
    int _next = 0;

    int add(Node n)
    {
        int id = _next++;
        nodes[id] = n;
        at[{n.space, n.vaddr}] = id;
        return id;
    }
    void erase(int id)
    {
        Node& n = nodes.at(id);
        at.erase({n.space, n.vaddr});
        nodes.erase(id);
    }
    void remove_subtree(int id, bool self, unsigned* status)
    {
        for (int d : descendants(id)) {
            if (status) *status |= nodes.at(d).status;
            erase(d);
        }
        if (self) {
            if (status) *status |= nodes.at(id).status;
            erase(id);
        }
    }
};

}  // namespace umol4::model
