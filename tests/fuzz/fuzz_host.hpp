// A Host inside the fuzzer's process: tasks and threads are records, and
// every stop of an L4 thread is made up from the fuzzer's input (a system
// call from a KIP stub slot with arbitrary registers and message registers,
// a fault, an exception, a preemption).  What the core asks of the host is
// checked on the way (mappings inside physical memory and the user's range).
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <span>
#include <vector>

#include "core/arch_plugin.hpp"
#include "core/host/host.hpp"

namespace umol4::fuzz {

// The fuzzer's bytes, read front to back; zeros once they are used up.
class Input {
public:
    Input(const std::uint8_t* data, std::size_t size) : _p(data), _end(data + size) {}
    bool empty() const { return _p == _end; }
    template <class T>
    T take()
    {
        T v{};
        std::size_t n = std::min<std::size_t>(sizeof v, static_cast<std::size_t>(_end - _p));
        std::memcpy(&v, _p, n);
        _p += n;
        return v;
    }

private:
    const std::uint8_t* _p;
    const std::uint8_t* _end;
};

class Fuzz_host final : public Host {
public:
    Fuzz_host(const Arch_plugin& arch, Input& in, std::size_t physical_bytes, Word user_top);
    // Called at every wait(): the kernel's state between two events.
    void set_check(std::function<void()> check) { _check = std::move(check); }

    // Tasks of the box's own arch only: the fuzzer runs one arch at a time.
    Task_handle create_task(std::string_view arch = {}) override;
    Thread_handle create_thread(Task_handle task) override;
    void destroy_thread(Thread_handle t) override { _threads.erase(t); }
    void destroy_task(Task_handle task) override;
    void kill_all() override { _threads.clear(), _tasks.clear(); }

    void get_regs(Thread_handle t, std::span<std::byte> regs) override;
    bool set_regs(Thread_handle t, std::span<const std::byte> regs) override;
    void set_utcb_pointer(Thread_handle t, Word local_id) override { thread(t).utcb = local_id; }

    void map(Task_handle task, Word vaddr, Word size, Word phys, unsigned rights) override;
    void unmap(Task_handle task, Word vaddr, Word size) override;
    void protect(Task_handle task, Word vaddr, Word size, unsigned rights) override;
    std::size_t mapping_budget() const override { return 64; }
    // As on Linux: the lowest 64 KiB are reached one stepped instruction at
    // a time; the step's outcome comes from the input.
    Word low_limit() const override { return 0x10000; }
    Word low_alias() const override { return _user_top + (Word(1) << 23); }
    Host_event step(Thread_handle t, std::span<std::byte> regs) override;

    void place(Thread_handle t, unsigned) override { thread(t); }
    void resume(Thread_handle t) override { thread(t).running = true; }
    void interrupt(Thread_handle t) override { thread(t).interrupted = true; }
    Host_event wait(std::optional<std::chrono::nanoseconds> timeout) override;
    Host_event stop(Thread_handle t) override;

    std::span<std::byte> physical() override { return _memory; }
    Word kip_stubs_address() const override { return _user_top; }
    std::span<const std::byte> kip_stub_code() const override { return {}; }
    std::pair<Word, Word> reserved_range() const override { return {_user_top, _user_top + (Word(1) << 24)}; }
    std::optional<Task_layout> task_layout(std::string_view) override { return std::nullopt; }

private:
    struct Thread {
        Task_handle task;
        std::vector<std::byte> regs;
        Word utcb = 0;
        bool running = false, interrupted = false;
    };
    struct Task {
        std::map<Word, Word> pages;  // vaddr -> frame of what is mapped
        unsigned threads = 0;
    };
    Thread& thread(Thread_handle t);
    void check_range(Task_handle task, Word vaddr, Word size) const;
    void scribble_message(const Thread& t);
    Word word();

    const Arch_plugin& _arch;
    Input& _in;
    std::vector<std::byte> _memory;
    Word _user_top;
    std::map<Thread_handle, Thread> _threads;
    std::map<Task_handle, Task> _tasks;
    int _next = 100;
    unsigned _waits = 0;
    std::function<void()> _check;
};

}  // namespace umol4::fuzz
