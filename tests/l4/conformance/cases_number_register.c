/* Conformance cases of the register that holds Linux's system-call number
   (x86_64: rax).  To L4 it is an argument like any other: ExchangeRegisters
   takes its destination there.  Linux 6.16 and later run two calls (uprobe
   336, uretprobe 335) past every seccomp filter; a kernel that traps L4
   calls with a filter alone saw those come back as SIGILL with rax lost. */
#include "suite.h"

#if defined(__x86_64__)
/* A global id of thread number 0 and the given version: no thread has it. */
static L4_Word_t exchange_registers_with_destination(L4_Word_t raw)
{
    L4_ThreadId_t dest = {.raw = raw}, pager;
    L4_Word_t control, sp, ip, flags, handle;
    L4_ThreadId_t result =
        L4_ExchangeRegisters(dest, 0, 0, 0, 0, 0, L4_nilthread, &control, &sp, &ip, &flags, &handle, &pager);
    EXPECT_TRUE(L4_IsNilThread(result));
    return L4_ErrorCode();
}

static void any_value_in_the_number_register_reaches_the_kernel(void)
{
    static const L4_Word_t values[] = {335, 336, 39 /* getpid */, 60 /* exit */, 231 /* exit_group */};
    for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++)
        EXPECT_EQ(exchange_registers_with_destination(values[i]), 2); /* no such thread */
}

const struct suite_case suite_number_register_cases[] = {
    {"Syscalls.AnyValueInTheNumberRegisterReachesTheKernel", any_value_in_the_number_register_reaches_the_kernel},
};
const unsigned suite_number_register_case_count =
    sizeof suite_number_register_cases / sizeof suite_number_register_cases[0];
#else
const struct suite_case suite_number_register_cases[1];
const unsigned suite_number_register_case_count = 0;
#endif
