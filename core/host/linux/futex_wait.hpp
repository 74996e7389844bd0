// Futexes in memory shared with task processes (the MemFile: keyed by the
// file, not the address, so never FUTEX_PRIVATE) and futex_waitv (Linux
// 5.16), which waits on many words at once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

namespace umol4::linux_host {

struct futex_waitv_entry {
    std::uint64_t val;
    std::uint64_t uaddr;
    std::uint32_t flags;
    std::uint32_t reserved;
};

void futex_wake(std::atomic<std::uint32_t>* word);
// Waits while *word == value, at most `limit`; spurious returns are fine.
void futex_wait(std::atomic<std::uint32_t>* word, std::uint32_t value, std::chrono::nanoseconds limit);
// A word of the MemFile to wait on while it holds `value`; a word of the
// core's own memory.
futex_waitv_entry watch(std::atomic<std::uint32_t>* word, std::uint32_t value);
futex_waitv_entry watch_private(std::atomic<std::uint32_t>* word, std::uint32_t value);
// Waits until one of the words changes or `until` (steady clock) passes.
// At most 128 words (Linux's limit).
void futex_waitv(std::vector<futex_waitv_entry>& words, std::chrono::steady_clock::time_point until);

}  // namespace umol4::linux_host
