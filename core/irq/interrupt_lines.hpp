// Interrupt threads.  Each line below SystemBase is a kernel thread that
// sends its handler an interrupt message (label -1<<4, no words) and stays
// masked until the handler sends it anything (the acknowledgement).
// Sources: line 0, a virtual timer every 10 ms; line 4, the UART's receive
// interrupt.
#pragma once

#include <optional>

#include "core/ipc/ipc_engine.hpp"
#include "core/kdebug/uart.hpp"
#include "core/objects/box_memory.hpp"
#include "core/objects/thread_table.hpp"
#include "core/sched/scheduler.hpp"

namespace umol4 {

class Interrupt_lines {
public:
    Interrupt_lines(Thread_table& threads, Ipc_engine& ipc, Box_memory& memory, Scheduler& sched, Uart& uart);

    // ThreadControl on an interrupt thread: handler = dest detaches the
    // line; false: no such line, or the handler does not exist.
    bool associate(Word dest, Word handler);
    // The handler acknowledged: the line is unmasked (a pending interrupt
    // comes at once).
    void acknowledged(Thread& irq);
    // Raises what is due (timer ticks, console input).
    void run();
    std::optional<Clock::time_point> next_deadline() const;

private:
    void raise(Thread& irq);

    Thread_table& _threads;
    Ipc_engine& _ipc;
    Box_memory& _memory;
    Scheduler& _sched;
    Uart& _uart;
    std::optional<Clock::time_point> _timer_next;      // line 0: the virtual timer
    std::optional<Clock::time_point> _uart_poll_next;  // line 4: console input polled
};

}  // namespace umol4
