// Tests that malformed ELF files, made by editing hello byte by byte, are
// refused with one line naming the file and the problem, and never crash.
#include "core/boot/elf_image.hpp"

#include "core/boot/boot_error.hpp"
#include "elf_test_files.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace {

using namespace umol4;
using namespace umol4::elf_test;

class ElfImageRejects : public Temp_files {};

// read_elf_image must throw Boot_error "<path>: ...problem..." on one line.
testing::AssertionResult rejected_with(const std::string& path, const std::string& problem, Word low = phys_low,
                                       Word high = phys_high)
{
    try {
        read_elf_image(path, low, high);
    } catch (const Boot_error& e) {
        const std::string message = e.what();
        if (message.rfind(path + ": ", 0) != 0 || message.find(problem) == std::string::npos ||
            message.find('\n') != std::string::npos)
            return testing::AssertionFailure() << "message \"" << message << "\" lacks \"" << path << ": \" or \""
                                               << problem << "\"";
        return testing::AssertionSuccess() << message;
    }
    return testing::AssertionFailure() << path << " was read without error";
}

TEST_F(ElfImageRejects, MissingFileWithTheSystemError)
{
    EXPECT_TRUE(rejected_with((dir / "missing").string(), "cannot open: No such file or directory"));
}

TEST_F(ElfImageRejects, Directory) { EXPECT_TRUE(rejected_with(dir.string(), "not a regular file")); }

TEST_F(ElfImageRejects, EmptyFile) { EXPECT_TRUE(rejected_with(write("empty", {}), "empty file")); }

TEST_F(ElfImageRejects, FileThatIsNotElf)
{
    EXPECT_TRUE(rejected_with(write("script", bytes_of("#!/bin/sh\necho hi\n")), "not an ELF file"));
    EXPECT_TRUE(rejected_with(write("one_byte", bytes_of("x")), "not an ELF file"));
}

TEST_F(ElfImageRejects, TruncatedElfHeader)
{
    const auto bytes = read_bytes(UMOL4_HELLO_ELF);
    for (std::size_t size : {1, 4, 15, 16, 40, 63})
        EXPECT_TRUE(rejected_with(write("cut" + std::to_string(size), std::span(bytes).first(size)),
                                  "truncated ELF header"));
}

TEST_F(ElfImageRejects, TruncatedProgramHeadersWithLlvmsReason)
{
    auto elf = hello();
    const auto cut = std::span(elf.bytes).first(elf.phdr_offset(1));
    EXPECT_TRUE(rejected_with(write("cut", cut), "program headers are longer than binary"));
    elf.edit_header([](auto& h) { h.e_phentsize = 12; });
    EXPECT_TRUE(rejected_with(write("phentsize", elf.bytes), "invalid e_phentsize: 12"));
}

TEST_F(ElfImageRejects, BigEndianAndInvalidClass)
{
    auto elf = hello();
    elf.bytes[ELF::EI_DATA] = std::byte{ELF::ELFDATA2MSB};
    EXPECT_TRUE(rejected_with(write("msb", elf.bytes), "big-endian ELF file"));
    elf = hello();
    elf.bytes[ELF::EI_CLASS] = std::byte{3};
    EXPECT_TRUE(rejected_with(write("class3", elf.bytes), "invalid ELF class 3"));
}

TEST_F(ElfImageRejects, UnsupportedMachine)
{
    auto elf = hello();
    elf.edit_header([](auto& h) { h.e_machine = ELF::EM_ARM; });
    EXPECT_TRUE(rejected_with(write("arm", elf.bytes), "unsupported machine 40 (arm)"));
}

TEST_F(ElfImageRejects, MachineInTheWrongElfClass)
{
    auto elf = hello();
    elf.edit_header([](auto& h) { h.e_machine = ELF::EM_386; });
    EXPECT_TRUE(rejected_with(write("i386_in_64", elf.bytes), "machine 3 (386) in a 64-bit ELF file"));
#ifdef UMOL4_TINY_IA32
    auto bytes = read_bytes(UMOL4_TINY_IA32);
    const std::uint16_t x86_64 = ELF::EM_X86_64;
    std::memcpy(bytes.data() + offsetof(ELF::Elf32_Ehdr, e_machine), &x86_64, sizeof x86_64);
    EXPECT_TRUE(rejected_with(write("x86_64_in_32", bytes), "machine 62 (x86_64) in a 32-bit ELF file"));
#endif
}

TEST_F(ElfImageRejects, FileThatIsNotAnExecutable)
{
    auto elf = hello();
    elf.edit_header([](auto& h) { h.e_type = ELF::ET_DYN; });
    EXPECT_TRUE(rejected_with(write("dyn", elf.bytes), "not an executable (ELF type 3"));
    elf.edit_header([](auto& h) { h.e_type = ELF::ET_REL; });
    EXPECT_TRUE(rejected_with(write("rel", elf.bytes), "not an executable (ELF type 1"));
}

