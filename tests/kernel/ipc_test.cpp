// IPC state machines (X.2 section 2) checked in-process: rendezvous, the
// sender queue, timeouts on the virtual clock, errors of each phase.
#include <gtest/gtest.h>

#include "tests/kernel/test_box.hpp"

namespace umol4::testing {
namespace {

constexpr Word any = ~Word(0);

TEST(Ipc, ASendToAWaitingReceiverDeliversTheWordsAndTheSendersLocalId)
{
    Test_box box;
    Word a = box.thread(1);
    Word got_tag = 0, got_from = 0, got_mr1 = 0, got_mr2 = 0, send_tag = 0;
    Word receiver = box.entry([&](L4_thread& me) -> Program {
        Result r = co_await me.call(Syscall::Ipc, 0, any, timeouts(never, never));
        got_from = r.out(0);
        got_tag = me.mr(0);
        got_mr1 = me.mr(1);
        got_mr2 = me.mr(2);
    });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(a, 1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(a, receiver));
        co_await me.call(Syscall::ThreadSwitch, a);  // it reaches its Wait
        me.set_mr(0, tag(0x42, 2));
        me.set_mr(1, 11);
        me.set_mr(2, 22);
        co_await me.call(Syscall::Ipc, a, 0, timeouts(never, never));
        send_tag = me.mr(0);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(got_from, box.local_id(0)) << "a sender of the same space is named by its local id";
    EXPECT_EQ(got_tag, tag(0x42, 2));
    EXPECT_EQ(got_mr1, 11u);
    EXPECT_EQ(got_mr2, 22u);
    EXPECT_EQ(send_tag & tag_error, 0u);
}

TEST(Ipc, AReceiveTimeoutExpiresOnTheVirtualClockWithCode1OfTheReceivePhase)
{
    Test_box box;
    Word a = box.thread(1);
    Word result_tag = 0, error = 0, before = 0, after = 0;
    Word silent = box.entry([](L4_thread&) -> Program { co_return; });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(a, 1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(a, silent));
        before = (co_await me.call(Syscall::SystemClock)).out(0);
        co_await me.call(Syscall::Ipc, 0, a, timeouts(never, microseconds(5000)));
        result_tag = me.mr(0);
        error = me.utcb(tcr::error_code);
        after = (co_await me.call(Syscall::SystemClock)).out(0);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_NE(result_tag & tag_error, 0u);
    EXPECT_EQ(error, 0x3u) << "timeout (1) in the receive phase";
    EXPECT_GE(after - before, 5000u);
}

TEST(Ipc, ASendToAThreadThatDoesNotExistFailsWithCode2AndNoReceivePhase)
{
    Test_box box;
    Word error = 0, result_tag = 0;
    box.root([&](L4_thread& me) -> Program {
        me.set_mr(0, tag(1, 0));
        co_await me.call(Syscall::Ipc, box.thread(7), box.thread(7), timeouts(never, never));
        result_tag = me.mr(0);
        error = me.utcb(tcr::error_code);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_NE(result_tag & tag_error, 0u);
    EXPECT_EQ(error, 0x4u) << "non-existent partner (2) in the send phase";
}

TEST(Ipc, AZeroSendTimeoutToAThreadNotReceivingFailsAtOnce)
{
    Test_box box;
    Word a = box.thread(1);
    Word error = 0;
    Word silent = box.entry([](L4_thread&) -> Program { co_return; });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(a, 1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(a, silent));
        me.set_mr(0, tag(1, 0));
        // a waits for itself (L4_Sleep), not for the root: not ready.
        co_await me.call(Syscall::ThreadSwitch, a);
        co_await me.call(Syscall::Ipc, a, 0, timeouts(zero_time, never));
        error = me.utcb(tcr::error_code);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(error, 0x2u) << "timeout (1) in the send phase";
}

TEST(Ipc, BlockedSendersAreReceivedInTheOrderTheyQueued)
{
    Test_box box;
    Word a = box.thread(1), b = box.thread(2);
    std::vector<Word> order;
    auto sender = [&](Word label) {
        return [&, label](L4_thread& me) -> Program {
            me.set_mr(0, tag(label, 0));
            co_await me.call(Syscall::Ipc, box.root_id(), 0, timeouts(never, never));
        };
    };
    Word ea = box.entry(sender(0xA)), eb = box.entry(sender(0xB));
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(a, 1));
        co_await me.call(Syscall::ThreadControl, box.in_root_space(b, 2));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(b, eb));
        co_await me.call(Syscall::ThreadSwitch, b);  // b queues first
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(a, ea));
        co_await me.call(Syscall::ThreadSwitch, a);
        for (int i = 0; i < 2; ++i) {
            co_await me.call(Syscall::Ipc, 0, any, timeouts(never, zero_time));
            order.push_back(me.mr(0) >> 16);
        }
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(order, (std::vector<Word>{0xB, 0xA}));
}

TEST(Ipc, ACallerGetsTheReplyOfTheThreadItCalled)
{
    Test_box box;
    Word a = box.thread(1);
    Word reply_label = 0, reply_word = 0, from = 0;
    Word server = box.entry([&](L4_thread& me) -> Program {
        Result r = co_await me.call(Syscall::Ipc, 0, any, timeouts(never, never));
        Word client = r.out(0), x = me.mr(1);
        me.set_mr(0, tag((me.mr(0) >> 16) + 1, 1));
        me.set_mr(1, x * 2);
        co_await me.call(Syscall::Ipc, client, 0, timeouts(zero_time, never));
    });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(a, 1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(a, server));
        me.set_mr(0, tag(0x10, 1));
        me.set_mr(1, 21);
        Result r = co_await me.call(Syscall::Ipc, a, a, timeouts(never, never));
        from = r.out(0);
        reply_label = me.mr(0) >> 16;
        reply_word = me.mr(1);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(reply_label, 0x11u);
    EXPECT_EQ(reply_word, 42u);
    EXPECT_EQ(from, box.local_id(1));
}

TEST(Ipc, ToAndFromNilReturnsAtOnceAndChangesNothing)
{
    Test_box box;
    Word result_tag = 0;
    box.root([&](L4_thread& me) -> Program {
        me.set_mr(0, tag(5, 0));
        co_await me.call(Syscall::Ipc, 0, 0, timeouts(never, never));
        result_tag = me.mr(0);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(result_tag & tag_error, 0u);
}

}  // namespace
}  // namespace umol4::testing
