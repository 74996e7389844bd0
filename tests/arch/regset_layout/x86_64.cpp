// The generated x86_64 register file has the layout of struct user_regs_struct.
#include <sys/user.h>

#include "umol4/gen/arch/x86_64/syscall_abi.hpp"
namespace A = umol4::arch::x86_64;
using Kernel_regs = struct user_regs_struct;
#include "common.hpp"

TEST(RegsetLayout, NamedRegistersSitWhereTheKernelPutsThem)
{
    Kernel_regs k{};
    k.rax = 1; k.rbx = 2; k.rcx = 3; k.rdx = 4; k.rsi = 5; k.rdi = 6; k.rbp = 7; k.rsp = 8;
    k.r8 = 9; k.r9 = 10; k.r10 = 11; k.r11 = 12; k.r12 = 13; k.r13 = 14; k.r14 = 15; k.r15 = 16;
    k.rip = 17; k.eflags = 18; k.orig_rax = 19; k.fs_base = 20; k.gs_base = 21;
    A::Regs r = as_generated(k);
    EXPECT_EQ(r.rax, 1u); EXPECT_EQ(r.rbx, 2u); EXPECT_EQ(r.rcx, 3u); EXPECT_EQ(r.rdx, 4u);
    EXPECT_EQ(r.rsi, 5u); EXPECT_EQ(r.rdi, 6u); EXPECT_EQ(r.rbp, 7u); EXPECT_EQ(r.rsp, 8u);
    EXPECT_EQ(r.r8, 9u); EXPECT_EQ(r.r9, 10u); EXPECT_EQ(r.r10, 11u); EXPECT_EQ(r.r11, 12u);
    EXPECT_EQ(r.r12, 13u); EXPECT_EQ(r.r13, 14u); EXPECT_EQ(r.r14, 15u); EXPECT_EQ(r.r15, 16u);
    EXPECT_EQ(r.rip, 17u); EXPECT_EQ(r.eflags, 18u); EXPECT_EQ(r.orig_rax, 19u);
    EXPECT_EQ(r.fs_base, 20u); EXPECT_EQ(r.gs_base, 21u);
}
