// A Host inside the test's process whose L4 threads are C++ coroutines: a
// thread's program co_awaits system calls (made the way its KIP stub traps
// with them) and reads the kernel's results from its registers and UTCB,
// so kernel semantics are checked without booting a box: no Linux task,
// no real time (the kernel runs on its virtual clock), the same run every
// time.
#pragma once

#include <coroutine>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "core/arch_plugin.hpp"
#include "core/host/host.hpp"

namespace umol4::testing {

class Scripted_host;
class L4_thread;

// The program of one L4 thread.  It starts when the kernel first runs the
// thread at the program's entry address; when it returns, the thread
// waits forever (L4_Sleep(never)).
class Program {
public:
    struct promise_type {
        Program get_return_object() { return Program(std::coroutine_handle<promise_type>::from_promise(*this)); }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() {}
        void unhandled_exception() { throw; }
    };
    explicit Program(std::coroutine_handle<promise_type> h) : _h(h) {}
    Program(Program&& o) noexcept : _h(std::exchange(o._h, {})) {}
    Program& operator=(Program&& o) noexcept
    {
        std::swap(_h, o._h);
        return *this;
    }
    ~Program()
    {
        if (_h) _h.destroy();
    }
    bool done() const { return !_h || _h.done(); }
    void resume() { _h.resume(); }

private:
    std::coroutine_handle<promise_type> _h;
};

using Program_fn = std::function<Program(L4_thread&)>;

// What a system call gave back: its outputs, and MR0.. as the thread reads
// them afterwards (register MRs already stored into the UTCB).
struct Result {
    Syscall_frame frame;
    Word out(unsigned i) const { return frame.out[i]; }
};

// An L4 thread as its own code sees it: registers, UTCB, system calls.
class L4_thread {
public:
    L4_thread(Scripted_host& host, Thread_handle handle) : _host(host), _handle(handle) {}

    // A system call of the given inputs: `co_await me.call(Syscall::Ipc, to, from, timeouts)`.
    // MR0..MRn that the call moves in registers are taken from the UTCB.
    class Awaiter {
    public:
        Awaiter(L4_thread& t, Syscall call, std::vector<Word> in) : _t(t), _call(call), _in(std::move(in)) {}
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<>) { _t.trap(_call, _in); }
        Result await_resume() { return _t.result(_call); }

    private:
        L4_thread& _t;
        Syscall _call;
        std::vector<Word> _in;
    };
    // (Inputs as separate words: GCC 12 cannot keep a braced list across a co_await.)
    template <class... W>
    Awaiter call(Syscall c, W... in)
    {
        return Awaiter(*this, c, std::vector<Word>{static_cast<Word>(in)...});
    }
    Awaiter call(Syscall c, std::vector<Word> in) { return Awaiter(*this, c, std::move(in)); }

    // An access to `address` that the host reports as a memory fault, made
    // by the instruction at `pc`; resumed, the thread goes on past it (as if
    // the instruction ran once its page was there).
    class Fault {
    public:
        Fault(L4_thread& t, Word address, Word pc) : _t(t), _address(address), _pc(pc) {}
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<>) { _t.fault(_address, _pc); }
        void await_resume() {}

    private:
        L4_thread& _t;
        Word _address, _pc;
    };
    Fault touch(Word address, Word pc) { return Fault(*this, address, pc); }

    // UTCB words by index from MR0 (MRs >= 0, TCRs < 0, as in core tcr::).
    Word utcb(int index) const;
    void set_utcb(int index, Word value);
    Word mr(unsigned i) const { return utcb(static_cast<int>(i)); }
    void set_mr(unsigned i, Word value) { set_utcb(static_cast<int>(i), value); }
    Word my_id() const;
    Thread_handle handle() const { return _handle; }

private:
    friend class Scripted_host;
    void trap(Syscall call, const std::vector<Word>& in);
    void fault(Word address, Word pc);
    Result result(Syscall call);

    Scripted_host& _host;
    Thread_handle _handle;
};

class Scripted_host final : public Host {
public:
    Scripted_host(const Arch_plugin& arch, std::size_t physical_bytes, Word stubs_address);
    ~Scripted_host() override;

    // The program a thread runs when the kernel starts it at `entry`.
    void at(Word entry, Program_fn program) { _programs[entry] = std::move(program); }
    // A host resource a test runs out of: threads a task may hold.
    void limit_threads_per_task(unsigned n) { _threads_per_task = n; }
    const Arch_plugin& arch() const { return _arch; }

    Task_handle create_task(std::string_view arch = {}) override;
    Thread_handle create_thread(Task_handle task) override;
    void destroy_thread(Thread_handle t) override;
    void destroy_task(Task_handle task) override;
    void kill_all() override;

    void get_regs(Thread_handle t, std::span<std::byte> regs) override;
    bool set_regs(Thread_handle t, std::span<const std::byte> regs) override;
    void set_utcb_pointer(Thread_handle t, Word local_id) override { thread(t).utcb = local_id; }

    void map(Task_handle task, Word vaddr, Word size, Word phys, unsigned rights) override;
    void unmap(Task_handle task, Word vaddr, Word size) override;
    void protect(Task_handle, Word, Word, unsigned) override {}
    std::size_t mapping_budget() const override { return 1024; }
    Word low_limit() const override { return 0x10000; }
    Word low_alias() const override { return _stubs + (Word(1) << 23); }
    Host_event step(Thread_handle t, std::span<std::byte> regs) override;

    void place(Thread_handle t, unsigned) override { thread(t); }
    void resume(Thread_handle t) override { thread(t).running = true; }
    void interrupt(Thread_handle t) override { thread(t).interrupted = true; }
    Host_event wait(std::optional<std::chrono::nanoseconds> timeout) override;
    Host_event stop(Thread_handle t) override;

    std::span<std::byte> physical() override { return _memory; }
    Word kip_stubs_address() const override { return _stubs; }
    std::span<const std::byte> kip_stub_code() const override { return {}; }
    std::pair<Word, Word> reserved_range() const override { return {_stubs, _stubs + (Word(1) << 24)}; }
    std::optional<Task_layout> task_layout(std::string_view) override { return std::nullopt; }

    // Linux threads alive now (what deletion must give back).
    std::size_t threads_alive() const { return _threads.size(); }
    std::size_t tasks_alive() const { return _tasks.size(); }

private:
    friend class L4_thread;
    struct Thread {
        Task_handle task;
        std::vector<std::byte> regs;
        Word utcb = 0;
        bool running = false, interrupted = false;
        std::unique_ptr<L4_thread> self;
        std::optional<Program> program;
        Host_event next;  // the stop its program asked for
    };
    struct Task {
        std::map<Word, Word> pages;  // vaddr -> frame of what is mapped
        unsigned threads = 0;
    };
    Thread& thread(Thread_handle t);
    std::byte* memory_at(const Thread& t, Word vaddr);
    // Runs the thread's program up to its next stop.
    Host_event run_program(Thread& t);

    const Arch_plugin& _arch;
    std::vector<std::byte> _memory;
    Word _stubs;
    std::map<Word, Program_fn> _programs;
    std::map<Thread_handle, Thread> _threads;
    std::map<Task_handle, Task> _tasks;
    unsigned _threads_per_task = 64;
    int _next = 100;
    static constexpr unsigned long max_stops = 100000;
    unsigned long _stops = 0;
};

}  // namespace umol4::testing
