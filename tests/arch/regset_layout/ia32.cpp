// The generated ia32 register file has the layout of the i386 struct
// user_regs_struct (68 bytes, what an x86_64 tracer gets for 32-bit tasks).
#include <sys/user.h>

#include "umol4/gen/arch/ia32/syscall_abi.hpp"
namespace A = umol4::arch::ia32;
using Kernel_regs = struct user_regs_struct;
#include "common.hpp"

TEST(RegsetLayout, NamedRegistersSitWhereTheKernelPutsThem)
{
    Kernel_regs k{};
    k.eax = 1; k.ebx = 2; k.ecx = 3; k.edx = 4; k.esi = 5; k.edi = 6; k.ebp = 7; k.esp = 8;
    k.eip = 17; k.eflags = 18; k.orig_eax = 19; k.xgs = 21;
    A::Regs r = as_generated(k);
    EXPECT_EQ(sizeof(A::Regs), 68u);
    EXPECT_EQ(r.eax, 1u); EXPECT_EQ(r.ebx, 2u); EXPECT_EQ(r.ecx, 3u); EXPECT_EQ(r.edx, 4u);
    EXPECT_EQ(r.esi, 5u); EXPECT_EQ(r.edi, 6u); EXPECT_EQ(r.ebp, 7u); EXPECT_EQ(r.esp, 8u);
    EXPECT_EQ(r.eip, 17u); EXPECT_EQ(r.eflags, 18u); EXPECT_EQ(r.orig_eax, 19u); EXPECT_EQ(r.xgs, 21u);
}
