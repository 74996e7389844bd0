// Shared part of the regset layout tests: the including file defines
// namespace A (the arch's generated ABI) and Kernel_regs (the kernel's struct).
#pragma once

#include <gtest/gtest.h>

#include <boost/hana/accessors.hpp>
#include <boost/hana/for_each.hpp>

#include <cstring>

TEST(RegsetLayout, SizeMatchesTheKernelsRegisterSet)
{
    EXPECT_EQ(sizeof(A::Regs), sizeof(Kernel_regs));
}

TEST(RegsetLayout, EveryFieldIsOneWord)
{
    std::size_t fields = 0;
    boost::hana::for_each(boost::hana::accessors<A::Regs>(), [&](auto) { ++fields; });
    EXPECT_EQ(fields * sizeof(A::Reg), sizeof(A::Regs));
    EXPECT_EQ(sizeof(A::Reg) * 8, A::word_bits);
}

// Fill the kernel's struct through its own field names, read through ours.
inline A::Regs as_generated(const Kernel_regs& k)
{
    A::Regs r;
    std::memcpy(&r, &k, sizeof r);
    return r;
}
