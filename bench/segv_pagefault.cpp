// The Linux baseline of page-fault service: a process takes SIGSEGV on a
// page of a reserved region and maps the page itself in the handler (from
// a memfd, as UMOL4 maps MemFile frames), then the access restarts.
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "pin.hpp"

namespace {

int memfd = -1;
char* area = nullptr;
constexpr long page = 4096;

void on_segv(int, siginfo_t* si, void*)
{
    char* p = reinterpret_cast<char*>(reinterpret_cast<unsigned long>(si->si_addr) & ~(page - 1));
    if (p < area || mmap(p, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, memfd, p - area) == MAP_FAILED) _exit(3);
}

}  // namespace

// segv_pagefault [PAGES [CPU]]: with CPU, it runs on that CPU only.
int main(int argc, char** argv)
{
    long pages = argc > 1 ? std::atol(argv[1]) : 4096;
    if (argc > 2) pin_to(std::atoi(argv[2]));
    memfd = memfd_create("segv-baseline", 0);
    if (memfd < 0 || ftruncate(memfd, pages * page) != 0) return 1;
    void* r = mmap(nullptr, pages * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED) return 1;
    area = static_cast<char*>(r);
    struct sigaction sa {};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, nullptr);
    volatile char* a = area;
    unsigned long sum = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (long i = 0; i < pages; i++) sum += a[i * page];
    auto t1 = std::chrono::steady_clock::now();
    std::printf("segv baseline: %.0f ns per page (%ld pages, sum %lu)\n",
                std::chrono::duration<double, std::nano>(t1 - t0).count() / pages, pages, sum);
    return 0;
}
