#include "tests/kernel/scripted_host.hpp"

#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "core/syscall.hpp"

namespace umol4::testing {
namespace {
constexpr Word page = 4096;
}

Scripted_host::Scripted_host(const Arch_plugin& arch, std::size_t physical_bytes, Word stubs_address)
    : _arch(arch), _memory(physical_bytes), _stubs(stubs_address)
{
    if (arch.kip_entries_relative)
        throw std::logic_error("scripted host: KIP-relative system-call entries are not played");
}

Scripted_host::~Scripted_host() = default;

Scripted_host::Thread& Scripted_host::thread(Thread_handle t)
{
    auto it = _threads.find(t);
    if (it == _threads.end()) throw std::logic_error(fmt::format("scripted host: no thread {}", t));
    return it->second;
}

Task_handle Scripted_host::create_task(std::string_view arch)
{
    if (!arch.empty()) throw std::logic_error("scripted host: tasks of another arch");
    int id = _next++;
    _tasks[id];
    return id;
}

Thread_handle Scripted_host::create_thread(Task_handle task)
{
    auto it = _tasks.find(task);
    if (it == _tasks.end()) throw std::logic_error("scripted host: a thread in a task that does not exist");
    if (it->second.threads >= _threads_per_task) throw Host_exhausted("scripted host: threads of a task");
    ++it->second.threads;
    int id = _next++;
    Thread& t = _threads[id];
    t.task = task;
    t.regs.resize(_arch.regset_bytes);
    t.self = std::make_unique<L4_thread>(*this, id);
    return id;
}

void Scripted_host::destroy_thread(Thread_handle t)
{
    auto it = _threads.find(t);
    if (it == _threads.end()) throw std::logic_error("scripted host: destroying a thread twice");
    --_tasks.at(it->second.task).threads;
    _threads.erase(it);
}

void Scripted_host::destroy_task(Task_handle task)
{
    for (auto it = _threads.begin(); it != _threads.end();)
        it = it->second.task == task ? _threads.erase(it) : std::next(it);
    if (!_tasks.erase(task)) throw std::logic_error("scripted host: destroying a task twice");
}

void Scripted_host::kill_all()
{
    _threads.clear();
    _tasks.clear();
}

void Scripted_host::get_regs(Thread_handle t, std::span<std::byte> regs)
{
    Thread& th = thread(t);
    if (th.running) throw std::logic_error("scripted host: the registers of a running thread");
    std::memcpy(regs.data(), th.regs.data(), std::min(regs.size(), th.regs.size()));
}

bool Scripted_host::set_regs(Thread_handle t, std::span<const std::byte> regs)
{
    Thread& th = thread(t);
    if (th.running) throw std::logic_error("scripted host: changing the registers of a running thread");
    std::memcpy(th.regs.data(), regs.data(), std::min(regs.size(), th.regs.size()));
    return true;
}

void Scripted_host::map(Task_handle task, Word vaddr, Word size, Word phys, unsigned)
{
    if (phys + size > _memory.size()) throw std::logic_error("scripted host: a mapping beyond physical memory");
    for (Word o = 0; o < size; o += page) _tasks.at(task).pages[vaddr + o] = phys + o;
}

void Scripted_host::unmap(Task_handle task, Word vaddr, Word size)
{
    for (Word o = 0; o < size; o += page) _tasks.at(task).pages.erase(vaddr + o);
}

std::byte* Scripted_host::memory_at(const Thread& t, Word vaddr)
{
    auto& pages = _tasks.at(t.task).pages;
    auto it = pages.find(vaddr & ~(page - 1));
    if (it == pages.end()) throw std::logic_error(fmt::format("scripted host: nothing mapped at {:#x}", vaddr));
    return _memory.data() + it->second + (vaddr & (page - 1));
}

Host_event Scripted_host::step(Thread_handle t, std::span<std::byte> regs)
{
    (void)set_regs(t, regs);
    return Host_event{.kind = Host_event::Kind::stepped, .thread = t};
}

Host_event Scripted_host::stop(Thread_handle t)
{
    Thread& th = thread(t);
    if (!th.running) throw std::logic_error("scripted host: stopping a thread that does not run");
    th.running = th.interrupted = false;
    return Host_event{.kind = Host_event::Kind::preempted, .thread = t};
}

// The running thread of the lowest handle makes its next stop: all that
// happens between two stops takes no time, so the order is the same in
// every run.
Host_event Scripted_host::wait(std::optional<std::chrono::nanoseconds>)
{
    // A program that never waits would keep the box up for good: the test
    // sees the box interrupted instead.
    if (++_stops > max_stops) return Host_event{.kind = Host_event::Kind::interrupted};
    for (auto& [id, t] : _threads) {
        if (!t.running) continue;
        t.running = false;
        if (t.interrupted) {
            t.interrupted = false;
            return Host_event{.kind = Host_event::Kind::preempted, .thread = id};
        }
        return run_program(t);
    }
    return Host_event{.kind = Host_event::Kind::timeout};
}

Host_event Scripted_host::run_program(Thread& t)
{
    if (!t.program) {
        Word entry = _arch.pc(t.regs.data());
        auto p = _programs.find(entry);
        if (p == _programs.end()) throw std::logic_error(fmt::format("scripted host: no program at {:#x}", entry));
        t.program.emplace(p->second(*t.self));
    }
    t.next = Host_event{};
    if (!t.program->done()) t.program->resume();
    if (t.program->done()) t.self->trap(Syscall::Ipc, {0, t.self->my_id(), 0});  // L4_Sleep(never)
    if (t.next.kind == Host_event::Kind::none) throw std::logic_error("scripted host: a program stopped without a call");
    return t.next;
}

Word L4_thread::utcb(int index) const
{
    auto& th = _host.thread(_handle);
    unsigned bytes = _host._arch.word_bits / 8;
    Word v = 0;
    std::memcpy(&v, _host.memory_at(th, th.utcb + static_cast<Word>(index * static_cast<int>(bytes))), bytes);
    return v;
}

void L4_thread::set_utcb(int index, Word value)
{
    auto& th = _host.thread(_handle);
    unsigned bytes = _host._arch.word_bits / 8;
    std::memcpy(_host.memory_at(th, th.utcb + static_cast<Word>(index * static_cast<int>(bytes))), &value, bytes);
}

Word L4_thread::my_id() const { return utcb(tcr::my_global_id); }

// As the call's KIP stub leaves the registers at its trap: inputs, and the
// MRs that travel in registers loaded from the UTCB.
void L4_thread::trap(Syscall call, const std::vector<Word>& in)
{
    const Arch_plugin& a = _host._arch;
    auto& th = _host.thread(_handle);
    Syscall_frame f;
    f.call = call;
    for (std::size_t i = 0; i < in.size() && i < f.in.size(); ++i) f.in[i] = in[i];
    Syscall_frame shape;
    a.decode(call, th.regs.data(), shape);
    for (unsigned i = 0; i < shape.mr_in; ++i) f.mr[i] = mr(i);
    a.trap_inputs(f, th.regs.data());
    a.set_pc(th.regs.data(), _host._stubs + a.stub_offset_of(call) + a.trap_bytes);
    th.next = Host_event{.kind = Host_event::Kind::syscall, .thread = _handle};
}

void L4_thread::fault(Word address, Word pc)
{
    auto& th = _host.thread(_handle);
    _host._arch.set_pc(th.regs.data(), pc);
    th.next = Host_event{.kind = Host_event::Kind::memory_fault, .thread = _handle, .fault_address = address};
}

// As the user's binding leaves them after the call: MRs that came back in
// registers stored into the UTCB.
Result L4_thread::result(Syscall call)
{
    auto& th = _host.thread(_handle);
    Result r;
    r.frame.call = call;
    _host._arch.read_outputs(th.regs.data(), r.frame);
    for (unsigned i = 0; i < r.frame.mr_out; ++i) set_mr(i, r.frame.mr[i]);
    return r;
}

}  // namespace umol4::testing
