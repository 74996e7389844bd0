// Kernel: interrupt threads.  Each line below SystemBase is a kernel thread
// that sends its handler an interrupt message (label -1<<4, no words) and
// stays masked until the handler sends it anything (the acknowledgement).
// Sources: line 0, a virtual timer every 10 ms; line 4, the UART's
// receive interrupt.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/kernel.hpp"

namespace umol4 {

namespace {
constexpr auto timer_period = std::chrono::milliseconds(10);
constexpr unsigned timer_line = 0;
constexpr unsigned uart_line = 4;
constexpr auto uart_poll_period = std::chrono::milliseconds(5);
}  // namespace

bool Kernel::associate_interrupt(Tcb& caller, Word dest, Word handler)
{
    (void)caller;
    Word line = _ids.number(dest);
    if (_ids.version(dest) != 1 || line >= _system_base) return false;
    bool detach = handler == dest;
    if (!detach && !lookup(handler)) return false;
    auto it = _threads.find(line);
    if (it == _threads.end()) {
        if (detach) return true;
        auto t = std::make_unique<Tcb>();
        t->id = dest;
        t->space = &_kernel_space;
        t->interrupt_line = static_cast<int>(line);
        t->utcb_frame = allocate_kernel_frame();
        t->priority = 255;
        it = _threads.emplace(line, std::move(t)).first;
    }
    Tcb& irq = *it->second;
    // Re-association withdraws a queued message; detaching disables the line.
    dequeue_sender(irq);
    // Idle (unmasked) interrupt threads are "ready": IPC to them blocks
    // until they have delivered something to acknowledge.
    irq.state = detach ? Thread_state::inactive : Thread_state::ready;
    irq.interrupt_pending = false;
    irq.interrupt_handler = detach ? 0 : handler;
    if (line == timer_line) {
        if (detach) _timer_next.reset();
        else _timer_next = now() + timer_period;
    }
    if (line == uart_line) {
        if (detach) _uart_poll_next.reset();
        else _uart_poll_next = now();
    }
    return true;
}

void Kernel::raise_interrupt(Tcb& irq)
{
    if (!irq.interrupt_handler) return;
    if (irq.state != Thread_state::ready) {
        irq.interrupt_pending = true;  // masked or queued: delivered after the ack
        return;
    }
    // The message: label -1<<4, no words (an acknowledgement overwrote it).
    Word label = ((Word(0) - 1) << 4) & (_ids.mask() >> 16);
    utcb(irq).set_mr(0, label << 16);
    Tcb* handler = lookup(irq.interrupt_handler);
    if (!handler) {
        irq.interrupt_handler = 0;  // the handler is gone: the line detaches
        return;
    }
    if (ready_to_receive_from(*handler, irq)) {
        if (transfer(irq, *handler) == Transfer::done) deliver(irq, *handler);  // untyped: never pending
        complete_ipc(irq, 0, 0);
    } else {
        irq.state = Thread_state::sending;
        irq.partner = handler;
        handler->senders.push_back(&irq);
    }
}

void Kernel::interrupt_acknowledged(Tcb& irq)
{
    irq.state = Thread_state::ready;
    if (irq.interrupt_pending) {
        irq.interrupt_pending = false;
        raise_interrupt(irq);
    }
}

void Kernel::run_timer()
{
    auto t_now = now();
    if (_timer_next && t_now >= *_timer_next) {
        while (*_timer_next <= t_now) *_timer_next += timer_period;
        auto it = _threads.find(timer_line);
        if (it != _threads.end()) raise_interrupt(*it->second);
    }
    // The UART's receive interrupt is level-triggered: it comes again after
    // each acknowledgement while input waits and IER enables it.  Console
    // input is polled while a handler is associated.
    if (_uart_poll_next && t_now >= *_uart_poll_next) {
        _uart_poll_next = t_now + uart_poll_period;
        auto it = _threads.find(uart_line);
        if (it != _threads.end() && it->second->state == Thread_state::ready && _uart.receive_interrupt())
            raise_interrupt(*it->second);
    }
}

}  // namespace umol4
