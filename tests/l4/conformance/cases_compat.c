/* Conformance cases of 32-bit compatibility spaces on amd64 (SpaceControl
   control bit 63, x2-abi.md): a thread there runs ia32 code under the ia32
   ABI (KernelInterface, the KIP's 32-bit fields and entries, its UTCB
   through %gs, 32-bit thread ids) and exchanges messages with 64-bit
   threads; the kernel turns ids from one format into the other, cuts words
   to 32 bits and sign-extends a 32-bit message label. */
#include "suite.h"

#if defined(__x86_64__)
#include <l4/amd64/compat.h>

enum { kip_at = 0x3FF00000, utcb_at = 0x3FE00000, entry_label = 0xF00D, reply_label = 0x4321, done_label = 0xD0E };

/* What the 32-bit thread is told and what it saw (32-bit words each). */
unsigned int compat_peer, compat_ipc_entry;
unsigned int compat_seen[8];
static unsigned char compat_stack[4096] __attribute__((aligned(16)));

/* The 32-bit thread: ia32 code inside this program (addresses below
   4 GiB).  It reads its KIP and UTCB, Calls its peer with a 32-bit label
   and words, notes the reply, says so with one more message and then waits
   forever. */
__asm__(".pushsection .text\n"
        ".code32\n"
        "compat_thread:\n"
        "  lock; nop\n" /* KernelInterface: %eax = the KIP */
        "  movl %eax, compat_seen\n"
        "  movl (%eax), %ecx\n"
        "  movl %ecx, compat_seen+4\n"
        "  movl 0xE0(%eax), %ebx\n" /* the Ipc entry: an offset into the 32-bit KIP */
        "  addl %eax, %ebx\n"
        "  movl %ebx, compat_ipc_entry\n"
        "  movl %gs:0, %edi\n" /* the UTCB (MR0) */
        "  movl -60(%edi), %ecx\n" /* MyGlobalId */
        "  movl %ecx, compat_seen+8\n"
        "  movl -4(%edi), %ecx\n" /* WordSizeMask */
        "  movl %ecx, compat_seen+12\n"
        "  movl $0x89ABCDEF, %ebx\n" /* MR1, MR2 */
        "  movl $7, %ecx\n"
        "  movl %ebx, 4(%edi)\n"
        "  movl %ecx, 8(%edi)\n"
        "  movl $0xF00D0002, %esi\n" /* MR0: label 0xF00D, two words */
        "  movl compat_peer, %eax\n"
        "  movl %eax, %edx\n"
        "  xorl %ecx, %ecx\n" /* never, never: a Call */
        "  pushl %ebp\n"
        "  call *compat_ipc_entry\n"
        "  movl %ebp, %ecx\n"
        "  popl %ebp\n"
        "  movl %eax, compat_seen+16\n" /* from */
        "  movl %esi, compat_seen+20\n" /* MR0 */
        "  movl %ebx, compat_seen+24\n" /* MR1 */
        "  movl %ecx, compat_seen+28\n" /* MR2 */
        "  movl $0x0D0E0000, %esi\n"
        "  movl compat_peer, %eax\n"
        "  xorl %edx, %edx\n" /* send only */
        "  xorl %ecx, %ecx\n"
        "  pushl %ebp\n"
        "  call *compat_ipc_entry\n"
        "  popl %ebp\n"
        "1:xorl %eax, %eax\n" /* from nobody, never: sleeps */
        "  xorl %edx, %edx\n"
        "  xorl %ecx, %ecx\n"
        "  pushl %ebp\n"
        "  call *compat_ipc_entry\n"
        "  popl %ebp\n"
        "  jmp 1b\n"
        ".code64\n"
        ".popsection\n");
extern char compat_thread[];

static L4_Word_t id32(L4_ThreadId_t t) { return L4_ThreadId32(t).raw; }

