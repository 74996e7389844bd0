// Interrupt_lines: association, raising, acknowledgement, the timer and UART sources.
#include "core/irq/interrupt_lines.hpp"

namespace umol4 {

namespace {
constexpr auto timer_period = std::chrono::milliseconds(10);
constexpr unsigned timer_line = 0;
constexpr unsigned uart_line = 4;
constexpr auto uart_poll_period = std::chrono::milliseconds(5);
}  // namespace

Interrupt_lines::Interrupt_lines(Thread_table& threads, Ipc_engine& ipc, Box_memory& memory, Scheduler& sched,
                                 Uart& uart)
    : _threads(threads), _ipc(ipc), _memory(memory), _sched(sched), _uart(uart)
{
}

bool Interrupt_lines::associate(Word dest, Word handler)
{
    const Id_format& ids = _threads.ids();
    Word line = ids.number(dest);
    if (ids.version(dest) != 1 || line >= _threads.system_base()) return false;
    bool detach = handler == dest;
    if (!detach && !_threads.lookup(handler)) return false;
    Thread* irq = _threads.by_number(line);
    if (!irq) {
        if (detach) return true;
        irq = &_threads.create_interrupt_thread(dest);
        irq->interrupt_line = static_cast<int>(line);
        irq->utcb_frame = _memory.allocate_kernel_frame();
        irq->priority = 255;
    }
    // Re-association withdraws a queued message; detaching disables the line.
    _ipc.withdraw_send(*irq);
    // Idle (unmasked) interrupt threads are "ready": IPC to them blocks
    // until they have delivered something to acknowledge.
    irq->state = detach ? Thread_state::inactive : Thread_state::ready;
    irq->interrupt_pending = false;
    irq->interrupt_handler = detach ? 0 : handler;
    if (line == timer_line) {
        if (detach) _timer_next.reset();
        else _timer_next = _sched.now() + timer_period;
    }
    if (line == uart_line) {
        if (detach) _uart_poll_next.reset();
        else _uart_poll_next = _sched.now();
    }
    return true;
}

void Interrupt_lines::raise(Thread& irq)
{
    if (!irq.interrupt_handler) return;
    if (irq.state != Thread_state::ready) {
        irq.interrupt_pending = true;  // masked or queued: delivered after the ack
        return;
    }
    // The message: label -1<<4, no words (an acknowledgement overwrote it).
    _memory.utcb(irq).set_mr(0, ipc::kernel_tag(_threads.ids().mask(), 1, 0, 0));
    Thread* handler = _threads.lookup(irq.interrupt_handler);
    if (!handler) {
        irq.interrupt_handler = 0;  // the handler is gone: the line detaches
        return;
    }
    _ipc.send_interrupt(irq, *handler);
}

void Interrupt_lines::acknowledged(Thread& irq)
{
    irq.state = Thread_state::ready;
    if (irq.interrupt_pending) {
        irq.interrupt_pending = false;
        raise(irq);
    }
}

void Interrupt_lines::run()
{
    auto t_now = _sched.now();
    if (_timer_next && t_now >= *_timer_next) {
        while (*_timer_next <= t_now) *_timer_next += timer_period;
        if (Thread* irq = _threads.by_number(timer_line)) raise(*irq);
    }
    // The UART's receive interrupt is level-triggered: it comes again after
    // each acknowledgement while input waits and IER enables it.  Console
    // input is polled while a handler is associated.
    if (_uart_poll_next && t_now >= *_uart_poll_next) {
        _uart_poll_next = t_now + uart_poll_period;
        Thread* irq = _threads.by_number(uart_line);
        if (irq && irq->state == Thread_state::ready && _uart.receive_interrupt()) raise(*irq);
    }
}

std::optional<Clock::time_point> Interrupt_lines::next_deadline() const
{
    std::optional<Clock::time_point> d = _timer_next;
    if (_uart_poll_next && (!d || *_uart_poll_next < *d)) d = _uart_poll_next;
    return d;
}

}  // namespace umol4
