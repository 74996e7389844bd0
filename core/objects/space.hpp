// An L4 address space: its task process, its id in the box's memory system
// (the page table there is the truth; the task's Linux mappings are a
// cache of it), KIP and UTCB areas.
#pragma once

#include <map>
#include <vector>

#include "core/host/host.hpp"
#include "core/mapdb/map_cache.hpp"
#include "core/mapdb/mapdb.hpp"
#include "core/objects/space_abi.hpp"
#include "core/syscall.hpp"

namespace umol4 {

class Thread;

struct Area {
    Word base = 0, size = 0;
    bool contains(Word a) const { return size && a >= base && a - base < size; }
    bool empty() const { return size == 0; }
};

// Where the map cache of a space puts its decisions: the space's task.
class Task_mappings final : public Map_ops {
public:
    Task_mappings(Host& host, Task_handle task) : _host(host), _task(task) {}
    void map(Word vaddr, Word size, Word frame, unsigned prot) override { _host.map(_task, vaddr, size, frame, prot); }
    void unmap(Word vaddr, Word size) override { _host.unmap(_task, vaddr, size); }
    void protect(Word vaddr, Word size, unsigned prot) override { _host.protect(_task, vaddr, size, prot); }
    void set_task(Task_handle task) { _task = task; }

private:
    Host& _host;
    Task_handle _task;
};

class Space {
public:
    Space(Host& host, Task_handle t, const Space_abi& a) : task(t), mappings(host, t), abi(&a) {}
    Space(const Space&) = delete;
    Space& operator=(const Space&) = delete;

    Task_handle task = -1;
    Task_mappings mappings;
    const Space_abi* abi;          // the arch its threads run (the box's, or compat)
    Space_id vm = 0;               // page table and map cache in the kernel's Vm
    bool sigma0 = false;           // physical memory is mapped idempotently
    bool privileged = false;       // sigma0, sigma1, the root task
    bool initialized = false;      // SpaceControl done: areas fixed
    bool lost = false;             // its task process died: its threads halted for good
    Area kip_area, utcb_area;
    std::map<Word, Word> utcb_frames;    // UTCB-area page -> kernel frame
    std::vector<Thread*> threads;

    bool kernel_area(Word a) const { return kip_area.contains(a) || utcb_area.contains(a); }
};

}  // namespace umol4