static void a_compatibility_space_runs_ia32_code_with_32_bit_ids_and_words(void)
{
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(me) + 62, 3);
    L4_Word_t control = 0;
    EXPECT_EQ(L4_ThreadControl(t, t, me, L4_nilthread, (void *)-1), 1);
    EXPECT_EQ(L4_SpaceControl(t, 1UL << 63, L4_FpageLog2(kip_at, 12), L4_FpageLog2(utcb_at, 14), L4_nilthread,
                              &control),
              1);
    EXPECT_EQ(control >> 63, 1); /* the space is one */
    EXPECT_EQ(L4_ThreadControl(t, t, me, me, (void *)utcb_at), 1);
    compat_peer = L4_ThreadId32(me).raw;
    EXPECT_EQ(L4_ThreadId64(L4_ThreadId32(me)).raw, me.raw);
    L4_LoadMR(0, L4_MsgTagMake(0, 2, 0).raw); /* startup: IP, SP */
    L4_LoadMR(1, (L4_Word_t)compat_thread);
    L4_LoadMR(2, (L4_Word_t)(compat_stack + sizeof compat_stack));
    EXPECT_EQ(L4_IpcFailed(L4_Send(t)), 0);

    /* Its pager (its faults: our pages at their own addresses) until it
       says it is done. */
    unsigned faults = 0, calls = 0;
    for (;;) {
        L4_MsgTag_t tag = L4_Receive(t);
        if (L4_IpcFailed(tag)) break;
        L4_Word_t label = L4_Label(tag);
        if ((label >> 4) == (~(L4_Word_t)0 >> 20) - 1) { /* -2<<4: a page fault, the label sign-extended */
            L4_Word_t address, ip;
            L4_StoreMR(1, &address);
            L4_StoreMR(2, &ip);
            if (faults++ == 0) EXPECT_EQ(ip, (L4_Word_t)compat_thread);
            L4_Word_t page = address & ~(L4_Word_t)0xFFF;
            (void)*(volatile char *)page;
            L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
            L4_LoadMR(1, page | 8); /* map item, send base = the page */
            L4_LoadMR(2, L4_FpageAddRights(L4_FpageLog2(page, 12), L4_FullyAccessible).raw);
            L4_Reply(t);
        } else if (label == (((~(L4_Word_t)0 >> 16) & ~(L4_Word_t)0xFFFF) | entry_label)) { /* sign-extended too */
            L4_Word_t w1, w2;
            L4_StoreMR(1, &w1);
            L4_StoreMR(2, &w2);
            EXPECT_EQ(w1, 0x89ABCDEF); /* a word is not sign-extended */
            EXPECT_EQ(w2, 7);
            EXPECT_EQ(L4_UntypedWords(tag), 2);
            calls++;
            L4_LoadMR(0, L4_MsgTagMake(reply_label, 3, 0).raw);
            L4_LoadMR(1, 0xFFFFFFFF12345678UL); /* the low half arrives */
            L4_LoadMR(2, 0x42);
            L4_LoadMR(3, 0x43);
            L4_Reply(t);
        } else {
            EXPECT_EQ(label, done_label);
            break;
        }
    }
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(faults >= 2); /* its code, its stack, our variables */
    EXPECT_EQ(compat_seen[0], kip_at);
    EXPECT_EQ(compat_seen[1], *(unsigned int *)suite_kip()); /* the magic */
    EXPECT_EQ(compat_seen[2], id32(t));
    EXPECT_EQ(compat_seen[3], 0xFFFFFFFF);
    EXPECT_EQ(compat_seen[4], id32(me)); /* the sender in its format */
    EXPECT_EQ(compat_seen[5], (reply_label << 16) | 3);
    EXPECT_EQ(compat_seen[6], 0x12345678);
    EXPECT_EQ(compat_seen[7], 0x42);
    EXPECT_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
}

static void the_compatibility_bit_counts_only_for_a_new_space(void)
{
    /* A space set up without it stays a 64-bit space. */
    L4_ThreadId_t me = L4_Myself();
    L4_ThreadId_t t = L4_GlobalId(L4_ThreadNo(me) + 63, 1);
    L4_Word_t control = 1;
    EXPECT_EQ(L4_ThreadControl(t, t, me, L4_nilthread, (void *)-1), 1);
    EXPECT_EQ(L4_SpaceControl(t, 0, L4_FpageLog2(kip_at, 12), L4_FpageLog2(utcb_at, 14), L4_nilthread, &control), 1);
    EXPECT_EQ(control, 0);
    EXPECT_EQ(L4_SpaceControl(t, 1UL << 63, L4_FpageLog2(kip_at, 12), L4_FpageLog2(utcb_at, 14), L4_nilthread,
                              &control),
              1);
    EXPECT_EQ(control, 0);
    EXPECT_EQ(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1), 1);
}

const struct suite_case suite_compat_cases[] = {
    {"Compat.ACompatibilitySpaceRunsIa32CodeWith32BitIdsAndWords",
     a_compatibility_space_runs_ia32_code_with_32_bit_ids_and_words},
    {"Compat.TheCompatibilityBitCountsOnlyForANewSpace", the_compatibility_bit_counts_only_for_a_new_space},
};
const unsigned suite_compat_case_count = sizeof suite_compat_cases / sizeof suite_compat_cases[0];
#else
const struct suite_case suite_compat_cases[] = {{0, 0}};
const unsigned suite_compat_case_count = 0;
#endif
