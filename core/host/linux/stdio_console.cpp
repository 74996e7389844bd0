// Stdio_console: unbuffered writes, polled reads.
#include "core/host/linux/stdio_console.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/boot/boot_error.hpp"

namespace umol4::linux_host {

Stdio_console::Stdio_console(const std::string& input)
{
    if (!input.empty()) {
        _in = open(input.c_str(), O_RDONLY | O_CLOEXEC);
        if (_in < 0) throw Boot_error(fmt::format("{}: {}", input, std::strerror(errno)));
        _own_in = true;
    }
}

Stdio_console::~Stdio_console()
{
    if (_own_in) close(_in);
}

void Stdio_console::write(std::string_view text)
{
    while (!text.empty()) {
        ssize_t n = ::write(1, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // a closed stdout must not stop the box
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

bool Stdio_console::input_ready()
{
    if (_eof) return false;
    pollfd p{_in, POLLIN, 0};
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLHUP));
}

std::optional<char> Stdio_console::read(bool wait)
{
    if (_eof || (!wait && !input_ready())) return std::nullopt;
    char c;
    for (;;) {
        ssize_t n = ::read(_in, &c, 1);
        if (n == 1) return c;
        if (n < 0 && errno == EINTR) continue;
        _eof = true;
        return std::nullopt;
    }
}

}  // namespace umol4::linux_host
