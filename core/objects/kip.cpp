// KIP builder: fields, processor and kernel descriptors, memory descriptors.
#include "core/objects/kip.hpp"

#include <cstring>
#include <stdexcept>

#include "core/arch_plugin.hpp"
#include "core/objects/box_word.hpp"

namespace umol4 {
namespace {

class Page_writer {
    std::vector<std::byte>& _page;
    unsigned _w;

public:
    Page_writer(std::vector<std::byte>& page, unsigned word_bytes) : _page(page), _w(word_bytes) {}
    unsigned word_bytes() const { return _w; }
    void word_at(std::size_t offset, Word v)
    {
        if (offset + _w > _page.size()) throw std::length_error("KIP overflow");
        store_box_word(&_page[offset], v, _w);
    }
    void field(unsigned word, Word v) { word_at(std::size_t(word) * _w, v); }
    void bytes_at(std::size_t offset, const void* data, std::size_t n)
    {
        if (offset + n > _page.size()) throw std::length_error("KIP overflow");
        std::memcpy(&_page[offset], data, n);
    }
};

std::size_t align(std::size_t v, std::size_t a) { return (v + a - 1) & ~(a - 1); }

}  // namespace

std::vector<std::byte> build_kip(const Arch_plugin& arch, const Kip_config& c)
{
    std::vector<std::byte> page(kip_size);
    Page_writer w(page, arch.word_bits / 8);
    const unsigned W = w.word_bytes();
    const unsigned half = arch.word_bits / 2;

    const char magic[4] = {'L', '4', static_cast<char>(0xE6), 'K'};
    w.bytes_at(0, magic, 4);
    w.field(kip_word::api_version, kip_api_version);
    w.field(kip_word::api_flags, arch.api_flags);

    // Processor descriptors right after the fixed fields (Pistachio: 0x240 /
    // 0x120), each 2^proc_desc_shift bytes: external, internal kHz.
    std::size_t proc = std::size_t(kip_word::arch_syscall3 + 1) * W;
    w.field(kip_word::proc_desc_ptr, proc);
    for (unsigned i = 0; i < c.processors; ++i) {
        std::size_t d = proc + (std::size_t(i) << arch.proc_desc_shift);
        w.word_at(d, c.cpu_khz);
        w.word_at(d + W, c.cpu_khz);
    }
    w.field(kip_word::processor_info, Word(c.processors - 1) | (Word(arch.proc_desc_shift) << (arch.word_bits - 4)));

    // Kernel descriptor: id, date, version, supplier, strings.
    std::size_t kd = align(proc + (std::size_t(c.processors) << arch.proc_desc_shift), 2 * W);
    w.field(kip_word::kernel_desc_ptr, kd);
    w.word_at(kd, kip_kernel_id);
    w.word_at(kd + W, Word(25) | (Word(11) << 5) | (Word(26) << 9));  // 2026-11-25
    w.word_at(kd + 2 * W, Word(0) << 24 | Word(1) << 16);             // 0.1.0
    const char supplier[4] = {'U', 'M', 'L', '4'};
    w.bytes_at(kd + 3 * W, supplier, 4);
    std::size_t s = kd + 4 * W;
    auto put_string = [&](const std::string& str) {
        w.bytes_at(s, str.c_str(), str.size() + 1);
        s += str.size() + 1;
    };
    put_string("UMOL4 0.1 (user-mode L4 X.2 on Linux)");
    for (const auto& f : c.features) put_string(f);
    put_string("");

    // Memory descriptors, in the order sigma0 must apply them.
    std::size_t md = align(s, 2 * W);
    if (c.memory.size() >= (Word(1) << half)) throw std::length_error("too many memory descriptors");
    w.field(kip_word::memory_info, (Word(md) << half) | c.memory.size());
    for (const Memory_desc& m : c.memory) {
        Word w0 = (m.low & ~Word(0x3FF)) | (Word(m.is_virtual) << 9) | (Word(m.subtype & 0xF) << 4) |
                  static_cast<Word>(m.type);
        Word w1 = (m.end - 1) & ~Word(0x3FF);
        w.word_at(md, w0);
        w.word_at(md + W, w1);
        md += 2 * W;
    }
    if (arch.kip_entries_relative && md > kip_stubs_offset) throw std::length_error("KIP data reaches the stubs");

    auto image = [&](unsigned sp, unsigned ip, unsigned low, unsigned high, const Boot_image_info& i) {
        w.field(sp, i.sp);
        w.field(ip, i.ip);
        w.field(low, i.low);
        w.field(high, i.high);
    };
    image(kip_word::sigma0_sp, kip_word::sigma0_ip, kip_word::sigma0_low, kip_word::sigma0_high, c.sigma0);
    image(kip_word::sigma1_sp, kip_word::sigma1_ip, kip_word::sigma1_low, kip_word::sigma1_high, c.sigma1);
    image(kip_word::root_sp, kip_word::root_ip, kip_word::root_low, kip_word::root_high, c.root);

    w.field(kip_word::utcb_area_info, Word(arch.utcb_m) | (Word(arch.utcb_a) << 10) | (Word(arch.utcb_s) << 16));
    w.field(kip_word::kip_area_info, 12);
    w.field(kip_word::boot_info, c.boot_info);
    w.field(kip_word::clock_info, Word(1) | (Word(1000) << 16));  // read: 1 us, schedule: 1 ms
    w.field(kip_word::thread_info, Word(arch.thread_bits) | (c.system_base << 8) | (c.user_base << 20));
    w.field(kip_word::page_info, Word(arch.page_rights) | (arch.page_size_mask & ~Word(0x3FF)));

    for (std::size_t i = 0; i < syscall_count; ++i) {
        auto call = static_cast<Syscall>(i);
        int word = info_of(call).kip_word;
        if (word < 0) continue;
        Word off = arch.stub_offset_of(call);
        w.field(static_cast<unsigned>(word), arch.kip_entries_relative ? kip_stubs_offset + off : c.stubs_address + off);
    }
    return page;
}

}  // namespace umol4
