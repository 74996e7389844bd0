// The box's console: what L4 programs print (kernel debugger, UART) and
// the characters they read.
#pragma once

#include <optional>
#include <string_view>

namespace umol4 {

class Console {
public:
    virtual ~Console() = default;
    virtual void write(std::string_view text) = 0;
    // Next input character; `wait` blocks until one arrives (nullopt at end
    // of input).  The kernel only waits where input_ready() said so.
    virtual std::optional<char> read(bool wait) = 0;
    // A read would not block: a character or the end of input is there.
    virtual bool input_ready() = 0;
    // The end of input was read: nothing more will come.
    virtual bool at_end() const = 0;
};

}  // namespace umol4
