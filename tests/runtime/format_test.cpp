// The L4 runtime's printf engine against the C library's as reference model.
#include <gtest/gtest.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

extern "C" int l4rt_snprintf(char* buf, std::size_t size, const char* fmt, ...);

namespace {

template <class... Args>
void expect_same(const char* fmt, Args... args)
{
    char want[256], got[256];
    int wn = std::snprintf(want, sizeof want, fmt, args...);
    int gn = l4rt_snprintf(got, sizeof got, fmt, args...);
    EXPECT_STREQ(got, want) << "format \"" << fmt << "\"";
    EXPECT_EQ(gn, wn) << "format \"" << fmt << "\"";
}

TEST(RuntimeFormat, IntegersMatchTheCLibrary)
{
    for (int v : {0, 1, -1, 42, -42, 2147483647, -2147483647 - 1}) {
        for (const char* f : {"%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%8.3d", "%-8.3d|", "%.0d"})
            expect_same(f, v);
        for (const char* f : {"%u", "%x", "%X", "%o", "%#x", "%#X", "%#o", "%08x", "%#010x", "%.0x", "%#.0o"})
            expect_same(f, static_cast<unsigned>(v));
    }
}

TEST(RuntimeFormat, LengthModifiersMatchTheCLibrary)
{
    expect_same("%ld %lu %lx", -5L, 5UL, 0xdeadbeefUL);
    expect_same("%lld %llu %llx", -1234567890123LL, 18446744073709551615ULL, 0x123456789abcdefULL);
    expect_same("%hd %hu %hhd %hhu", 70000, 70000, 300, 300);
    expect_same("%zu %zx %td %jd", std::size_t(77), std::size_t(0x77), std::ptrdiff_t(-3), std::intmax_t(-9));
}

TEST(RuntimeFormat, StringsCharsAndPointersMatchTheCLibrary)
{
    expect_same("%s|%10s|%-10s|%.2s|%8.3s", "abc", "abc", "abc", "abc", "abcdef");
    expect_same("%c%c%5c%-3c|", 'x', 'y', 'z', 'w');
    expect_same("%p %p", reinterpret_cast<void*>(0x1234), reinterpret_cast<void*>(0xffffffffUL));
    expect_same("100%% %s", "done");
    expect_same("%*d|%-*d|%.*d", 6, 12, 6, 12, 4, 12);
}

TEST(RuntimeFormat, TruncatesLikeTheCLibrary)
{
    char want[8], got[8];
    int wn = std::snprintf(want, sizeof want, "%s-%d", "truncated", 12345);
    int gn = l4rt_snprintf(got, sizeof got, "%s-%d", "truncated", 12345);
    EXPECT_STREQ(got, want);
    EXPECT_EQ(gn, wn);
    EXPECT_EQ(l4rt_snprintf(nullptr, 0, "%d", 123456), 6);
}

TEST(RuntimeFormat, RandomIntegersMatchTheCLibrary)
{
    std::mt19937_64 rng(7);
    const char* fmts[] = {"%lld", "%llx", "%llu", "%20lld", "%-20llx|", "%025llo", "%+.30lld"};
    for (int i = 0; i < 2000; ++i) {
        long long v = static_cast<long long>(rng());
        expect_same(fmts[i % 7], v);
    }
}

}  // namespace
