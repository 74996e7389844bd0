// The Linux lower bound for a trapped system call answered in the trapping
// process itself: a seccomp filter turns one system call into SIGSYS, whose
// handler sets the result and returns (signal frame, handler, rt_sigreturn).
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstdlib>

#include "pin.hpp"

namespace {

constexpr long trapped = SYS_getppid;  // unused by the benchmark otherwise

volatile unsigned long answered = 0;

void on_sigsys(int, siginfo_t*, void*)
{
    answered = answered + 1;  // what a handler answering the call would do
}

}  // namespace

// sigsys_roundtrip [CALLS [CPU]]
int main(int argc, char** argv)
{
    int calls = argc > 1 ? std::atoi(argv[1]) : 100000;
    if (argc > 2) pin_to(std::atoi(argv[2]));
    struct sigaction sa {};
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSYS, &sa, nullptr);
    sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, trapped, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    sock_fprog prog{sizeof code / sizeof code[0], code};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
        std::perror("sigsys_roundtrip: seccomp");
        return 1;
    }
    auto begin = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) syscall(trapped);
    auto end = std::chrono::steady_clock::now();
    double us = std::chrono::duration<double, std::micro>(end - begin).count() / calls;
    std::printf("sigsys round trip: %.3f us per call (%d calls, %lu answered)\n", us, calls, answered);
    return answered == static_cast<unsigned long>(calls) ? 0 : 1;
}
