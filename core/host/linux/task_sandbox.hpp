// What a task process gives up before it executes the task stub: done in
// the child of fork, so async-signal-safe calls only.
#pragma once

#include "core/host/linux/linux_arch.hpp"

namespace umol4::linux_host {

// No capability, also when umol4 runs as root, and none to gain by exec
// (no_new_privs, which also lets a thread of the task install a seccomp
// filter of its own: the signal path's).  False if Linux refused it.
bool drop_privileges();

// The seccomp filter that makes a call Linux would make for code in
// `entries` trap (SIGSYS) instead; every other call is let through (the
// leader's gate calls; an L4 thread's own calls stop before seccomp looks).
// After drop_privileges.  False if Linux refused it.
bool trap_emulated_entries(Linux_arch::Entries entries);

}  // namespace umol4::linux_host
