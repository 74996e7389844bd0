// The seccomp filter of an L4 thread on the signal path: every system call
// is SIGSYS (RET_TRAP) but the three the task stub's handler makes, each
// from its own instruction (the address after it, compared in full), with
// the arguments it uses: futex WAKE or WAIT (no timeout) on the thread's own
// state word, rt_sigreturn, exit.  Calls of another mode (int 0x80 from a
// 64-bit task) are another audit arch and trap too.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <vector>

#include "core/syscall.hpp"

namespace umol4::linux_host {

struct Thread_filter_facts {
    std::uint32_t audit_arch;
    long futex, rt_sigreturn, exit;
    Word futex_return, sigreturn_return, exit_return;
    Word state_word;
};

std::vector<sock_filter> thread_filter(const Thread_filter_facts& f);

}  // namespace umol4::linux_host
