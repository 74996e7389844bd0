// Ptrace_host: the memory of task processes.  mmap/munmap/mprotect are
// queued per task, adjacent ones merged, and run in one stop through the
// stub's batch gate just before a thread of the task runs again.
#include <sys/mman.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "core/host/linux/ptrace_host.hpp"

namespace umol4::linux_host {
namespace {

constexpr Word page = 4096;
constexpr int task_memfd = 3;
// Linux mappings of a task besides L4 pages: the stub's, the system pages, the KIP, and one per UTCB page (at most one page
// of thread-pointer slots' worth of threads), with room to spare.  The map
// cache may pass its budget by two mappings before it restores it.
constexpr std::size_t own_mappings = 1024;

int prot_of(unsigned rights)
{
    return ((rights & rights_r) ? PROT_READ : 0) | ((rights & rights_w) ? PROT_WRITE : 0) |
           ((rights & rights_x) ? PROT_EXEC : 0);
}

}  // namespace

Word low_limit_of_host()
{
    Word min_addr = 0x10000;  // Debian's default
    std::ifstream in("/proc/sys/vm/mmap_min_addr");
    if (in) in >> min_addr;
    return std::min((min_addr + page - 1) & ~(page - 1), Linux_arch::low_window);
}

std::size_t default_map_budget()
{
    std::size_t max = 65530;  // Linux's default
    std::ifstream in("/proc/sys/vm/max_map_count");
    if (in) in >> max;
    return max > 2 * own_mappings ? max - own_mappings : std::max<std::size_t>(max / 2, 16);
}

std::vector<std::pair<Word, Word>> linux_own_pages(pid_t task)
{
    std::ifstream in(fmt::format("/proc/{}/maps", task));
    if (!in) throw Host_failure(fmt::format("reading the mappings of task process {}", task));
    std::vector<std::pair<Word, Word>> own;
    for (std::string line; std::getline(in, line);) {
        unsigned long long start = 0, end = 0;
        if (std::sscanf(line.c_str(), "%llx-%llx", &start, &end) != 2 || end <= start) continue;
        if (line.find("umol4-task-stub") != std::string::npos || line.ends_with("[vsyscall]")) continue;
        own.emplace_back(Word(start), Word(end - start));
    }
    return own;
}

void Ptrace_host::map(Task_handle task, Word vaddr, Word size, Word phys, unsigned rights)
{
    queue(task, {Mem_op::Kind::map, vaddr, size, phys, rights});
}

void Ptrace_host::unmap(Task_handle task, Word vaddr, Word size)
{
    queue(task, {Mem_op::Kind::unmap, vaddr, size, 0, 0});
}

void Ptrace_host::protect(Task_handle task, Word vaddr, Word size, unsigned rights)
{
    queue(task, {Mem_op::Kind::protect, vaddr, size, 0, rights});
}

void Ptrace_host::queue(Task_handle handle, Mem_op op)
{
    if (op.vaddr < _low_limit) {
        Word const below = std::min(op.size, _low_limit - op.vaddr);
        Mem_op low = op;
        low.vaddr += _tasks.at(handle).arch->low_alias;
        low.size = below;
        queue_one(handle, low);
        if (below == op.size) return;
        op.vaddr += below;
        op.size -= below;
        if (op.kind == Mem_op::Kind::map) op.frame += below;
    }
    queue_one(handle, op);
}

void Ptrace_host::queue_one(Task_handle handle, Mem_op op)
{
    auto& q = _tasks.at(handle).pending;
    if (q.empty()) ++_tasks_with_pending;
    if (!q.empty()) {
        // One call for a run: the next page of the same kind, frames and rights.
        Mem_op& last = q.back();
        bool same = last.kind == op.kind && last.rights == op.rights;
        bool frames = op.kind != Mem_op::Kind::map || last.frame + last.size == op.frame;
        if (same && frames && last.vaddr + last.size == op.vaddr) {
            last.size += op.size;
            return;
        }
    }
    q.push_back(op);
}

std::array<Word, 7> Ptrace_host::record(const Linux_arch& arch, const Mem_op& op) const
{
    switch (op.kind) {
    case Mem_op::Kind::map:
        return {Word(arch.nr.mmap), op.vaddr, op.size, Word(prot_of(op.rights)), MAP_SHARED | MAP_FIXED,
                Word(task_memfd), op.frame >> arch.mmap_offset_shift};
    case Mem_op::Kind::unmap: return {Word(arch.nr.munmap), op.vaddr, op.size, 0, 0, 0, 0};
    case Mem_op::Kind::protect: break;
    }
    return {Word(arch.nr.mprotect), op.vaddr, op.size, Word(prot_of(op.rights)), 0, 0, 0};
}

void Ptrace_host::flush(Task& task)
{
    if (task.pending.empty()) return;
    std::vector<Mem_op> ops;
    ops.swap(task.pending);
    --_tasks_with_pending;
    std::size_t per_batch = task.arch->batch_gate_offset ? page / (7 * task.arch->word_bytes()) - 1 : 1;  // room for the end mark
    for (std::size_t i = 0; i < ops.size(); i += per_batch)
        flush_batch(task, std::span(ops).subspan(i, std::min(per_batch, ops.size() - i)));
}

void Ptrace_host::flush_batch(Task& task, std::span<const Mem_op> ops)
{
    ++_batches;
    long result;
    std::size_t failed = 0;
    if (!task.arch->batch_gate_offset || ops.size() == 1) {
        // One call: the plain gate (also what maps the batch page itself).
        auto r = record(*task.arch, ops[0]);
        result = inject(task, static_cast<long>(r[0]), {r[1], r[2], r[3], r[4], r[5], r[6]});
    } else {
        const std::size_t wb = task.arch->word_bytes(), size = 7 * wb;
        std::byte* out = _mem.bytes().data() + task.batch_frame;
        for (std::size_t i = 0; i < ops.size(); ++i) {
            auto r = record(*task.arch, ops[i]);
            for (std::size_t w = 0; w < 7; ++w) std::memcpy(out + i * size + w * wb, &r[w], wb);
        }
        Word end = ~Word(0);
        std::memcpy(out + ops.size() * size, &end, wb);
        Word records = task.arch->system_pages + 2 * page;
        std::vector<std::byte> regs = task.parked;
        task.arch->prepare_batch(regs.data(), task.gate + task.arch->batch_gate_offset, records);
        regs = run_leader(task, std::move(regs));
        result = task.arch->syscall_result(regs.data());
        failed = (task.arch->batch_cursor(regs.data()) - records) / size;
    }
    if (result < 0 && result > -4096 && failed < ops.size()) {
        const Mem_op& op = ops[failed];
        static constexpr const char* names[] = {"mmap", "munmap", "mprotect"};
        throw Host_failure(fmt::format("{} of {:#x}+{:#x} in task {}: {}", names[static_cast<int>(op.kind)], op.vaddr,
                                     op.size, task.leader, std::strerror(static_cast<int>(-result))));
    }
}

void Ptrace_host::flush_running()
{
    if (!_tasks_with_pending || !_running_threads) return;
    for (auto& [pid, task] : _tasks) {
        if (task.pending.empty()) continue;
        for (pid_t t : task.threads) {
            if (auto it = _threads.find(t); it != _threads.end() && it->second.running) {
                flush(task);
                break;
            }
        }
    }
}

}  // namespace umol4::linux_host
