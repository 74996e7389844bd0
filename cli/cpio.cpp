// Writes newc cpio archives: a header of thirteen 8-digit hex fields per
// entry, the name and the data each padded to 4 bytes, a trailer entry.
#include "cli/cpio.hpp"

#include <fmt/format.h>

#include <iterator>

#include "core/boot/boot_error.hpp"
#include "core/host/host.hpp"

namespace umol4::cli {

void Cpio::file(const std::string& name, const std::filesystem::path& from, bool executable)
{
    std::ifstream in(from, std::ios::binary);
    if (!in) throw Boot_error(fmt::format("{}: cannot read it for the VM", from.string()));
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    entry(name, executable ? 0100755 : 0100644, data);
}

void Cpio::parents(std::set<std::string>& made, const std::filesystem::path& path)
{
    std::filesystem::path dir;
    for (auto it = path.begin(); std::next(it) != path.end(); ++it) {
        dir /= *it;
        if (made.insert(dir.string()).second) directory(dir.string());
    }
}

void Cpio::finish()
{
    entry("TRAILER!!!", 0, "");
    out_.flush();
    if (!out_) throw Host_failure("writing the VM's initramfs failed");
}

void Cpio::pad() { out_.write("\0\0\0", (4 - out_.tellp() % 4) % 4); }

void Cpio::entry(const std::string& name, unsigned mode, const std::string& data)
{
    out_ << fmt::format("070701{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}", ++ino_,
                        mode, 0, 0, 1, 0, data.size(), 0, 0, 0, 0, name.size() + 1, 0);
    out_.write(name.c_str(), static_cast<std::streamsize>(name.size() + 1));
    pad();
    out_.write(data.data(), static_cast<std::streamsize>(data.size()));
    pad();
}

}  // namespace umol4::cli
