// A newc cpio archive, as the kernel unpacks an initramfs (the VM boxes'
// /init, core, images and command line: cli/vm_box.cpp).
#pragma once

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace umol4::cli {

class Cpio {
public:
    explicit Cpio(const std::filesystem::path& out) : out_(out, std::ios::binary) {}

    void directory(const std::string& name) { entry(name, 040755, ""); }
    // A host file's bytes; throws Boot_error if it cannot be read.
    void file(const std::string& name, const std::filesystem::path& from, bool executable);
    void text(const std::string& name, const std::string& data) { entry(name, 0100644, data); }
    // The directories above `path` (relative) that `made` does not hold yet.
    void parents(std::set<std::string>& made, const std::filesystem::path& path);
    // The trailer; throws Host_failure if anything failed to be written.
    void finish();

private:
    void pad();
    void entry(const std::string& name, unsigned mode, const std::string& data);
    std::ofstream out_;
    unsigned ino_ = 0;
};

}  // namespace umol4::cli
