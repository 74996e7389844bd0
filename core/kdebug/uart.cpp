// 16550 register model: enough for polled console drivers (no interrupts yet).
#include "core/kdebug/uart.hpp"

namespace umol4 {
namespace {

enum : unsigned { data = 0, ier = 1, iir_fcr = 2, lcr = 3, mcr = 4, lsr = 5, msr = 6, scr = 7 };
constexpr std::uint8_t lsr_data_ready = 0x01, lsr_thr_empty = 0x20, lsr_idle = 0x40;
constexpr std::uint8_t lcr_dlab = 0x80;

}  // namespace

std::uint32_t Uart::in(unsigned port, unsigned)
{
    switch (port - _base) {
    case data:
        if (_lcr & lcr_dlab) return _dll;
        return static_cast<std::uint8_t>(_console.read(false).value_or(0));
    case ier: return (_lcr & lcr_dlab) ? _dlm : _ier;
    case iir_fcr: return (_fcr & 1) ? 0xC1 : 0x01;  // no interrupt pending
    case lcr: return _lcr;
    case mcr: return _mcr;
    case lsr: return lsr_thr_empty | lsr_idle | (_console.input_ready() ? lsr_data_ready : 0);
    case msr: return 0xB0;  // CTS, DSR, DCD: a cable is attached
    case scr: return _scr;
    }
    return 0xFF;
}

void Uart::out(unsigned port, unsigned, std::uint32_t value)
{
    auto v = static_cast<std::uint8_t>(value);
    switch (port - _base) {
    case data:
        if (_lcr & lcr_dlab) {
            _dll = v;
        } else {
            char c = static_cast<char>(v);
            _console.write({&c, 1});
        }
        break;
    case ier:
        if (_lcr & lcr_dlab) _dlm = v; else _ier = v & 0x0F;
        break;
    case iir_fcr: _fcr = v; break;
    case lcr: _lcr = v; break;
    case mcr: _mcr = v; break;
    case scr: _scr = v; break;
    default: break;  // line and modem status are read-only
    }
}

}  // namespace umol4
