/* Conformance cases of the instruction the KIP stubs trap with.  On ia32
   it is hlt, a general protection fault in user mode that the kernel takes
   as the call only inside the KIP stubs; anywhere else it stays what the
   processor makes of it, an exception (number 13) to the thread's
   exception handler.  The same holds for x86_64 code. */
#include "suite.h"

#if defined(__i386__) || defined(__x86_64__)
enum { general_protection = 13, exception_label = 0xffb0 /* -5 << 4 */ };

static volatile L4_Word_t halted_at, went_on;

static void halt_once(L4_Word_t handler)
{
    L4_Set_ExceptionHandler((L4_ThreadId_t){.raw = handler});
    __asm__ volatile("1: hlt\n\t"
#if defined(__x86_64__)
                     "lea 1b(%%rip), %0"
#else
                     "mov $1b, %0"
#endif
                     : "=r"(halted_at));
    went_on = 1;
    suite_park();
}

static void a_halt_outside_the_kip_stubs_is_a_general_protection_exception(void)
{
    L4_ThreadId_t helper = suite_thread(halt_once, L4_Myself().raw);
    L4_MsgTag_t tag = L4_Receive(helper);
    EXPECT_TRUE(L4_IpcSucceeded(tag));
    if (L4_IpcFailed(tag))
        return;
    L4_Word_t words[64];
    unsigned n = (unsigned)L4_UntypedWords(tag);
    L4_StoreMRs(1, (int)(n < 64 ? n : 64), words);
    EXPECT_EQ(L4_Label(tag) >> 4 << 4 & 0xFFFF, exception_label);
    /* amd64: 19 words, the number last; ia32: 12 words, the number third. */
    EXPECT_EQ(n == 19 ? words[18] : words[2], general_protection);
    L4_Word_t ip = words[0];
    words[0] = ip + 1; /* past the 1-byte hlt */
    L4_LoadMR(0, L4_MsgTagMake(0, n, 0).raw);
    L4_LoadMRs(1, (int)n, words);
    L4_Send(helper);
    suite_wait_for(&went_on, 1);
    EXPECT_EQ(ip, halted_at); /* it stopped on the hlt, not past it */
}

const struct suite_case suite_trap_instruction_cases[] = {
    {"Exceptions.AHaltOutsideTheKipStubsIsAGeneralProtectionException",
     a_halt_outside_the_kip_stubs_is_a_general_protection_exception},
};
const unsigned suite_trap_instruction_case_count =
    sizeof suite_trap_instruction_cases / sizeof suite_trap_instruction_cases[0];
#else
const struct suite_case suite_trap_instruction_cases[1];
const unsigned suite_trap_instruction_case_count = 0;
#endif
