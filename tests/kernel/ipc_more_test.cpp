// More IPC state machines checked in-process (X.2 sections 2.2, 2.3, 2.8,
// 3 and 4): send timeouts, ReplyWait, anylocal, propagation, page-fault IPC
// and halting.
#include <gtest/gtest.h>

#include "tests/kernel/test_box.hpp"

namespace umol4::testing {
namespace {

constexpr Word any = ~Word(0);
constexpr Word anylocal = ~Word(0) << 6;

TEST(Ipc, ASendTimeoutExpiresWithCode1OfTheSendPhaseAndNoReceivePhase)
{
    Test_box box;
    Word a = box.thread(1);
    Word error = 0, before = 0, after = 0;
    Word silent = box.entry([](L4_thread&) -> Program { co_return; });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(a, 1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(a, silent));
        before = (co_await me.call(Syscall::SystemClock)).out(0);
        me.set_mr(0, tag(1, 0));
        co_await me.call(Syscall::Ipc, a, a, timeouts(microseconds(3000), never));  // a Call that cannot send
        error = me.utcb(tcr::error_code);
        after = (co_await me.call(Syscall::SystemClock)).out(0);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(error, 0x2u) << "timeout (1) in the send phase";
    EXPECT_GE(after - before, 3000u);
}

TEST(Ipc, AReplyWaitWhoseReplyFailsReturnsTheSendErrorWithoutWaiting)
{
    Test_box box;
    Word a = box.thread(1);
    Word error = 0, from = 1;
    Word silent = box.entry([](L4_thread&) -> Program { co_return; });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(a, 1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(a, silent));
        co_await me.call(Syscall::ThreadSwitch, a);
        me.set_mr(0, tag(1, 0));
        // a does not wait for the root: the zero-timeout reply fails.
        from = (co_await me.call(Syscall::Ipc, a, any, timeouts(zero_time, never))).out(0);
        error = me.utcb(tcr::error_code);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(error, 0x2u) << "the send phase's timeout, and no receive phase";
}

TEST(Ipc, AnylocalAcceptsOnlySendersOfTheReceiversSpace)
{
    Test_box box;
    Word local = box.thread(1), foreign = box.thread(2);
    std::vector<Word> labels;
    auto sender = [&](Word label) {
        return [&, label](L4_thread& me) -> Program {
            me.set_mr(0, tag(label, 0));
            co_await me.call(Syscall::Ipc, box.root_id(), 0, timeouts(never, never));
        };
    };
    Word local_entry = box.entry(sender(0x10)), foreign_entry = box.entry(sender(0x20));
    box.root([&](L4_thread& me) -> Program {
        // A second space: the foreign thread's, set up like a root task's.
        co_await me.call(Syscall::ThreadControl, foreign, foreign, box.root_id(), 0, ~Word(0));
        co_await me.call(Syscall::SpaceControl, foreign, 0, 0xBFF00000 | (12 << 4), 0xBF000000 | (18 << 4), 0);
        // The root is its pager: its startup message starts it (MR1 IP, MR2 SP).
        co_await me.call(Syscall::ThreadControl, foreign, foreign, 0, box.root_id(), box.utcb_slot(0));
        me.set_mr(0, tag(0, 2));
        me.set_mr(1, foreign_entry);
        me.set_mr(2, 0x8000);
        co_await me.call(Syscall::Ipc, foreign, 0, timeouts(never, never));
        co_await me.call(Syscall::ThreadControl, box.in_root_space(local, 1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(local, local_entry));
        co_await me.call(Syscall::ThreadSwitch, foreign);  // queued first
        co_await me.call(Syscall::ThreadSwitch, local);
        for (int i = 0; i < 2; ++i) {
            co_await me.call(Syscall::Ipc, 0, anylocal, timeouts(never, zero_time));
            labels.push_back(me.utcb(tcr::error_code) ? 0 : me.mr(0) >> 16);
        }
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(labels, (std::vector<Word>{0x10, 0})) << "the local sender, then nothing: the foreign one stays queued";
}

TEST(Ipc, APropagatedMessageNamesTheVirtualSenderAndTellsTheActualOne)
{
    Test_box box;
    Word v = box.thread(1), p = box.thread(2);
    Word from = 0, got_tag = 0, actual = 0;
    Word virtual_sender = box.entry([&](L4_thread& me) -> Program {
        // V Calls P, which forwards the request to the root on V's behalf.
        me.set_mr(0, tag(0x30, 0));
        co_await me.call(Syscall::Ipc, p, p, timeouts(never, never));
    });
    Word propagator = box.entry([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::Ipc, 0, v, timeouts(never, never));
        me.set_utcb(tcr::virtual_sender, v);
        me.set_mr(0, layout::Msg_tag{tag(0x31, 0)}.set_propagated(1).raw);
        co_await me.call(Syscall::Ipc, box.root_id(), 0, timeouts(never, never));
    });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(v, 1));
        co_await me.call(Syscall::ThreadControl, box.in_root_space(p, 2));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(p, propagator));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(v, virtual_sender));
        from = (co_await me.call(Syscall::Ipc, 0, any, timeouts(never, never))).out(0);
        got_tag = me.mr(0);
        actual = me.utcb(tcr::virtual_sender);
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(from, box.local_id(1)) << "V, in the receiver's space: its local id";
    EXPECT_EQ(layout::Msg_tag{got_tag}.propagated(), 1u);
    EXPECT_EQ(layout::Msg_tag{got_tag}.label(), 0x31u);
    EXPECT_EQ(actual, p) << "ActualSender";
}

TEST(Faults, AFetchFaultBecomesAPageFaultMessageToThePagerAndTheReplyResumesTheThread)
{
    Test_box box;
    Word faulter = box.thread(1), pager = box.thread(2);
    const Word code = Test_box::root_entry + 0x20000;
    Word got_tag = 0, got_address = 0, got_ip = 0, from = 0;
    bool resumed = false;
    Word fault_entry = box.entry([&](L4_thread& me) -> Program {
        co_await me.touch(code, code);  // fetching its first instruction
        resumed = true;
    });
    Word pager_entry = box.entry([&](L4_thread& me) -> Program {
        from = (co_await me.call(Syscall::Ipc, 0, any, timeouts(never, never))).out(0);
        got_tag = me.mr(0);
        got_address = me.mr(1);
        got_ip = me.mr(2);
        me.set_mr(0, 0);  // nothing mapped: the instruction runs again
        co_await me.call(Syscall::Ipc, from, 0, timeouts(zero_time, never));
    });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(pager, 2));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(pager, pager_entry));
        co_await me.call(Syscall::ThreadSwitch, pager);
        co_await me.call(Syscall::ThreadControl, faulter, box.root_id(), box.root_id(), pager, box.utcb_slot(1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(faulter, fault_entry));
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    const Word word_mask = box.kernel().ids().mask();
    EXPECT_EQ(got_tag, ipc::kernel_tag(word_mask, 2, 1, 2)) << "label -2<<4 | x, two words";
    EXPECT_EQ(got_address, code);
    EXPECT_EQ(got_ip, code);
    EXPECT_EQ(from, box.local_id(1));
    EXPECT_TRUE(resumed);
}

