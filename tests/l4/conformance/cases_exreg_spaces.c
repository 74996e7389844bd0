/* Conformance cases of ExchangeRegisters across spaces: X.2 lets a thread
   read and change only threads of its own space (ErrorCode 2 otherwise);
   a box run with --pager-exregs (KIP feature "pagerexregs", the reference
   kernel's non-default build) also lets the space of a thread's pager. */
#include "suite.h"

static void the_pagers_space_may_exchange_registers_only_with_pagerexregs(void)
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(me) + 60, 1);
    EXPECT_EQ(L4_ThreadControl(t, t, me, L4_nilthread, (void *)-1), 1);
    EXPECT_EQ(L4_SpaceControl(t, 0, L4_FpageLog2(0xC00000, 12), L4_FpageLog2(0x800000, 14), L4_nilthread, 0), 1);
    EXPECT_EQ(L4_ThreadControl(t, t, me, me, (void *)0x800000), 1); /* we are its pager */
    L4_Word_t ctl = ~(L4_Word_t)0, sp, ip, flags, handle;
    L4_ThreadId_t pager = L4_nilthread;
    L4_ThreadId_t r = L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &ctl, &sp, &ip, &flags, &handle, &pager);
    if (suite_has_feature("pagerexregs")) {
        EXPECT_EQ(r.raw, 0x800000 + L4_UTCB_MR0_OFFSET); /* its local id, in its space */
        EXPECT_EQ(pager.raw, me.raw);
        EXPECT_EQ(ctl & L4_ExReg_AbortRecv, L4_ExReg_AbortRecv); /* waiting for its startup message */
    } else {
        EXPECT_EQ(r.raw, L4_nilthread.raw);
        EXPECT_EQ(L4_ErrorCode(), 2);
    }
    EXPECT_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
}

const struct suite_case suite_exreg_space_cases[] = {
    {"ExchangeRegisters.ThePagersSpaceMayExchangeRegistersOnlyWithPagerexregs",
     the_pagers_space_may_exchange_registers_only_with_pagerexregs},
};
const unsigned suite_exreg_space_case_count = sizeof suite_exreg_space_cases / sizeof suite_exreg_space_cases[0];
