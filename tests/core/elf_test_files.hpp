// Test support for the ELF loader tests: files in a per-test directory and
// byte-level editing of hello's headers.
#pragma once

#include "core/boot/elf_image.hpp"

#include <gtest/gtest.h>
#include <llvm/BinaryFormat/ELF.h>

#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace umol4::elf_test {

namespace ELF = llvm::ELF;

// The llvm::ELF structs are native-endian; the images are little-endian.
static_assert(std::endian::native == std::endian::little);

inline constexpr Word phys_low = 0;
inline constexpr Word phys_high = 0x10000000;  // 256 MiB: holds hello (0x400000) and ia32 (0x8048000)

inline std::vector<std::byte> read_bytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::vector<char> chars{std::istreambuf_iterator<char>(in), {}};
    EXPECT_FALSE(chars.empty()) << path;
    const auto* begin = reinterpret_cast<const std::byte*>(chars.data());
    return {begin, begin + chars.size()};
}

inline std::vector<std::byte> bytes_of(const std::string& text)
{
    const auto* begin = reinterpret_cast<const std::byte*>(text.data());
    return {begin, begin + text.size()};
}

// A 64-bit image (hello) being edited: headers are copied out, changed and
// copied back, so the edits read like the fields they change.
struct Elf64_edit {
    std::vector<std::byte> bytes;

    ELF::Elf64_Ehdr header() const
    {
        ELF::Elf64_Ehdr h;
        std::memcpy(&h, bytes.data(), sizeof h);
        return h;
    }
    void set_header(const ELF::Elf64_Ehdr& h) { std::memcpy(bytes.data(), &h, sizeof h); }
    std::size_t phdr_offset(unsigned i) const { return header().e_phoff + i * sizeof(ELF::Elf64_Phdr); }
    ELF::Elf64_Phdr phdr(unsigned i) const
    {
        ELF::Elf64_Phdr p;
        std::memcpy(&p, bytes.data() + phdr_offset(i), sizeof p);
        return p;
    }
    void set_phdr(unsigned i, const ELF::Elf64_Phdr& p) { std::memcpy(bytes.data() + phdr_offset(i), &p, sizeof p); }
    // Indices of the program headers the loader loads, in file order.
    std::vector<unsigned> loads() const
    {
        std::vector<unsigned> result;
        for (unsigned i = 0; i < header().e_phnum; ++i)
            if (phdr(i).p_type == ELF::PT_LOAD && phdr(i).p_memsz > 0)
                result.push_back(i);
        return result;
    }
    template <class F> void edit_header(F f)
    {
        auto h = header();
        f(h);
        set_header(h);
    }
    template <class F> void edit_load(unsigned n, F f)
    {
        const unsigned i = loads().at(n);
        auto p = phdr(i);
        f(p);
        set_phdr(i, p);
    }
};

// Each test gets its own directory for the files it makes.
class Temp_files : public testing::Test {
protected:
    std::filesystem::path dir;

    void SetUp() override
    {
        const auto* info = testing::UnitTest::GetInstance()->current_test_info();
        dir = std::filesystem::path(testing::TempDir()) /
              (std::string("umol4_elf_") + info->name() + "_" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(dir);
    }
    void TearDown() override { std::filesystem::remove_all(dir); }

    std::string write(const std::string& name, std::span<const std::byte> bytes)
    {
        const auto path = (dir / name).string();
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        return path;
    }
    Elf64_edit hello() const { return {read_bytes(UMOL4_HELLO_ELF)}; }
};

}  // namespace umol4::elf_test
