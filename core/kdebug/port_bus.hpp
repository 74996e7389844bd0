// The I/O port bus of the box as X.2 programs see it on a PC with IOPL 3:
// the devices it has (the UART) answer their ports; a port nothing decodes
// reads all ones and ignores writes, as on hardware.
#pragma once

#include <cstdint>
#include <vector>

#include "core/arch_traps.hpp"

namespace umol4 {

class Port_bus final : public Port_device {
    std::vector<Port_device*> _devices;

public:
    void attach(Port_device& d) { _devices.push_back(&d); }
    bool claims(unsigned) const override { return true; }
    std::uint32_t in(unsigned port, unsigned size) override
    {
        if (Port_device* d = device(port)) return d->in(port, size);
        return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
    }
    void out(unsigned port, unsigned size, std::uint32_t value) override
    {
        if (Port_device* d = device(port)) d->out(port, size, value);
    }

private:
    Port_device* device(unsigned port) const
    {
        for (Port_device* d : _devices)
            if (d->claims(port)) return d;
        return nullptr;
    }
};

}  // namespace umol4
