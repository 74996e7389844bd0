// The box console on the umol4 process's terminal: output to stdout, input
// from stdin or a file (--console-input).
#pragma once

#include <string>

#include "core/kdebug/console.hpp"

namespace umol4::linux_host {

class Stdio_console final : public Console {
    int _in = 0;
    bool _own_in = false;
    bool _eof = false;

public:
    // input: "" = standard input; else a file read to its end.
    explicit Stdio_console(const std::string& input);
    ~Stdio_console() override;
    void write(std::string_view text) override;
    std::optional<char> read(bool wait) override;
    bool input_ready() override;
    bool at_end() const override { return _eof; }
};

}  // namespace umol4::linux_host
