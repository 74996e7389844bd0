// The mapping database at scale, in-process: map 1M pages from sigma0 into
// one space and on into a second (nested), read their status, unmap them
// recursively; time per operation and core bytes per mapping.  Beside it
// the same counts of Linux mmap/munmap calls of single memfd pages.
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "core/mapdb/vm.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr umol4::Word page = 4096;

double ns_per(Clock::time_point a, Clock::time_point b, long n)
{
    return std::chrono::duration<double, std::nano>(b - a).count() / static_cast<double>(n);
}

// A host that takes the cache's decisions and does nothing: only the
// database and the cache are measured.
struct Null_ops final : umol4::Map_ops {
    void map(umol4::Word, umol4::Word, umol4::Word, unsigned) override {}
    void unmap(umol4::Word, umol4::Word) override {}
    void protect(umol4::Word, umol4::Word, unsigned) override {}
};

}  // namespace

int main(int argc, char** argv)
{
    long n = argc > 1 ? std::atol(argv[1]) : 1 << 20;
    Null_ops ops_a, ops_b;
    umol4::Vm vm;
    auto s0 = *vm.add_space(nullptr, 65000), a = *vm.add_space(&ops_a, 65000), b = *vm.add_space(&ops_b, 65000);
    auto& db = vm.db();
    auto t0 = Clock::now();
    for (long i = 0; i < n; i++) db.map(*db.root(s0, 0x100000 + i * page), a, 0x40000000 + i * page, 7);
    auto t1 = Clock::now();
    for (long i = 0; i < n; i++) db.map(*db.find(a, 0x40000000 + i * page), b, 0x80000000 + i * page, 7);
    auto t2 = Clock::now();
    double bytes = static_cast<double>(db.bytes()) / static_cast<double>(db.mappings());
    unsigned status = 0;
    for (long i = 0; i < n; i++) status |= db.unmap(*db.find(a, 0x40000000 + i * page), 0, false);
    auto t3 = Clock::now();
    for (long i = 0; i < n; i++) db.unmap(*db.find(a, 0x40000000 + i * page), 7, true);
    auto t4 = Clock::now();
    std::printf("mapdb map from sigma0: %.0f ns per page (%ld pages)\n", ns_per(t0, t1, n), n);
    std::printf("mapdb map nested: %.0f ns per page\n", ns_per(t1, t2, n));
    std::printf("mapdb core memory: %.1f bytes per mapping (%zu mappings)\n", bytes, static_cast<std::size_t>(3 * n));
    std::printf("mapdb status read: %.0f ns per page (status %u)\n", ns_per(t2, t3, n), status);
    std::printf("mapdb flush recursive: %.0f ns per page (2 mappings each)\n", ns_per(t3, t4, n));

    // Linux: the same number of single-page mmap and munmap calls.
    int fd = memfd_create("mapdb-baseline", 0);
    if (fd < 0 || ftruncate(fd, n * page) != 0) return 1;
    void* r = mmap(nullptr, n * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED) return 1;
    char* area = static_cast<char*>(r);
    auto l0 = Clock::now();
    for (long i = 0; i < n; i++)
        if (mmap(area + i * page, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, i * page) == MAP_FAILED) return 1;
    auto l1 = Clock::now();
    for (long i = 0; i < n; i++) munmap(area + i * page, page);
    auto l2 = Clock::now();
    std::printf("linux mmap: %.0f ns per page\n", ns_per(l0, l1, n));
    std::printf("linux munmap: %.0f ns per page\n", ns_per(l1, l2, n));
    return 0;
}
