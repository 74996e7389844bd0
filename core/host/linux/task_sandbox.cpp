#include "core/host/linux/task_sandbox.hpp"

#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

namespace umol4::linux_host {

// Without capabilities a task's memory follows an ordinary user's rules
// (nothing below vm.mmap_min_addr), so the core's emulation of those pages
// is what runs everywhere.
bool drop_privileges()
{
    // Exec gives none back.  EINVAL: past the last capability Linux knows;
    // EPERM (no CAP_SETPCAP, a user's umol4): there is nothing to drop.
    for (int cap = 0; cap < 64; ++cap)
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) break;
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3]{};
    syscall(SYS_capset, &header, none);
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0;
}

bool trap_emulated_entries(Linux_arch::Entries entries)
{
    // The pages must not cross a 4 GiB boundary: the filter compares the
    // instruction pointer's high and low halves separately.
    auto const ip = offsetof(seccomp_data, instruction_pointer);
    auto const high = static_cast<std::uint32_t>(static_cast<std::uint64_t>(entries.base) >> 32);
    auto const low = static_cast<std::uint32_t>(entries.base);
    auto const end = static_cast<std::uint32_t>(low + entries.size);
    // Little-endian hosts: the high half is the word after the low one.
    sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ip + 4),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, high, 0, 4),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ip),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, low, 0, 2),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, end, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    sock_fprog program{sizeof code / sizeof code[0], code};
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) == 0;
}

}  // namespace umol4::linux_host
