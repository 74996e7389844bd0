/* launch: a root task that starts every program given as a module in an
   address space of its own, the way a system's loader does (built against
   the installed UMOL4 SDK; docs/getting-started.md).  It finds the
   programs in the boot information (simple-exec records: the boot loader
   put each at its link address), takes their pages from sigma0, creates a
   space and a thread for each, and is their pager: each page fault inside
   a program's image is answered with the page.  Link it above the programs
   it starts (its CMakeLists.txt puts it at 16 MiB). */
#include <l4/bootinfo.h>
#include <l4/l4.h>
#include <l4rt/pager.h>
#include <l4rt/rt.h>

enum { most = 8 };

/* Where the programs' spaces have their KIP and UTCBs: above what the
   programs use, on every arch. */
#define KIP_AREA 0xBFF00000UL
#define UTCB_AREA 0xBF000000UL

static struct program {
    L4_ThreadId_t thread;
    L4_Word_t low, high; /* its image: text, data and bss */
} programs[most];
static unsigned count;

static int take_pages(L4_Word_t low, L4_Word_t high)
{
    for (L4_Word_t p = low & ~(L4_Word_t)0xFFF; p < high; p += 0x1000)
        if (L4_IsNilFpage(L4_Sigma0_GetPage(L4_nilthread, L4_FpageLog2(p, 12)))) return 0;
    return 1;
}

static void start(L4_BootRec_t *r)
{
    struct program *p = &programs[count];
    L4_Word_t bss_end = L4_SimpleExec_BssVstart(r) + L4_SimpleExec_BssSize(r);
    L4_Word_t data_end = L4_SimpleExec_DataVstart(r) + L4_SimpleExec_DataSize(r);
    p->low = L4_SimpleExec_TextVstart(r) & ~(L4_Word_t)0xFFF;
    p->high = bss_end > data_end ? bss_end : data_end;
    if (!take_pages(p->low, p->high)) {
        printf("launch: sigma0 refused the pages of %s\n", L4_SimpleExec_Cmdline(r));
        return;
    }
    L4_ThreadId_t me = L4_Myself(), t = L4_GlobalId(L4_ThreadNo(me) + 1 + count, 1);
    /* An inactive thread names the new space; its areas are set before the
       thread gets a UTCB and this thread as its pager. */
    if (!L4_ThreadControl(t, t, me, L4_nilthread, (void *)~0UL) ||
        !L4_SpaceControl(t, 0, L4_FpageLog2(KIP_AREA, 12), L4_FpageLog2(UTCB_AREA, 14), L4_nilthread, 0) ||
        !L4_ThreadControl(t, t, me, me, (void *)UTCB_AREA)) {
        printf("launch: creating the space of %s failed: error %lu\n", L4_SimpleExec_Cmdline(r), L4_ErrorCode());
        return;
    }
    /* The startup message: the program's entry; its start code sets its
       own stack. */
    L4_LoadMR(0, L4_MsgTagMake(0, 2, 0).raw);
    L4_LoadMR(1, L4_SimpleExec_InitialIP(r));
    L4_LoadMR(2, 0);
    L4_Send(t);
    p->thread = t;
    count++;
    printf("launch: started \"%s\" as thread %lu in a space of its own\n", L4_SimpleExec_Cmdline(r), L4_ThreadNo(t));
}

/* The program whose image holds `address`, for a fault of `from`'s space. */
static int inside_image(L4_ThreadId_t from, L4_Word_t address)
{
    for (unsigned i = 0; i < count; i++)
        if (L4_ThreadNo(programs[i].thread) == L4_ThreadNo(from))
            return address >= programs[i].low && address < programs[i].high;
    return 0;
}

int main(void)
{
    void *kip = L4_GetKernelInterface();
    L4_Word_t bi = L4_BootInfo(kip);
    if (!bi || !take_pages(bi, bi + 0x1000) || !L4_BootInfo_Valid((void *)bi) ||
        !take_pages(bi, bi + L4_BootInfo_Size((void *)bi))) {
        printf("launch: no boot information\n");
        return 1;
    }
    /* The first two programs are sigma0 and this root task. */
    unsigned seen = 0;
    L4_BootRec_t *r = L4_BootInfo_FirstEntry((void *)bi);
    for (L4_Word_t i = 0; i < L4_BootInfo_Entries((void *)bi); i++, r = L4_BootRec_Next(r))
        if (L4_BootRec_Type(r) == L4_BootInfo_SimpleExec && ++seen > 2 && count < most)
            start(r);
    if (count == 0) {
        printf("launch: no program among the modules (umol4 run SIGMA0 launch PROGRAM...)\n");
        return 1;
    }
    for (;;) {
        L4_ThreadId_t from;
        L4_MsgTag_t tag = L4_Wait(&from);
        while (L4_IpcSucceeded(tag) && (L4_Label(tag) >> 4) == (L4_PAGEFAULT_LABEL >> 4)) {
            L4_Word_t address;
            L4_StoreMR(1, &address);
            if (!inside_image(from, address)) {
                printf("launch: thread %lu faulted at %#lx, outside its image: it stays stopped\n",
                       L4_ThreadNo(from), address);
                break;
            }
            l4rt_load_same_page_reply(address);
            tag = L4_ReplyWait(from, &from);
        }
    }
}
