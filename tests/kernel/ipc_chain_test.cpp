// Queues as long as L4 code makes them cost the core no stack (hostile-code
// finding 12): a chain of threads, each sending to the one before it and
// then receiving, is delivered in one receive of the first, and the kernel
// walks the chain in a loop.  The box runs on 32 KiB of stack:
// the kernel's paths need less than 16, and a recursion over the chain's
// 250 links (about 180 bytes a link) overflowed 48.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <functional>
#include <unordered_map>

#include "tests/kernel/test_box.hpp"

namespace umol4::testing {
namespace {

constexpr Word any = ~Word(0);

// Runs f on a stack of `bytes` with an inaccessible page below it (an
// overflow is a crash, not a corruption).  A context of our own, not a
// thread: some arches refuse thread stacks below 128 KiB.
void on_small_stack(std::size_t bytes, std::function<void()> f)
{
    const std::size_t guard = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    void* area = mmap(nullptr, guard + bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(area, MAP_FAILED);
    ASSERT_EQ(mprotect(area, guard, PROT_NONE), 0);
    static std::function<void()>* job;
    static ucontext_t caller, small;
    job = &f;
    ASSERT_EQ(getcontext(&small), 0);
    small.uc_stack.ss_sp = static_cast<char*>(area) + guard;
    small.uc_stack.ss_size = bytes;
    small.uc_link = &caller;
    makecontext(&small, [] { (*job)(); }, 0);
    ASSERT_EQ(swapcontext(&caller, &small), 0);
    munmap(area, guard + bytes);
}

TEST(Ipc, AChainOfQueuedSendersIsDeliveredWithoutAStackFrameALink)
{
    constexpr unsigned links = 250;  // the root space's UTCB area holds 256
    Test_box box;
    box.host().limit_threads_per_task(links + 2);
    box.kernel().set_checking(false);  // the invariants' walk is O(threads) per event
    std::vector<Word> got(links + 1, 0);
    std::unordered_map<Word, unsigned> number;
    for (unsigned k = 1; k <= links; ++k) number[box.thread(k)] = k;
    auto link = [&](L4_thread& me) -> Program {
        unsigned k = number.at(me.my_id());
        Word to = k == 1 ? box.root_id() : box.thread(k - 1);
        me.set_mr(0, tag(0, 1));
        me.set_mr(1, k);
        co_await me.call(Syscall::Ipc, to, any, timeouts(never, never));
        got[k] = me.mr(1);
    };
    Word entry = box.entry(link);
    unsigned root_got = 0;
    box.root([&](L4_thread& me) -> Program {
        // Thread k starts when the one before it waits in its send phase,
        // so each queues behind its predecessor.
        for (unsigned k = 1; k <= links; ++k) {
            Word t = box.thread(k);
            co_await me.call(Syscall::ThreadControl, box.in_root_space(t, k));
            co_await me.call(Syscall::ExchangeRegisters, Test_box::start(t, entry));
            co_await me.call(Syscall::ThreadSwitch, t);
        }
        co_await me.call(Syscall::Ipc, 0, any, timeouts(never, zero_time));
        root_got = static_cast<unsigned>(me.mr(1));
    });
    Box_exit exit{};
    on_small_stack(32 << 10, [&] { exit = box.run(); });
    EXPECT_EQ(exit, Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(root_got, 1u);
    unsigned right = 0;
    for (unsigned k = 1; k < links; ++k) right += got[k] == k + 1;
    EXPECT_EQ(right, links - 1);
}

}  // namespace
}  // namespace umol4::testing
