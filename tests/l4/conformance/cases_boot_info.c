/* Conformance cases of the boot information: the KIP's BootInfo word gives
   the physical address of the records a boot loader leaves (the generic
   boot-info format); the root task gets that memory from sigma0 and finds
   sigma0 and itself there as programs, with their command lines. */
#include <l4/bootinfo.h>

#include "suite.h"

/* The boot-loader memory descriptor of `subtype` that covers [low, high]. */
static int described_as_boot_loader(L4_Word_t low, L4_Word_t high, L4_Word_t subtype)
{
    void *kip = suite_kip();
    for (L4_Word_t i = 0; i < L4_NumMemoryDescriptors(kip); i++) {
        const L4_MemoryDesc_t *d = L4_MemoryDesc(kip, i);
        if (L4_MemoryDescType(d) == L4_BootLoaderSpecificMemoryType && !L4_IsMemoryDescVirtual(d) &&
            L4_MemoryDescSubType(d) == subtype && L4_MemoryDescLow(d) <= low && high <= L4_MemoryDescHigh(d))
            return 1;
    }
    return 0;
}

/* Maps [low, low + size) from sigma0 at the same addresses. */
static int get_pages(L4_Word_t low, L4_Word_t size)
{
    for (L4_Word_t p = low & ~(L4_Word_t)0xFFF; p < low + size; p += 0x1000) {
        L4_Fpage_t got = L4_Sigma0_GetPage(suite_sigma0(), L4_FpageLog2(p, 12));
        if (L4_IsNilFpage(got) || L4_Address(got) != p) return 0;
    }
    return 1;
}

static const L4_BootInfo_t *boot_info(void)
{
    L4_Word_t bi = L4_BootInfo(suite_kip());
    EXPECT_TRUE(bi != 0 && (bi & 0xFFF) == 0);
    EXPECT_TRUE(described_as_boot_loader(bi, bi + sizeof(L4_BootInfo_t) - 1, 1));
    if (!bi || !get_pages(bi, 0x1000)) return 0;
    const L4_BootInfo_t *b = (const L4_BootInfo_t *)bi;
    if (!get_pages(bi, L4_BootInfo_Size(b))) return 0;
    return b;
}

static void programs_are_recorded_with_their_command_lines(void)
{
    const L4_BootInfo_t *b = boot_info();
    EXPECT_TRUE(b != 0);
    if (!b) return;
    EXPECT_TRUE(L4_BootInfo_Valid(b));
    EXPECT_TRUE(L4_BootInfo_Entries(b) >= 2);
    void *kip = suite_kip();
    const L4_Word_t ip[2] = {__L4_KipWord(kip, L4_KIP_SIGMA0_IP), __L4_KipWord(kip, L4_KIP_ROOT_IP)};
    const L4_BootRec_t *r = L4_BootInfo_FirstEntry(b);
    for (int i = 0; i < 2; i++, r = L4_BootRec_Next(r)) {
        EXPECT_EQ(L4_BootRec_Type(r), L4_BootInfo_SimpleExec);
        if (L4_BootRec_Type(r) != L4_BootInfo_SimpleExec) return;
        EXPECT_EQ(L4_SimpleExec_InitialIP(r), ip[i]);
        EXPECT_EQ(L4_SimpleExec_Flags(r), L4_WORD_BITS == 64 ? 2 : 1); /* the ELF class */
        L4_Word_t text = L4_SimpleExec_TextVstart(r);
        EXPECT_EQ(L4_SimpleExec_TextPstart(r), text);
        EXPECT_TRUE(text <= ip[i] && ip[i] < text + L4_SimpleExec_TextSize(r));
        EXPECT_TRUE(described_as_boot_loader(text, text + L4_SimpleExec_TextSize(r) - 1, 2));
        const char *line = L4_SimpleExec_Cmdline(r);
        EXPECT_TRUE(line != 0 && line[0] != 0);
    }
    /* The root task's line names its image: this program. */
    r = L4_BootRec_Next(L4_BootInfo_FirstEntry(b));
    const char *line = L4_SimpleExec_Cmdline(r);
    const char *name = "conformance";
    int found = 0;
    for (const char *p = line; p && *p && !found; p++) found = strncmp(p, name, strlen(name)) == 0;
    EXPECT_TRUE(found);
}

/* Whatever modules the box was given: each lies on its own pages of
   boot-loader memory, and its line starts with its path. */
static void modules_lie_in_boot_loader_memory(void)
{
    const L4_BootInfo_t *b = boot_info();
    if (!b) return;
    const L4_BootRec_t *r = L4_BootInfo_FirstEntry(b);
    for (L4_Word_t i = 0; i < L4_BootInfo_Entries(b); i++, r = L4_BootRec_Next(r)) {
        EXPECT_TRUE(r->offset_next >= sizeof(L4_BootRec_t) && r->offset_next % sizeof(L4_Word_t) == 0);
        if (L4_BootRec_Type(r) != L4_BootInfo_Module) continue;
        L4_Word_t start = L4_Module_Start(r), size = L4_Module_Size(r);
        EXPECT_EQ(start & 0xFFF, 0);
        if (size) EXPECT_TRUE(described_as_boot_loader(start, start + size - 1, 3));
        EXPECT_TRUE(get_pages(start, size));
        EXPECT_TRUE(L4_Module_Cmdline(r) != 0);
    }
}

const struct suite_case suite_boot_info_cases[] = {
    {"BootInfo.ProgramsAreRecordedWithTheirCommandLines", programs_are_recorded_with_their_command_lines},
    {"BootInfo.ModulesLieInBootLoaderMemory", modules_lie_in_boot_loader_memory},
};
const unsigned suite_boot_info_case_count = sizeof suite_boot_info_cases / sizeof suite_boot_info_cases[0];
