// The generated riscv64 register file has the layout of struct user_regs_struct.
#include <asm/ptrace.h>

#include "umol4/gen/arch/riscv64/syscall_abi.hpp"
namespace A = umol4::arch::riscv64;
using Kernel_regs = struct user_regs_struct;
#include "common.hpp"

TEST(RegsetLayout, NamedRegistersSitWhereTheKernelPutsThem)
{
    Kernel_regs k{};
    k.pc = 17; k.ra = 1; k.sp = 8; k.gp = 2; k.tp = 3; k.t0 = 4; k.a0 = 5; k.a7 = 6; k.s11 = 7; k.t6 = 9;
    A::Regs r = as_generated(k);
    EXPECT_EQ(r.pc, 17u); EXPECT_EQ(r.ra, 1u); EXPECT_EQ(r.sp, 8u); EXPECT_EQ(r.gp, 2u);
    EXPECT_EQ(r.tp, 3u); EXPECT_EQ(r.t0, 4u); EXPECT_EQ(r.a0, 5u); EXPECT_EQ(r.a7, 6u);
    EXPECT_EQ(r.s11, 7u); EXPECT_EQ(r.t6, 9u);
}