TEST_F(ElfImageRejects, ImageWithoutLoadableSegment)
{
    auto elf = hello();
    while (!elf.loads().empty())
        elf.edit_load(0, [](auto& p) { p.p_type = ELF::PT_NOTE; });
    EXPECT_TRUE(rejected_with(write("noload", elf.bytes), "no loadable segment"));
}

TEST_F(ElfImageRejects, OverlappingSegments)
{
    auto elf = hello();
    const auto text = elf.phdr(elf.loads().at(1));
    elf.edit_load(2, [&](auto& p) { p.p_vaddr = text.p_vaddr + 0x10; });
    EXPECT_TRUE(rejected_with(write("overlap", elf.bytes), "overlap"));
}

TEST_F(ElfImageRejects, SegmentsSharingAPage)
{
    // Byte ranges apart, but the next segment starts in the code's last page.
    auto elf = hello();
    const auto text = elf.phdr(elf.loads().at(1));
    const Word text_end = text.p_vaddr + text.p_memsz;
    ASSERT_NE(text_end % elf_page_size, 0u);
    elf.edit_load(2, [&](auto& p) { p.p_vaddr = text_end; });
    EXPECT_TRUE(rejected_with(write("share", elf.bytes),
                              fmt::format("overlap in the page at 0x{:x}", text_end & ~(elf_page_size - 1))));
}

TEST_F(ElfImageRejects, SegmentOutsidePhysicalMemory)
{
    // hello is linked at 1 MiB (examples/hello/CMakeLists.txt).
    EXPECT_TRUE(rejected_with(UMOL4_HELLO_ELF, "segment 0x100000-0x100158 outside physical memory 0x1000000-0x2000000",
                              0x1000000, 0x2000000));
    // The first segments fit; the bss runs past the end.
    EXPECT_TRUE(rejected_with(UMOL4_HELLO_ELF, "outside physical memory 0x0-0x104000", 0, 0x104000));
    // A hostile size must be refused, not allocated or wrapped around.
    auto elf = hello();
    elf.edit_load(3, [](auto& p) { p.p_memsz = ~std::uint64_t{0}; });
    EXPECT_TRUE(rejected_with(write("huge", elf.bytes), "outside physical memory"));
}

TEST_F(ElfImageRejects, FileSizeLargerThanMemorySize)
{
    auto elf = hello();
    const auto rodata = elf.phdr(elf.loads().at(2));
    elf.edit_load(2, [](auto& p) { p.p_filesz = p.p_memsz + 1; });
    EXPECT_TRUE(rejected_with(write("filesz", elf.bytes),
                              fmt::format("segment at 0x{:x} has file size 0x{:x} larger than memory size 0x{:x}",
                                          rodata.p_vaddr, rodata.p_memsz + 1, rodata.p_memsz)));
}

TEST_F(ElfImageRejects, SegmentDataBeyondTheEndOfTheFile)
{
    auto elf = hello();
    const auto text = elf.phdr(elf.loads().at(1));
    const auto cut = std::span(elf.bytes).first(text.p_offset + text.p_filesz - 1);
    EXPECT_TRUE(rejected_with(write("cut", cut), "beyond the end of the file"));
    elf.edit_load(1, [](auto& p) { p.p_offset = ~std::uint64_t{0} - 4; });
    EXPECT_TRUE(rejected_with(write("offset", elf.bytes), "beyond the end of the file"));
}

TEST_F(ElfImageRejects, EntryPointOutsideCode)
{
    auto elf = hello();
    const auto rodata = elf.phdr(elf.loads().at(2));
    for (Word entry : {Word{0x10}, Word{rodata.p_vaddr}, Word{0x10000000}}) {
        elf.edit_header([&](auto& h) { h.e_entry = entry; });
        EXPECT_TRUE(rejected_with(write("entry", elf.bytes),
                                  fmt::format("entry point 0x{:x} is not inside an executable segment", entry)));
    }
}

// Hostile files: every prefix of hello's headers and random byte changes in
// them are read or refused with one Boot_error line, never a crash.
TEST_F(ElfImageRejects, DamagedHeadersAreRefusedWithOneLineOrRead)
{
    const auto elf = hello();
    const std::size_t headers = elf.phdr_offset(elf.header().e_phnum);
    auto survives = [&](std::span<const std::byte> bytes) {
        const auto path = write("damaged", bytes);
        try {
            const auto image = read_elf_image(path, phys_low, phys_high);
            for (const auto& s : image.segments)
                ASSERT_TRUE(s.vaddr + s.memsz <= phys_high && s.filesz <= s.memsz);
        } catch (const Boot_error& e) {
            const std::string message = e.what();
            ASSERT_EQ(message.rfind(path + ": ", 0), 0u) << message;
            ASSERT_EQ(message.find('\n'), std::string::npos) << message;
        }
    };
    for (std::size_t size = 0; size <= headers; ++size)
        survives(std::span(elf.bytes).first(size));
    std::mt19937 random(4);  // fixed seed: a failure reproduces
    for (int round = 0; round < 2000 && !HasFatalFailure(); ++round) {
        auto bytes = elf.bytes;
        for (int n = 0; n < 4; ++n)
            bytes[random() % headers] = std::byte(random());
        survives(bytes);
    }
}

}  // namespace
