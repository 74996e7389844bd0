// Boot information: header, records, command lines.
#include "core/boot/boot_info.hpp"

#include <cstring>

#include "core/objects/box_word.hpp"

namespace umol4 {
namespace {

constexpr std::size_t header_words = 8;  // magic, version, size, first entry, entries, 3 reserved
constexpr std::size_t record_head_words = 3;  // type, version, offset to the next record

class Info_writer {
    std::vector<std::byte> _bytes;
    unsigned _w;

public:
    explicit Info_writer(unsigned word_bytes) : _w(word_bytes) {}
    std::size_t size() const { return _bytes.size(); }
    void word(Word v)
    {
        _bytes.resize(_bytes.size() + _w);
        word_at(_bytes.size() - _w, v);
    }
    void word_at(std::size_t at, Word v) { store_box_word(&_bytes[at], v, _w); }
    void string(const std::string& s)
    {
        std::size_t at = _bytes.size();
        _bytes.resize(at + s.size() + 1);
        std::memcpy(&_bytes[at], s.data(), s.size());
    }
    void align() { _bytes.resize((_bytes.size() + _w - 1) / _w * _w); }
    std::vector<std::byte> take() { return std::move(_bytes); }
};

}  // namespace

Boot_record module_record(Word start, Word size, std::string command_line)
{
    return {Boot_record_type::module, {start, size}, std::move(command_line)};
}

Boot_record simple_exec_record(const Simple_exec& e, std::string command_line)
{
    // Physical and virtual starts are equal: images are loaded at their link addresses.
    return {Boot_record_type::simple_exec,
            {e.text_start, e.text_start, e.text_size, e.data_start, e.data_start, e.data_size, e.bss_start,
             e.bss_start, e.bss_size, e.entry, e.elf_class, 0 /* label */},
            std::move(command_line)};
}

std::vector<std::byte> build_boot_info(unsigned word_bytes, const std::vector<Boot_record>& records)
{
    Info_writer w(word_bytes);
    w.word(boot_info_magic);
    w.word(boot_info_version);
    w.word(0);  // size: known at the end
    w.word(header_words * word_bytes);
    w.word(records.size());
    for (std::size_t i = header_words - 5; i > 0; --i) w.word(0);
    for (const Boot_record& r : records) {
        std::size_t start = w.size();
        std::size_t line_offset = (record_head_words + r.words.size() + 1) * word_bytes;
        w.word(static_cast<Word>(r.type));
        w.word(1);  // record version
        w.word(0);  // offset to the next record: known once the line is in
        for (Word v : r.words) w.word(v);
        w.word(line_offset);
        w.string(r.command_line);
        w.align();
        w.word_at(start + 2 * word_bytes, w.size() - start);
    }
    w.word_at(2 * word_bytes, w.size());
    return w.take();
}

}  // namespace umol4
