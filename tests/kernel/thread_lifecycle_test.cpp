// Threads created, aborted and deleted (X.2 sections 2.10, 4 and 5) checked
// in-process: what partners in IPC see, and what the host gets back.
#include <gtest/gtest.h>

#include "tests/kernel/test_box.hpp"

namespace umol4::testing {
namespace {

constexpr Word any = ~Word(0);

TEST(ExchangeRegisters, AbortingABlockedReceiveGivesTheThreadCode3AndReportsR)
{
    Test_box box;
    Word a = box.thread(1);
    Word error = 0, old_control = 0, result_tag = 0;
    Word waiter = box.entry([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::Ipc, 0, box.root_id(), timeouts(never, never));
        result_tag = me.mr(0);
        error = me.utcb(tcr::error_code);
    });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(a, 1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(a, waiter));
        co_await me.call(Syscall::ThreadSwitch, a);
        Result r = co_await me.call(Syscall::ExchangeRegisters, a, 0x2, 0, 0, 0, 0, 0);  // R
        old_control = r.out(1);
        co_await me.call(Syscall::ThreadSwitch, a);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(old_control & 0x7, 0x2u) << "it was receiving";
    EXPECT_NE(result_tag & tag_error, 0u);
    EXPECT_EQ(error, 0x7u) << "canceled (3) in the receive phase";
}

TEST(ExchangeRegisters, AbortingABlockedSendGivesTheThreadCode3AndReportsS)
{
    Test_box box;
    Word a = box.thread(1);
    Word error = 0, old_control = 0;
    Word sender = box.entry([&](L4_thread& me) -> Program {
        me.set_mr(0, tag(1, 0));
        co_await me.call(Syscall::Ipc, box.root_id(), 0, timeouts(never, never));
        error = me.utcb(tcr::error_code);
    });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(a, 1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(a, sender));
        co_await me.call(Syscall::ThreadSwitch, a);
        Result r = co_await me.call(Syscall::ExchangeRegisters, a, 0x4, 0, 0, 0, 0, 0);  // S
        old_control = r.out(1);
        co_await me.call(Syscall::ThreadSwitch, a);
        // The aborted sender is no longer queued: nothing to receive.
        co_await me.call(Syscall::Ipc, 0, any, timeouts(never, zero_time));
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(old_control & 0x7, 0x4u) << "it was sending";
    EXPECT_EQ(error, 0x6u) << "canceled (3) in the send phase";
}

TEST(ThreadControl, DeletingAReceiverWakesTheThreadsQueuedToSendToItWithCode2)
{
    Test_box box;
    Word a = box.thread(1), b = box.thread(2);
    Word error = 0, result_tag = 0;
    Word silent = box.entry([](L4_thread&) -> Program { co_return; });
    Word sender = box.entry([&](L4_thread& me) -> Program {
        me.set_mr(0, tag(1, 0));
        co_await me.call(Syscall::Ipc, a, 0, timeouts(never, never));
        result_tag = me.mr(0);
        error = me.utcb(tcr::error_code);
    });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(a, 1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(a, silent));
        co_await me.call(Syscall::ThreadControl, box.in_root_space(b, 2));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(b, sender));
        co_await me.call(Syscall::ThreadSwitch, b);  // b queues on a
        co_await me.call(Syscall::ThreadControl, Test_box::deletion(a));
        co_await me.call(Syscall::ThreadSwitch, b);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_NE(result_tag & tag_error, 0u);
    EXPECT_EQ(error, 0x4u) << "non-existent partner (2) in the send phase";
}

TEST(ThreadControl, DeletingTheThreadAReceiverWaitsForWakesItWithCode2)
{
    Test_box box;
    Word a = box.thread(1);
    Word error = 0;
    Word waiter = box.entry([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::Ipc, 0, box.thread(2), timeouts(never, never));
        error = me.utcb(tcr::error_code);
    });
    Word silent = box.entry([](L4_thread&) -> Program { co_return; });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(box.thread(2), 2));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(box.thread(2), silent));
        co_await me.call(Syscall::ThreadControl, box.in_root_space(a, 1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(a, waiter));
        co_await me.call(Syscall::ThreadSwitch, a);  // a waits for thread 2
        co_await me.call(Syscall::ThreadControl, Test_box::deletion(box.thread(2)));
        co_await me.call(Syscall::ThreadSwitch, a);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(error, 0x5u) << "non-existent partner (2) in the receive phase";
}

TEST(ThreadControl, DeletedThreadsGiveTheirHostThreadBackAndIdsTurnInvalid)
{
    Test_box box;
    Word a = box.thread(1);
    Word result = 0, error = 0;
    std::size_t threads_with_a = 0, threads_after = 0;
    Word silent = box.entry([](L4_thread&) -> Program { co_return; });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(a, 1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(a, silent));
        threads_with_a = box.host().threads_alive();
        co_await me.call(Syscall::ThreadControl, Test_box::deletion(a));
        threads_after = box.host().threads_alive();
        result = (co_await me.call(Syscall::ExchangeRegisters, a, 0, 0, 0, 0, 0, 0)).out(0);
        error = me.utcb(tcr::error_code);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(threads_after + 1, threads_with_a);
    EXPECT_EQ(result, 0u) << "ExchangeRegisters on a deleted thread gives nil";
    EXPECT_EQ(error, 2u) << "invalid thread";
}

TEST(ThreadControl, DeletingTheLastThreadOfASpaceEndsItsTask)
{
    Test_box box;
    Word a = box.thread(1);
    std::size_t tasks_with_space = 0, tasks_after = 0;
    Word ok = 0;
    box.root([&](L4_thread& me) -> Program {
        // An inactive thread in a space of its own (pager nil: no SpaceControl needed).
        ok = (co_await me.call(Syscall::ThreadControl, a, a, box.root_id(), 0, ~Word(0))).out(0);
        tasks_with_space = box.host().tasks_alive();
        co_await me.call(Syscall::ThreadControl, Test_box::deletion(a));
        tasks_after = box.host().tasks_alive();
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(ok, 1u);
    EXPECT_EQ(tasks_after + 1, tasks_with_space);
}

TEST(ThreadControl, RunningOutOfHostThreadsIsErrorCode8AndTheBoxGoesOn)
{
    Test_box box;
    box.host().limit_threads_per_task(3);  // the root task's: the root and two more
    Word first = 0, second = 0, error = 0;
    box.root([&](L4_thread& me) -> Program {
        first = (co_await me.call(Syscall::ThreadControl, box.in_root_space(box.thread(1), 1))).out(0);
        second = (co_await me.call(Syscall::ThreadControl, box.in_root_space(box.thread(2), 2))).out(0);
        second += (co_await me.call(Syscall::ThreadControl, box.in_root_space(box.thread(3), 3))).out(0);
        error = me.utcb(tcr::error_code);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(first, 1u);
    EXPECT_EQ(second, 1u) << "one of the two fits, the other does not";
    EXPECT_EQ(error, 8u) << "out of memory";
}

}  // namespace
}  // namespace umol4::testing
