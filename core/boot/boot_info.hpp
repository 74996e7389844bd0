// The generic boot information a boot loader leaves for the root task (X.2
// reference boot loader format): a header, then one record per boot image
// with its command line.  The KIP's BootInfo word holds its physical address.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/syscall.hpp"

namespace umol4 {

inline constexpr Word boot_info_magic = 0x14b0021d;
inline constexpr Word boot_info_version = 1;

enum class Boot_record_type : Word { module = 0x1, simple_exec = 0x2 };

// A record's own words after type, version and next-offset, without the
// command-line offset, which always comes last.
struct Boot_record {
    Boot_record_type type;
    std::vector<Word> words;
    std::string command_line;
};

// A raw module: the file's bytes at a physical address.
Boot_record module_record(Word start, Word size, std::string command_line);

// A loaded program: where its text, data and bss lie (physical = virtual),
// its entry, and its ELF class (1: 32-bit, 2: 64-bit) as the flags.
struct Simple_exec {
    Word text_start = 0, text_size = 0, data_start = 0, data_size = 0, bss_start = 0, bss_size = 0;
    Word entry = 0, elf_class = 0;
};
Boot_record simple_exec_record(const Simple_exec& exec, std::string command_line);

// The records laid out in the box's word size (4 or 8 bytes), each record
// word-aligned with its NUL-terminated command line behind it.
std::vector<std::byte> build_boot_info(unsigned word_bytes, const std::vector<Boot_record>& records);

}  // namespace umol4
