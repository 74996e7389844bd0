// A 16550 UART at I/O ports 0x3F8-0x3FF wired to the console: transmit
// prints, receive reads console input, line status tells which is possible.
#pragma once

#include <cstdint>

#include "core/arch_traps.hpp"
#include "core/kdebug/console.hpp"

namespace umol4 {

class Uart final : public Port_device {
    Console& _console;
    unsigned _base;
    std::uint8_t _ier = 0, _lcr = 0, _mcr = 0, _scr = 0, _dll = 1, _dlm = 0, _fcr = 0;

public:
    explicit Uart(Console& console, unsigned base = 0x3F8) : _console(console), _base(base) {}
    bool claims(unsigned port) const override { return port >= _base && port < _base + 8; }
    std::uint32_t in(unsigned port, unsigned size) override;
    void out(unsigned port, unsigned size, std::uint32_t value) override;
    // The receive interrupt (IRQ 4 on a PC): enabled in IER and data waiting.
    bool receive_interrupt() { return (_ier & 1) && _console.input_ready(); }
};

}  // namespace umol4
