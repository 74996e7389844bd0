// An L4 address space: its task process, page table (the truth; the Linux
// mappings of the task are a cache of it), KIP and UTCB areas.
#pragma once

#include <map>
#include <vector>

#include "core/host/host.hpp"
#include "core/syscall.hpp"

namespace umol4 {

class Tcb;
struct Map_node;

struct Area {
    Word base = 0, size = 0;
    bool contains(Word a) const { return size && a >= base && a - base < size; }
    bool empty() const { return size == 0; }
};

class Space {
public:
    Task_handle task = -1;
    bool sigma0 = false;           // physical memory is mapped idempotently
    bool initialized = false;      // SpaceControl done: areas fixed
    Area kip_area, utcb_area;
    std::map<Word, Map_node*> pages;     // page address -> its mapping node
    std::map<Word, Word> utcb_frames;    // UTCB-area page -> kernel frame
    std::vector<Tcb*> threads;

    bool kernel_area(Word a) const { return kip_area.contains(a) || utcb_area.contains(a); }
};

}  // namespace umol4
