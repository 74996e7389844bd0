#include "core/host/linux/thread_filter.hpp"

#include <linux/futex.h>
#include <linux/seccomp.h>

#include <cstddef>
#include <initializer_list>
#include <utility>

namespace umol4::linux_host {
namespace {

// seccomp_data on a little-endian host: a 64-bit field's low half first.
constexpr std::uint32_t nr_at = offsetof(seccomp_data, nr), arch_at = offsetof(seccomp_data, arch);
constexpr std::uint32_t ip_at = offsetof(seccomp_data, instruction_pointer);
constexpr std::uint32_t arg_at(int i) { return offsetof(seccomp_data, args) + 8 * i; }

// One rule: every (offset, value) pair of 32-bit words must match, then
// ALLOW; the first mismatch goes on to the next rule.
void rule(std::vector<sock_filter>& code, std::initializer_list<std::pair<std::uint32_t, std::uint32_t>> checks)
{
    auto left = static_cast<unsigned>(checks.size());
    for (auto [offset, value] : checks) {
        code.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset));
        // Past a mismatch: this rule's remaining pairs and its ALLOW.
        code.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, 0, static_cast<std::uint8_t>(2 * (left - 1) + 1)));
        --left;
    }
    code.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

std::uint32_t low(Word w) { return static_cast<std::uint32_t>(w); }
std::uint32_t high(Word w) { return static_cast<std::uint32_t>(static_cast<std::uint64_t>(w) >> 32); }

}  // namespace

std::vector<sock_filter> thread_filter(const Thread_filter_facts& f)
{
    std::vector<sock_filter> code;
    auto at = [](Word ip) { return std::pair{ip_at, low(ip)}; };
    auto at_high = [](Word ip) { return std::pair{ip_at + 4, high(ip)}; };
    auto nr = [&](long n) { return std::pair{nr_at, low(Word(n))}; };
    auto arch = std::pair{arch_at, f.audit_arch};
    auto arg = [](int i, Word v) { return std::pair{arg_at(i), low(v)}; };
    auto arg_high = [](int i, Word v) { return std::pair{arg_at(i) + 4, high(v)}; };
    rule(code, {arch, nr(f.futex), at(f.futex_return), at_high(f.futex_return), arg(0, f.state_word),
                arg_high(0, f.state_word), arg(1, FUTEX_WAKE), arg_high(1, 0)});
    rule(code, {arch, nr(f.futex), at(f.futex_return), at_high(f.futex_return), arg(0, f.state_word),
                arg_high(0, f.state_word), arg(1, FUTEX_WAIT), arg_high(1, 0), arg(3, 0), arg_high(3, 0)});
    rule(code, {arch, nr(f.rt_sigreturn), at(f.sigreturn_return), at_high(f.sigreturn_return)});
    rule(code, {arch, nr(f.exit), at(f.exit_return), at_high(f.exit_return)});
    code.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP));
    return code;
}

}  // namespace umol4::linux_host
