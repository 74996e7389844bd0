/* A root task that reads its boot information the way a loader does: it
   asks sigma0 for the pages, walks the records and prints each one (type,
   command line, where it lies), the first line of every module's bytes and
   the first code bytes of every program given as a module. */
#include <l4/bootinfo.h>
#include <l4/l4.h>
#include <l4rt/rt.h>

static int get_pages(L4_ThreadId_t s0, L4_Word_t low, L4_Word_t size)
{
    for (L4_Word_t p = low & ~(L4_Word_t)0xFFF; p < low + size; p += 0x1000)
        if (L4_IsNilFpage(L4_Sigma0_GetPage(s0, L4_FpageLog2(p, 12)))) return 0;
    return 1;
}

/* Up to the first newline or 40 bytes, printable bytes only. */
static void print_first_line(const char *p, L4_Word_t size)
{
    char line[41];
    L4_Word_t n = 0;
    while (n < size && n < 40 && p[n] != '\n') {
        line[n] = p[n] >= ' ' && p[n] <= '~' ? p[n] : '.';
        n++;
    }
    line[n] = 0;
    printf("boot-info:   first line \"%s\"\n", line);
}

int main(void)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t s0 = L4_GlobalId(L4_ThreadIdUserBase(kip), 1);
    L4_Word_t bi = L4_BootInfo(kip);
    if (!bi || !get_pages(s0, bi, 0x1000) || !L4_BootInfo_Valid((void *)bi)) {
        printf("boot-info: none valid at %#lx\n", bi);
        return 1;
    }
    if (!get_pages(s0, bi, L4_BootInfo_Size((void *)bi))) {
        printf("boot-info: sigma0 refused its pages\n");
        return 1;
    }
    L4_Word_t n = L4_BootInfo_Entries((void *)bi);
    printf("boot-info: %lu records, %lu bytes\n", n, L4_BootInfo_Size((void *)bi));
    L4_BootRec_t *r = L4_BootInfo_FirstEntry((void *)bi);
    for (L4_Word_t i = 0; i < n; i++, r = L4_BootRec_Next(r)) {
        switch (L4_BootRec_Type(r)) {
        case L4_BootInfo_SimpleExec: {
            L4_Word_t entry = L4_SimpleExec_InitialIP(r);
            printf("boot-info: program \"%s\" entry %#lx class %lu\n", L4_SimpleExec_Cmdline(r), entry,
                   L4_SimpleExec_Flags(r));
            /* Programs past sigma0 and this one (given as modules): loaded
               at their link addresses, their code at the entry. */
            if (i >= 2) {
                if (!get_pages(s0, entry, 4)) {
                    printf("boot-info:   sigma0 refused the program's pages\n");
                    return 1;
                }
                const unsigned char *code = (const unsigned char *)entry;
                printf("boot-info:   code at the entry %02x%02x%02x%02x\n", code[0], code[1], code[2], code[3]);
            }
            break;
        }
        case L4_BootInfo_Module: {
            L4_Word_t start = L4_Module_Start(r), size = L4_Module_Size(r);
            printf("boot-info: module \"%s\" %lu bytes\n", L4_Module_Cmdline(r), size);
            if (!get_pages(s0, start, size)) {
                printf("boot-info:   sigma0 refused the module's pages\n");
                return 1;
            }
            if (size) print_first_line((const char *)start, size);
            break;
        }
        default: printf("boot-info: record of type %#lx\n", L4_BootRec_Type(r)); break;
        }
    }
    return 0;
}
