// Tests of reading and loading valid ELF images: the real hello, tiny -N
// (omagic) images and 32-bit ones.
#include "core/boot/elf_image.hpp"

#include "core/boot/boot_error.hpp"
#include "elf_test_files.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

namespace {

using namespace umol4;
using namespace umol4::elf_test;

constexpr auto untouched = std::byte{0xaa};

// Physical memory from address 0 up to the image's end, left uninitialised
// so that only the image's own pages are ever touched (an ia32 image linked at
// 0x8048000 costs no 128 MiB).  Those pages start out `untouched`.
struct Physical {
    std::unique_ptr<std::byte[]> storage;
    std::span<std::byte> bytes;

    explicit Physical(const Elf_image& image)
        : storage(std::make_unique_for_overwrite<std::byte[]>(image.high)), bytes(storage.get(), image.high)
    {
        std::fill(bytes.begin() + image.low, bytes.end(), untouched);
    }
};

// After loading: file bytes at vaddr, zeros up to memsz, nothing else written.
void expect_loaded(const Elf_image& image, std::span<const std::byte> physical)
{
    for (Word a = image.low; a < image.high; ++a) {
        const auto seg = std::find_if(image.segments.begin(), image.segments.end(),
                                      [&](const Elf_segment& s) { return a >= s.vaddr && a < s.vaddr + s.memsz; });
        std::byte expected = untouched;
        if (seg != image.segments.end()) {
            const Word off = a - seg->vaddr;
            expected = off < seg->filesz ? image.contents[seg->file_offset + off] : std::byte{0};
        }
        if (physical[a] != expected) {
            ADD_FAILURE() << std::hex << "physical byte 0x" << a << " is 0x" << int(physical[a]) << ", expected 0x"
                          << int(expected);
            return;
        }
    }
}

bool contains(std::span<const std::byte> haystack, const std::string& needle)
{
    const auto n = bytes_of(needle);
    return std::search(haystack.begin(), haystack.end(), n.begin(), n.end()) != haystack.end();
}

void expect_sorted_and_page_rounded(const Elf_image& image)
{
    ASSERT_FALSE(image.segments.empty());
    EXPECT_TRUE(std::is_sorted(image.segments.begin(), image.segments.end(),
                               [](const auto& a, const auto& b) { return a.vaddr < b.vaddr; }));
    EXPECT_EQ(image.low % elf_page_size, 0u);
    EXPECT_EQ(image.high % elf_page_size, 0u);
    EXPECT_LE(image.low, image.segments.front().vaddr);
    EXPECT_GE(image.high, image.segments.back().vaddr + image.segments.back().memsz);
    EXPECT_LT(image.high - (image.segments.back().vaddr + image.segments.back().memsz), elf_page_size);
}

class ElfImage : public Temp_files {};

TEST_F(ElfImage, ReadsHelloForTheHostArch)
{
    const auto image = read_elf_image(UMOL4_HELLO_ELF, phys_low, phys_high);
    EXPECT_EQ(image.path, UMOL4_HELLO_ELF);
    EXPECT_EQ(image.arch, UMOL4_HOST_ARCH_NAME);
    EXPECT_EQ(image.word_bits, 64u);
    EXPECT_EQ(image.contents, read_bytes(UMOL4_HELLO_ELF));
    expect_sorted_and_page_rounded(image);
    EXPECT_TRUE(std::any_of(image.segments.begin(), image.segments.end(), [&](const Elf_segment& s) {
        return s.exec && !s.write && image.entry >= s.vaddr && image.entry < s.vaddr + s.memsz;
    }));
    // hello's bss is a segment with nothing in the file.
    EXPECT_TRUE(std::any_of(image.segments.begin(), image.segments.end(),
                            [](const Elf_segment& s) { return s.write && s.filesz < s.memsz; }));
}

TEST_F(ElfImage, LoadCopiesFileBytesAndZeroFillsUpToMemorySize)
{
    const auto image = read_elf_image(UMOL4_HELLO_ELF, phys_low, phys_high);
    Physical physical(image);
    load_elf_image(image, physical.bytes);
    expect_loaded(image, physical.bytes);
}

TEST_F(ElfImage, LoadsAnOmagicImageWithOneRwxSegmentAtAnUnalignedOffset)
{
    const auto image = read_elf_image(UMOL4_TINY_HOST_OMAGIC, phys_low, phys_high);
    EXPECT_EQ(image.arch, UMOL4_HOST_ARCH_NAME);
    ASSERT_EQ(image.segments.size(), 1u);
    const auto& s = image.segments[0];
    EXPECT_TRUE(s.read && s.write && s.exec);
    EXPECT_NE(s.file_offset % elf_page_size, 0u);
    EXPECT_GE(s.memsz - s.filesz, 0x2000u);  // tiny.S's bss
    EXPECT_EQ(image.entry, s.vaddr);
    Physical physical(image);
    load_elf_image(image, physical.bytes);
    expect_loaded(image, physical.bytes);
    EXPECT_TRUE(contains(physical.bytes.subspan(s.vaddr, s.filesz), "UMOL4 tiny data marker"));
}

TEST_F(ElfImage, LoadsSegmentsWhoseFileOffsetDoesNotMatchTheirAddress)
{
    // Move hello's code to the end of the file, at an odd offset: loading is a
    // plain copy, so only the offset in the program header matters.
    auto elf = hello();
    const auto text = elf.phdr(elf.loads().at(1));
    ASSERT_GT(text.p_filesz, 0u);
    elf.bytes.push_back(std::byte{0x55});
    const Word moved = elf.bytes.size();
    const auto first = elf.bytes.begin() + text.p_offset;
    elf.bytes.insert(elf.bytes.end(), first, first + text.p_filesz);
    elf.edit_load(1, [&](auto& p) { p.p_offset = moved; });
    const auto image = read_elf_image(write("moved", elf.bytes), phys_low, phys_high);
    Physical physical(image);
    load_elf_image(image, physical.bytes);
    expect_loaded(image, physical.bytes);
    const auto original = read_bytes(UMOL4_HELLO_ELF);
    EXPECT_TRUE(std::equal(original.begin() + text.p_offset, original.begin() + text.p_offset + text.p_filesz,
                           physical.bytes.begin() + text.p_vaddr));
}

TEST_F(ElfImage, LoadsABssSegmentWhoseFileOffsetIsPastTheEndOfTheFile)
{
    // ld places a segment without file data at any offset (aarch64's hello
    // has one 0xfff0 bytes into an 0xb960-byte file): nothing is read there.
    auto elf = hello();
    const auto loads = elf.loads();
    const unsigned bss = static_cast<unsigned>(loads.size() - 1);
    ASSERT_EQ(elf.phdr(loads.at(bss)).p_filesz, 0u);
    elf.edit_load(bss, [&](auto& p) { p.p_offset = elf.bytes.size() + 0x10000; });
    const auto image = read_elf_image(write("bss_offset", elf.bytes), phys_low, phys_high);
    Physical physical(image);
    load_elf_image(image, physical.bytes);
    expect_loaded(image, physical.bytes);
}

TEST_F(ElfImage, Reads32BitImagesAsIa32)
{
#ifndef UMOL4_TINY_IA32
    GTEST_SKIP() << "no i686-linux-gnu-gcc at configure time";
#else
    const auto image = read_elf_image(UMOL4_TINY_IA32, phys_low, phys_high);
    EXPECT_EQ(image.arch, "ia32");
    EXPECT_EQ(image.word_bits, 32u);
    expect_sorted_and_page_rounded(image);
    ASSERT_EQ(image.segments.size(), 3u);  // headers (R), .text (RX), .data+.bss (RW)
    EXPECT_TRUE(image.segments[1].exec && !image.segments[1].write);
    EXPECT_TRUE(image.segments[2].write && !image.segments[2].exec);
    Physical physical(image);
    load_elf_image(image, physical.bytes);
    expect_loaded(image, physical.bytes);
    EXPECT_TRUE(contains(physical.bytes.subspan(image.low), "UMOL4 tiny data marker"));
#endif
}

TEST_F(ElfImage, LoadsA32BitOmagicImage)
{
#ifndef UMOL4_TINY_IA32_OMAGIC
    GTEST_SKIP() << "no i686-linux-gnu-gcc at configure time";
#else
    const auto image = read_elf_image(UMOL4_TINY_IA32_OMAGIC, phys_low, phys_high);
    EXPECT_EQ(image.arch, "ia32");
    ASSERT_EQ(image.segments.size(), 1u);
    EXPECT_NE(image.segments[0].file_offset % elf_page_size, 0u);
    Physical physical(image);
    load_elf_image(image, physical.bytes);
    expect_loaded(image, physical.bytes);
#endif
}

TEST_F(ElfImage, LoadIntoTooSmallPhysicalMemoryWritesNothing)
{
    const auto image = read_elf_image(UMOL4_HELLO_ELF, phys_low, phys_high);
    Physical physical(image);
    const auto small = physical.bytes.first(image.high - elf_page_size);
    EXPECT_THROW(load_elf_image(image, small), Boot_error);
    EXPECT_TRUE(std::all_of(small.begin() + image.low, small.end(), [](std::byte b) { return b == untouched; }));
}

}  // namespace