TEST(ExchangeRegisters, AHaltedThreadDoesNotRunUntilResumedAndReportsH)
{
    Test_box box;
    Word a = box.thread(1);
    int runs_while_halted = -1, runs_after = -1;
    int runs = 0;
    Word halted_state = 0;
    Word counter = box.entry([&](L4_thread& me) -> Program {
        for (;;) {
            ++runs;
            co_await me.call(Syscall::ThreadSwitch, 0);
        }
    });
    box.root([&](L4_thread& me) -> Program {
        co_await me.call(Syscall::ThreadControl, box.in_root_space(a, 1));
        co_await me.call(Syscall::ExchangeRegisters, Test_box::start(a, counter));
        co_await me.call(Syscall::ExchangeRegisters, a, 0x101, 0, 0, 0, 0, 0);  // h, H: halt
        int before = runs;
        for (int i = 0; i < 3; ++i) co_await me.call(Syscall::ThreadSwitch, a);
        runs_while_halted = runs - before;
        halted_state = (co_await me.call(Syscall::ExchangeRegisters, a, 0x100, 0, 0, 0, 0, 0)).out(1);  // h: resume
        before = runs;
        co_await me.call(Syscall::ThreadSwitch, a);
        runs_after = runs - before;
        co_await me.call(Syscall::ThreadControl, Test_box::deletion(a));
    });
    EXPECT_EQ(box.run(), Box_exit::finished) << box.kernel().exit_reason();
    EXPECT_EQ(runs_while_halted, 0);
    EXPECT_EQ(halted_state & 1, 1u) << "H: it was halted";
    EXPECT_GE(runs_after, 1);
}

}  // namespace
}  // namespace umol4::testing
