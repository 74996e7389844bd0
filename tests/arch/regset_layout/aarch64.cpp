// The generated aarch64 register file has the layout of struct user_pt_regs.
#include <asm/ptrace.h>

#include "umol4/gen/arch/aarch64/syscall_abi.hpp"
namespace A = umol4::arch::aarch64;
using Kernel_regs = struct user_pt_regs;
#include "common.hpp"

TEST(RegsetLayout, NamedRegistersSitWhereTheKernelPutsThem)
{
    Kernel_regs k{};
    for (int i = 0; i < 31; ++i) k.regs[i] = 100 + i;
    k.sp = 8; k.pc = 17; k.pstate = 18;
    A::Regs r = as_generated(k);
    EXPECT_EQ(r.x0, 100u); EXPECT_EQ(r.x7, 107u); EXPECT_EQ(r.x8, 108u); EXPECT_EQ(r.x19, 119u);
    EXPECT_EQ(r.x29, 129u); EXPECT_EQ(r.x30, 130u);
    EXPECT_EQ(r.sp, 8u); EXPECT_EQ(r.pc, 17u); EXPECT_EQ(r.pstate, 18u);
}
