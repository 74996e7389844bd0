#include "tests/fuzz/fuzz_host.hpp"

#include <cstdio>
#include <stdexcept>
#include <cstdlib>
#include <iterator>

namespace umol4::fuzz {
namespace {

constexpr Word page = 4096;
// Threads and tasks a made-up host gives (then Host_exhausted, as Linux's
// limits would).
constexpr unsigned max_threads_per_task = 24, max_tasks = 24;
// Stops made up per input (a box whose threads all block forever on a
// timer would otherwise never end).
constexpr unsigned max_waits = 4000;

[[noreturn]] void broken(const char* what, Word a = 0, Word b = 0)
{
    std::fprintf(stderr, "fuzz host: the core asked for %s (%#lx, %#lx)\n", what, static_cast<unsigned long>(a),
                 static_cast<unsigned long>(b));
    std::abort();
}

}  // namespace

Fuzz_host::Fuzz_host(const Arch_plugin& arch, Input& in, std::size_t physical_bytes, Word user_top)
    : _arch(arch), _in(in), _memory(physical_bytes), _user_top(user_top)
{
}

Fuzz_host::Thread& Fuzz_host::thread(Thread_handle t)
{
    auto it = _threads.find(t);
    if (it == _threads.end()) broken("a thread that does not exist", static_cast<Word>(t));
    return it->second;
}

Task_handle Fuzz_host::create_task(std::string_view arch)
{
    if (!arch.empty()) throw std::logic_error("fuzz host: tasks of another arch");
    if (_tasks.size() >= max_tasks) throw Host_exhausted("fuzz host: tasks");
    int id = _next++;
    _tasks[id];
    return id;
}

Thread_handle Fuzz_host::create_thread(Task_handle task)
{
    auto it = _tasks.find(task);
    if (it == _tasks.end()) broken("a thread in a task that does not exist", static_cast<Word>(task));
    if (it->second.threads >= max_threads_per_task) throw Host_exhausted("fuzz host: threads");
    ++it->second.threads;
    int id = _next++;
    _threads[id] = Thread{.task = task, .regs = std::vector<std::byte>(_arch.regset_bytes)};
    return id;
}

void Fuzz_host::destroy_task(Task_handle task)
{
    for (auto it = _threads.begin(); it != _threads.end();)
        it = it->second.task == task ? _threads.erase(it) : std::next(it);
    _tasks.erase(task);
}

void Fuzz_host::get_regs(Thread_handle t, std::span<std::byte> regs)
{
    Thread& th = thread(t);
    if (th.running) broken("the registers of a running thread", static_cast<Word>(t));
    if (regs.size() != th.regs.size()) broken("a register file of another size", regs.size());
    std::memcpy(regs.data(), th.regs.data(), regs.size());
}

bool Fuzz_host::set_regs(Thread_handle t, std::span<const std::byte> regs)
{
    Thread& th = thread(t);
    if (th.running) broken("to change the registers of a running thread", static_cast<Word>(t));
    if (regs.size() != th.regs.size()) broken("a register file of another size", regs.size());
    // Now and then the host refuses them, as Linux does a base or selector
    // the thread loaded itself.
    if (_in.take<std::uint8_t>() == 0xFF) return false;
    std::memcpy(th.regs.data(), regs.data(), regs.size());
    return true;
}

void Fuzz_host::check_range(Task_handle task, Word vaddr, Word size) const
{
    if (!_tasks.count(task)) broken("memory of a task that does not exist", static_cast<Word>(task));
    if ((vaddr | size) & (page - 1) || size == 0) broken("an unaligned range", vaddr, size);
    // The user's range, or the host's own system pages just above it.
    if (vaddr + size < vaddr || vaddr + size > _user_top + (Word(1) << 24)) broken("a range beyond the user's", vaddr, size);
}

void Fuzz_host::map(Task_handle task, Word vaddr, Word size, Word phys, unsigned rights)
{
    check_range(task, vaddr, size);
    if (phys + size > _memory.size() || (phys & (page - 1))) broken("to map beyond physical memory", phys, size);
    if (rights & ~7u) broken("rights beyond rwx", rights);
    for (Word o = 0; o < size; o += page) _tasks[task].pages[vaddr + o] = phys + o;
}

void Fuzz_host::unmap(Task_handle task, Word vaddr, Word size)
{
    check_range(task, vaddr, size);
    for (Word o = 0; o < size; o += page) _tasks[task].pages.erase(vaddr + o);
}

void Fuzz_host::protect(Task_handle task, Word vaddr, Word size, unsigned rights)
{
    check_range(task, vaddr, size);
    if (rights & ~7u) broken("rights beyond rwx", rights);
}

// A register or message word: raw bytes, or a value of the shapes system
// calls take (thread ids of interrupt, kernel and user threads, local ids,
// fpages, time words, the special ids), or of what user code may load into
// its segment and base registers (hostile-code findings 1-4: selectors of
// the other mode's code, null selectors with an RPL, kernel-half and
// non-canonical bases), so short inputs reach deep paths.
Word Fuzz_host::word()
{
    std::uint8_t how = _in.take<std::uint8_t>();
    switch (how % 9) {
    case 0: return _in.take<Word>();
    case 1: return _in.take<std::uint8_t>();
    case 2: return (Word(_in.take<std::uint8_t>() % 128) << 32) | (1 + (how >> 7));  // global ids
    case 3: return how & 0x80 ? ~Word(0) : ~Word(0) << 6;                            // any, anylocal
    case 4: return 0xBF000000 + Word(_in.take<std::uint8_t>() % 16) * 0x400 + 0x200;  // local ids
    case 5: {
        Word base = Word(_in.take<std::uint16_t>()) << 12;
        return base | (Word(12 + _in.take<std::uint8_t>() % 12) << 4) | (how >> 5);  // fpages
    }
    case 6: return _in.take<std::uint32_t>();  // time words, timeouts, tags
    case 7: {
        static constexpr Word shapes[] = {0x23, 0x33, 0x2b, 0x1b, 0x1, 0x2, 0x3, 0x0,
                                          0xffff800000000000, 0x0000800000000000, 0xfffffffffffff000};
        return shapes[(how >> 4) % std::size(shapes)];
    }
    default: return 0;
    }
}

// Arbitrary words in the thread's message registers (where its UTCB is
// mapped into its task).
void Fuzz_host::scribble_message(const Thread& t)
{
    auto& pages = _tasks[t.task].pages;
    unsigned n = _in.take<std::uint8_t>() % 12;
    for (unsigned i = 0; i < n; ++i) {
        int index = static_cast<int>(_in.take<std::uint8_t>() % 96) - 32;  // TCRs and BRs too
        Word at = t.utcb + static_cast<Word>(index * static_cast<int>(_arch.word_bits / 8));
        auto it = pages.find(at & ~(page - 1));
        if (it == pages.end()) continue;
        Word w = word();
        std::memcpy(_memory.data() + it->second + (at & (page - 1)), &w, _arch.word_bits / 8);
    }
}

Host_event Fuzz_host::stop(Thread_handle t)
{
    Thread& th = thread(t);
    if (!th.running) broken("to stop a thread that does not run", static_cast<Word>(t));
    th.running = th.interrupted = false;
    return Host_event{.kind = Host_event::Kind::preempted, .thread = t};
}

Host_event Fuzz_host::step(Thread_handle id, std::span<std::byte> regs)
{
    Thread& t = thread(id);
    if (regs.size() != t.regs.size()) broken("a step with registers of another size", regs.size());
    std::memcpy(t.regs.data(), regs.data(), regs.size());
    Host_event ev{.thread = id};
    if (_in.take<std::uint8_t>() & 1) {
        ev.kind = Host_event::Kind::memory_fault;
        ev.fault_address = word();
    } else {
        ev.kind = Host_event::Kind::stepped;
    }
    return ev;
}

Host_event Fuzz_host::wait(std::optional<std::chrono::nanoseconds>)
{
    if (_check) _check();
    if (_in.empty() || ++_waits > max_waits) return Host_event{.kind = Host_event::Kind::interrupted};
    std::vector<Thread_handle> running;
    for (auto& [id, t] : _threads)
        if (t.running) running.push_back(id);
    if (running.empty()) return Host_event{.kind = Host_event::Kind::timeout};
    Thread_handle id = running[_in.take<std::uint8_t>() % running.size()];
    Thread& t = _threads[id];
    t.running = false;
    using K = Host_event::Kind;
    Host_event ev{.thread = id};
    std::uint8_t what = _in.take<std::uint8_t>();
    if (t.interrupted && (what & 1)) {
        t.interrupted = false;
        ev.kind = K::preempted;
        return ev;
    }
    // Most stops get arbitrary registers (and message registers).
    for (std::size_t i = 0; i + sizeof(Word) <= t.regs.size(); i += sizeof(Word)) {
        if (_in.take<std::uint8_t>() & 1) {
            Word w = word();
            std::memcpy(t.regs.data() + i, &w, sizeof w);
        }
    }
    switch (what % 16) {
    default: {
        // A system call from one of the KIP stubs (anywhere in its slot).
        unsigned slot = _in.take<std::uint8_t>() % _arch.stub_slots;
        _arch.set_pc(t.regs.data(), _user_top + slot * _arch.stub_slot_bytes + _in.take<std::uint8_t>() % _arch.stub_slot_bytes);
        scribble_message(t);
        ev.kind = K::syscall;
        break;
    }
    case 10: ev.kind = K::syscall; break;  // from anywhere
    case 11:
        ev.kind = K::memory_fault;
        ev.fault_address = _in.take<Word>();
        if (what & 0x10) ev.fault_address &= 0xFFFFFF;  // near the images
        break;
    case 12: ev.kind = K::breakpoint; break;
    case 13: ev.kind = K::illegal; break;
    case 14: ev.kind = K::general_fault; break;
    case 15: ev.kind = K::arithmetic; break;
    }
    return ev;
}

}  // namespace umol4::fuzz
