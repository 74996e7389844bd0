#include "core/host/linux/futex_wait.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ctime>

#include "core/host/host.hpp"

namespace umol4::linux_host {
namespace {

constexpr std::uint32_t futex2_size_u32 = 0x02, futex2_private = 128;
constexpr long sys_futex_waitv = 449;  // the same number on every arch

}  // namespace

void futex_wake(std::atomic<std::uint32_t>* word)
{
    syscall(SYS_futex, word, FUTEX_WAKE, 1, nullptr, nullptr, 0);
}

void futex_wait(std::atomic<std::uint32_t>* word, std::uint32_t value, std::chrono::nanoseconds limit)
{
    timespec rel{static_cast<time_t>(limit.count() / 1000000000), static_cast<long>(limit.count() % 1000000000)};
    syscall(SYS_futex, word, FUTEX_WAIT, value, &rel, nullptr, 0);
}

futex_waitv_entry watch(std::atomic<std::uint32_t>* word, std::uint32_t value)
{
    return {value, reinterpret_cast<std::uint64_t>(word), futex2_size_u32, 0};
}

futex_waitv_entry watch_private(std::atomic<std::uint32_t>* word, std::uint32_t value)
{
    return {value, reinterpret_cast<std::uint64_t>(word), futex2_size_u32 | futex2_private, 0};
}

void futex_waitv(std::vector<futex_waitv_entry>& words, std::chrono::steady_clock::time_point until)
{
    if (words.size() > 128) throw Host_failure("more than 128 running threads to wait for");
    timespec at{};
    timespec* timeout = nullptr;
    if (until != std::chrono::steady_clock::time_point::max()) {
        // steady_clock is CLOCK_MONOTONIC on Linux.
        auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(until.time_since_epoch()).count();
        at = {static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
        timeout = &at;
    }
    syscall(sys_futex_waitv, words.data(), words.size(), 0, timeout, CLOCK_MONOTONIC);
}

}  // namespace umol4::linux_host
