// The boot-information builder against the generic boot-info format: header
// words, record chaining, command lines, in 32- and 64-bit words.
#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "core/boot/boot_info.hpp"

namespace umol4 {
namespace {

struct Reader {
    const std::vector<std::byte>& bytes;
    unsigned w;
    Word at(std::size_t offset) const
    {
        if (offset + w > bytes.size()) throw std::out_of_range("past the boot information");
        Word v = 0;
        std::memcpy(&v, bytes.data() + offset, w);
        return v;
    }
    std::string string_at(std::size_t offset) const { return reinterpret_cast<const char*>(&bytes.at(offset)); }
};

class Boot_info_layout : public ::testing::TestWithParam<unsigned> {};

TEST_P(Boot_info_layout, records_chain_with_their_command_lines_after_them)
{
    const unsigned w = GetParam();
    Simple_exec e{0x400000, 0x3000, 0x403000, 0x800, 0x403800, 0x1800, 0x400050, w == 8 ? Word(2) : Word(1)};
    auto bytes = build_boot_info(w, {simple_exec_record(e, "root -v"), module_record(0x500000, 77, "data.bin n=1"),
                                     module_record(0x501000, 0, "")});
    Reader r{bytes, w};
    EXPECT_EQ(r.at(0), boot_info_magic);
    EXPECT_EQ(r.at(w), boot_info_version);
    EXPECT_EQ(r.at(2 * w), bytes.size());
    EXPECT_EQ(r.at(3 * w), 8 * w);  // first record after the 8-word header
    EXPECT_EQ(r.at(4 * w), 3u);

    std::size_t rec = 8 * w;
    EXPECT_EQ(r.at(rec), 2u);  // simple executable
    EXPECT_EQ(r.at(rec + w), 1u);
    const Word exec_words[] = {0x400000, 0x400000, 0x3000, 0x403000, 0x403000, 0x800, 0x403800, 0x403800, 0x1800,
                               0x400050, w == 8 ? Word(2) : Word(1), 0};
    for (std::size_t i = 0; i < std::size(exec_words); ++i) EXPECT_EQ(r.at(rec + (3 + i) * w), exec_words[i]) << i;
    EXPECT_EQ(r.at(rec + 15 * w), 16 * w);  // command line right after the record's 16 words
    EXPECT_EQ(r.string_at(rec + 16 * w), "root -v");
    Word next = r.at(rec + 2 * w);
    EXPECT_EQ(next % w, 0u);
    EXPECT_GE(next, 16 * w + 8);

    rec += next;
    EXPECT_EQ(r.at(rec), 1u);  // module
    EXPECT_EQ(r.at(rec + 3 * w), 0x500000u);
    EXPECT_EQ(r.at(rec + 4 * w), 77u);
    EXPECT_EQ(r.at(rec + 5 * w), 6 * w);
    EXPECT_EQ(r.string_at(rec + 6 * w), "data.bin n=1");

    rec += r.at(rec + 2 * w);
    EXPECT_EQ(r.at(rec + 3 * w), 0x501000u);
    EXPECT_EQ(r.string_at(rec + r.at(rec + 5 * w)), "");
    EXPECT_EQ(rec + r.at(rec + 2 * w), bytes.size());  // the last record ends the information
}

INSTANTIATE_TEST_SUITE_P(word_sizes, Boot_info_layout, ::testing::Values(4u, 8u));

}  // namespace
}  // namespace umol4
