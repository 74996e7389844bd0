/* The X.2 binary interface the way a foreign ia32/amd64 binary uses it,
   written from the ABI tables (not through the project's bindings): KIP
   fields at their byte offsets, KernelInterface as raw bytes, the UTCB
   through %gs, system calls through the KIP entries with the published
   register conventions (amd64: the absolute entry, ia32: trampolines the
   program patches into an RWX page), SSE state and rdtsc across calls.
   Prints "compat: N passed, N failed". */
#include <l4/l4.h>
#include <l4rt/pager.h>
#include <l4rt/rt.h>

typedef unsigned long word;
static unsigned passed, failed;

static void check(const char *name, int ok, word got)
{
    printf("compat: %s: %s", name, ok ? "ok\n" : "FAIL");
    if (!ok) printf(" (got %#lx)\n", got);
    if (ok) passed++; else failed++;
}

#if defined(__x86_64__)
enum { W = 8, f_ipc = 0x1C0, f_exreg = 0x1D8, f_clock = 0x1E0, f_space = 0x1A0, f_memdesc_info = 0x0A8,
       f_proc = 0x198, mr0_off = 0x200 };
#else
enum { W = 4, f_ipc = 0x0E0, f_exreg = 0x0EC, f_clock = 0x0F0, f_space = 0x0D0, f_memdesc_info = 0x054,
       f_proc = 0x0CC, mr0_off = 0x100 };
#endif

static word kip_word(const char *kip, unsigned offset) { return *(const word *)(kip + offset); }

/* KernelInterface: the bytes F0 90 (lock; nop). */
static word raw_kernel_interface(word *version, word *flags, word *id)
{
    word base;
    __asm__ volatile(".byte 0xF0, 0x90" : "=a"(base), "=c"(*version), "=d"(*flags), "=S"(*id) : : "memory");
    return base;
}

static void kernel_interface_from_raw_bytes(const char **kip_out)
{
    word version, flags, id, base = raw_kernel_interface(&version, &flags, &id);
    *kip_out = (const char *)base;
    check("KernelInterface returns the KIP", base == (word)L4_GetKernelInterface(), base);
    check("KernelInterface returns API version 0x84050000", version == 0x84050000, version);
    check("KernelInterface returns the API flags", flags == (W == 8 ? 4 : 0), flags);
    /* UMOL4's own kernel id (Pistachio reports 0x04020000), as in the KIP. */
    const word *kip = (const word *)base;
    word kernel_desc = kip[3];
    check("KernelInterface returns the KIP's kernel id", id == *(const word *)((const char *)kip + kernel_desc), id);
}

static void kip_fields_at_their_offsets(const char *kip)
{
    check("KIP magic L4\\xE6K", kip[0] == 'L' && kip[1] == '4' && (unsigned char)kip[2] == 0xE6 && kip[3] == 'K',
          (word)(unsigned char)kip[2]);
    check("the root's KIP is at 0xBFF00000", (word)kip == 0xBFF00000UL, (word)kip);
    check("KIP ApiVersion", kip_word(kip, W) == 0x84050000, kip_word(kip, W));
    word ipc = kip_word(kip, f_ipc);
#if defined(__x86_64__)
    check("amd64 Ipc entry is an absolute address outside the KIP", ipc >= 0x7ff000000000UL, ipc);
#else
    check("ia32 Ipc entry is an offset into the KIP page", ipc > 0x200 && ipc < 4096, ipc);
#endif
    /* Memory descriptors: the host's range is reserved, above every
       address X.2 programs use (up to the root's KIP at 0xBFF00000). */
    word info = kip_word(kip, f_memdesc_info), n = info & ((1UL << (W * 4)) - 1), found = 0;
    const word *desc = (const word *)(kip + (info >> (W * 4)));
    for (word i = 0; i < n; i++) {
        word low = desc[2 * i] & ~0x3FFUL, high = (desc[2 * i + 1] & ~0x3FFUL) | 0x3FF;
        if ((desc[2 * i] & 0xF) == 2 && (desc[2 * i] & 0x200) && low >= 0xC0000000UL) found = high;
    }
    check("the host's virtual range is reserved above 0xC0000000", found != 0, n);
    check("ProcessorInfo: one processor", (kip_word(kip, f_proc) & 0xFFFF) == 0, kip_word(kip, f_proc));
}

static void utcb_through_gs(void)
{
    word *mr0;
    __asm__("mov %%gs:0, %0" : "=r"(mr0));
    check("%gs:0 is the local id (the address of MR0)", (word)mr0 == L4_MyLocalId().raw, (word)mr0);
    check("MyGlobalId at word -15", mr0[-15] == L4_Myself().raw, mr0[-15]);
    check("WordSizeMask at word -1", mr0[-1] == ~0UL, mr0[-1]);
    check("the root's UTCB is at 0xBF000000, MR0 0x200 (amd64) / 0x100 (ia32) into it", (word)mr0 == 0xBF000000UL + mr0_off,
          (word)mr0);
}

static unsigned char trampolines[4096] __attribute__((aligned(4096)));
/* A trampoline in the program's own text, as ia32 X.2 libraries have
   them: written over at start-up (the image's pages are rwx in L4). */
extern unsigned char text_trampoline[];
__asm__(".pushsection .text\n\t.globl text_trampoline\ntext_trampoline:\n\t.fill 16, 1, 0xCC\n\t.popsection");

/* A jump to `target` at `p` (what ia32 binaries write into their syscall
   trampolines at start-up). */
static void *patch_at(unsigned char *p, word target)
{
#if defined(__x86_64__)
    p[0] = 0x49, p[1] = 0xBB; /* movabs $target, %r11 (clobbered by syscall anyway) */
    for (int i = 0; i < 8; i++) p[2 + i] = (unsigned char)(target >> (8 * i));
    p[10] = 0x41, p[11] = 0xFF, p[12] = 0xE3; /* jmp *%r11 */
#else
    word rel = target - ((word)p + 5);
    p[0] = 0xE9; /* jmp rel32 */
    for (int i = 0; i < 4; i++) p[1 + i] = (unsigned char)(rel >> (8 * i));
#endif
    return p;
}

static void *patch(unsigned at, word target) { return patch_at(trampolines + at, target); }

static word entry(const char *kip, unsigned field) { return W == 8 ? kip_word(kip, field) : (word)kip + kip_word(kip, field); }

static unsigned long long clock_through(void *stub)
{
#if defined(__x86_64__)
    word us;
    __asm__ volatile("leaq -128(%%rsp), %%rsp\n\tcall *%1\n\tleaq 128(%%rsp), %%rsp"
                     : "=a"(us) : "r"(stub) : "rcx", "r11", "memory");
    return us;
#else
    word lo, hi;
    __asm__ volatile("call *%2" : "=a"(lo), "=d"(hi) : "b"(stub) : "ecx", "esi", "edi", "memory");
    return ((unsigned long long)hi << 32) | lo;
#endif
}

static void system_clock_through_entries_and_trampolines(const char *kip)
{
    unsigned long long a = clock_through((void *)entry(kip, f_clock));
    unsigned long long b = clock_through(patch(0, entry(kip, f_clock)));
    check("SystemClock through the KIP entry and a patched trampoline", a != 0 && b >= a, (word)(b - a));
    /* Patched again in place after it ran: the new code runs. */
    patch(64, entry(kip, f_clock));
    unsigned long long c = clock_through(patch(0, (word)trampolines + 64));
    check("a trampoline patched again after it ran jumps to its new target", c >= b, (word)(c - b));
    unsigned long long d = clock_through(patch_at(text_trampoline, entry(kip, f_clock)));
    check("a trampoline in the program's text, patched like ia32 X.2 libraries do", d >= c, (word)(d - c));
}

static L4_ThreadId_t echo_thread;
static unsigned long echo_stack[1024] __attribute__((aligned(16)));

/* Replies to every call with each word it got plus one (MR0: 8 words). */
static void echo(void)
{
    L4_ThreadId_t from;
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        L4_Word_t w[8] = {0};
        L4_StoreMRs(1, (int)L4_UntypedWords(tag), w);
        for (int i = 0; i < 8; i++) w[i] += 1;
        L4_LoadMR(0, L4_MsgTagMake(0x77, 8, 0).raw);
        L4_LoadMRs(1, 8, w);
        tag = L4_ReplyWait(from, &from);
    }
}

static void start_echo(void)
{
    void *kip = L4_GetKernelInterface();
    L4_ThreadId_t me = L4_Myself();
    echo_thread = L4_GlobalId(L4_ThreadNo(me) + 1, 1);
    void *utcb = (char *)L4_MyLocalId().raw - mr0_off + L4_UtcbSize(kip);
    L4_ThreadControl(echo_thread, me, me, me, utcb);
    L4_Start_SpIp(echo_thread, (L4_Word_t)&echo_stack[1020], (L4_Word_t)echo);
}

static void ipc_with_the_published_register_convention(const char *kip)
{
    word *mr = (word *)L4_MyLocalId().raw;
    word tag = (8UL << 0) | (0x55UL << 16), from = 0, out0 = 0, out1 = 0, out2 = 0;
    for (int i = 1; i <= 8; i++) mr[i] = 100 + i;
    /* In static memory: an operand relative to the stack pointer would be
       wrong after the red-zone skip. */
    static word stub;
    stub = entry(kip, f_ipc);
#if defined(__x86_64__)
    /* rsi to, rdx FromSpecifier, r8 timeouts, r9 MR0, rax/rbx/r10/r12-r15
       MR1-7, rdi the UTCB; the rest of the words in the UTCB. */
    register word r8 __asm__("r8") = 0; /* never, never */
    register word r9 __asm__("r9") = tag;
    register word r10 __asm__("r10") = 103;
    register word r12 __asm__("r12") = 104, r13 __asm__("r13") = 105, r14 __asm__("r14") = 106,
                  r15 __asm__("r15") = 107;
    word rax = 101, rbx = 102, rsi = echo_thread.raw, rdx = echo_thread.raw;
    __asm__ volatile("leaq -128(%%rsp), %%rsp\n\tcall *%[stub]\n\tleaq 128(%%rsp), %%rsp"
                     : "+a"(rax), "+b"(rbx), "+S"(rsi), "+d"(rdx), "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r12),
                       "+r"(r13), "+r"(r14), "+r"(r15)
                     : [stub] "m"(stub), "D"(mr)
                     : "rcx", "r11", "memory");
    from = rsi, out0 = r9, out1 = rax, out2 = rbx;
    check("amd64 Ipc: MR3-MR7 come back in r10 and r12-r15",
          r10 == 104 && r12 == 105 && r13 == 106 && r14 == 107 && r15 == 108, r15);
#else
    /* eax to, edx FromSpecifier, ecx timeouts, esi MR0, edi the UTCB;
       back: eax from, esi MR0, ebx MR1, ebp MR2 (moved out through ecx). */
    word eax = echo_thread.raw, edx = echo_thread.raw, ecx = 0, esi = tag, ebx;
    __asm__ volatile("push %%ebp\n\tcall *%[stub]\n\tmov %%ebp, %%ecx\n\tpop %%ebp"
                     : "+a"(eax), "+d"(edx), "+c"(ecx), "+S"(esi), "=b"(ebx)
                     : [stub] "m"(stub), "D"(mr)
                     : "memory");
    from = eax, out0 = esi, out1 = ebx, out2 = ecx;
#endif
    check("Ipc: the reply comes from the partner (its local id: same space)", from == L4_LocalIdOf(echo_thread).raw,
          from);
    check("Ipc: MR0 comes back in a register (label 0x77, 8 words)", out0 == ((0x77UL << 16) | 8), out0);
    check("Ipc: MR1 and MR2 come back in registers", out1 == 102 && out2 == 103, out2);
    check("Ipc: MR8 comes back in the UTCB", mr[8] == 109, mr[8]);
}

static void exchange_registers_with_the_published_register_convention(const char *kip)
{
#if defined(__x86_64__)
    /* rax dest, rsi control, rdx sp, r8 ip, r9 flags, r10 handle, rdi pager. */
    static word stub;
    stub = entry(kip, f_exreg);
    register word r8 __asm__("r8") = 0;
    register word r9 __asm__("r9") = 0;
    register word r10 __asm__("r10") = 0;
    word rax = L4_MyLocalId().raw, rsi = 0, rdx = 0, rdi = 0;
    __asm__ volatile("leaq -128(%%rsp), %%rsp\n\tcall *%[stub]\n\tleaq 128(%%rsp), %%rsp"
                     : "+a"(rax), "+S"(rsi), "+d"(rdx), "+r"(r8), "+r"(r9), "+r"(r10), "+D"(rdi)
                     : [stub] "m"(stub)
                     : "rbx", "rcx", "r11", "r12", "r13", "r14", "r15", "memory");
    check("amd64 ExchangeRegisters: a local id gives the global id in rax", rax == L4_Myself().raw, rax);
    check("amd64 ExchangeRegisters: the pager (sigma0) in rdi", rdi == L4_GlobalId(L4_ThreadIdUserBase(kip), 1).raw, rdi);
    word result;
    L4_Word_t old = ~0UL;
    result = L4_SpaceControl(L4_Myself(), 1UL << 63, L4_Nilpage, L4_Nilpage, L4_nilthread, &old);
    check("amd64 SpaceControl: bit 63 leaves a space that is set up a 64-bit space (old control 0)",
          result == 1 && old == 0, old);
#else
    (void)kip;
    L4_Word_t old = ~0UL;
    check("ia32 SpaceControl: the control word is ignored",
          L4_SpaceControl(L4_Myself(), 0x80000001UL, L4_Nilpage, L4_Nilpage, L4_nilthread, &old) == 1 && old == 0, old);
#endif
}

/* The sigma0 protocol by hand: label -6<<4, u = 2, MR1 an fpage (base all
   ones: any page), MR2 attributes; the reply is one map item. */
static void sigma0_protocol_by_hand(const char *kip)
{
    word *mr = (word *)L4_MyLocalId().raw;
    mr[-16] = 1 << 4; /* BR0: map items anywhere (the complete address space) */
    mr[0] = ((word)-6 << 4 << 16) | 2;
    mr[1] = (~0UL << 10) | (12 << 4) | 7;
    mr[2] = 0;
    L4_ThreadId_t sigma0 = L4_GlobalId(*(const word *)(kip + (W == 8 ? 0x188 : 0x0C4)) >> 20 & 0xFFF, 1);
    L4_MsgTag_t tag = L4_Call(sigma0);
    word base = mr[2] & ~0x3FFUL;
    check("sigma0 answers with one map item of a 4 KiB page",
          !L4_IpcFailed(tag) && (tag.raw & 0xFFF) == (2 << 6) && (mr[1] & 0xE) == 8 && ((mr[2] >> 4) & 0x3F) == 12, mr[2]);
    volatile word *page = (volatile word *)base;
    page[1] = 0x5A5A;
    check("the page it maps is ours at its address", page[1] == 0x5A5A, base);
    mr[-16] = 0;
    /* Memory descriptors as a boot loader writes them: physical memory
       first, what is taken out of it later (sigma0 applies them in order),
       our own image as boot-loader memory (0xE). */
    word info = kip_word(kip, f_memdesc_info), n = info & ((1UL << (W * 4)) - 1);
    const word *desc = (const word *)(kip + (info >> (W * 4)));
    extern char __executable_start[];
    int conventional_first = (desc[0] & 0xF) == 1 && !(desc[0] & 0x200), image = 0;
    for (word i = 0; i < n; i++) {
        word low = desc[2 * i] & ~0x3FFUL, high = (desc[2 * i + 1] & ~0x3FFUL) | 0x3FF;
        if ((desc[2 * i] & 0xF) == 0xE && low <= (word)__executable_start && (word)__executable_start <= high) image = 1;
    }
    check("physical memory is the first descriptor, the rest override it later", conventional_first, desc[0]);
    check("our image is described as boot-loader memory", image, n);
}

/* IOPL 3 as on a PC: the UART answers at 0x3F8, a port nothing decodes
   reads all ones and takes writes without effect. */
static void port_io_as_on_hardware(void)
{
    unsigned char lsr, none8;
    unsigned short none16;
    unsigned none32;
    __asm__ volatile("outb %%al, $0x80" : : "a"(0x12));
    __asm__ volatile("inb $0x80, %%al" : "=a"(none8));
    __asm__ volatile("inw %%dx, %%ax" : "=a"(none16) : "d"(0x1F0));
    __asm__ volatile("inl %%dx, %%eax" : "=a"(none32) : "d"(0xCFC));
    __asm__ volatile("inb %%dx, %%al" : "=a"(lsr) : "d"(0x3FD));
    check("a port nothing decodes reads all ones (8, 16, 32 bits)", none8 == 0xFF && none16 == 0xFFFF && none32 == ~0u,
          none32);
    check("the UART's line status says the transmitter is empty", (lsr & 0x60) == 0x60, lsr);
}

/* A space of its own running this image (its pager, this thread, maps it
   our pages at the same addresses): it finds its KIP with the raw
   instruction and calls SystemClock through its own KIP's entry, as a
   foreign binary does in every space. */
static volatile word child_kip, child_entry, child_clock;
static unsigned long child_stack[512] __attribute__((aligned(16)));
enum { child_done = 0xD00000 }; /* the child touches this page when it is done */

static void child_main(void)
{
    word version, flags, id, base = raw_kernel_interface(&version, &flags, &id);
    child_kip = base;
    child_entry = entry((const char *)base, f_clock);
    child_clock = (word)clock_through((void *)child_entry);
    *(volatile char *)child_done = 1;
    for (;;) {
    }
}

static void a_child_space_calls_through_its_own_kip(const char *kip)
{
    L4_ThreadId_t me = L4_Myself(), child = L4_GlobalId(L4_ThreadNo(me) + 2, 1);
    int ok = L4_ThreadControl(child, child, me, L4_nilthread, (void *)-1) &&
             L4_SpaceControl(child, 0, L4_FpageLog2(0xC00000, 12), L4_FpageLog2(0x800000, 14), L4_nilthread, 0) &&
             L4_ThreadControl(child, child, me, me, (void *)0x800000);
    check("a child space is created with SpaceControl and ThreadControl", ok, L4_ErrorCode());
    if (!ok) return;
    L4_LoadMR(0, L4_MsgTagMake(0, 2, 0).raw); /* the startup message from its pager */
    L4_LoadMR(1, (L4_Word_t)child_main);
    L4_LoadMR(2, (L4_Word_t)&child_stack[508]);
    L4_Send(child);
    unsigned faults = 0;
    for (;;) {
        L4_MsgTag_t tag = L4_Receive_Timeout(child, L4_TimePeriod(5000000));
        if (L4_IpcFailed(tag) || (L4_Label(tag) >> 4) != (L4_PAGEFAULT_LABEL >> 4)) break;
        L4_Word_t address;
        L4_StoreMR(1, &address);
        if ((address & ~0xFFFUL) == child_done) break;
        l4rt_load_same_page_reply(address);
        L4_Reply(child);
        faults++;
    }
    check("the child's page faults reach its pager", faults > 0, faults);
    check("the child finds its KIP at its own KIP area", child_kip == 0xC00000, child_kip);
#if defined(__x86_64__)
    check("amd64: the child's SystemClock entry is the root's (one address in every space)",
          child_entry == entry(kip, f_clock), child_entry);
#else
    check("ia32: the child's SystemClock entry is inside its own KIP page",
          child_entry == 0xC00000 + (entry(kip, f_clock) - (word)kip), child_entry);
#endif
    check("the child's SystemClock call returns the time", child_clock != 0, child_clock);
    L4_ThreadControl(child, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
}

/* L4 programs are built without SSE code; this function uses the registers. */
__attribute__((target("sse2"))) static void sse_state_and_rdtsc_survive_kernel_entries(void)
{
    unsigned long long in[4] = {0x0123456789abcdefULL, 0xfedcba9876543210ULL, 0x5555aaaa5555aaaaULL, 42}, out[4];
    __asm__ volatile("movdqu %0, %%xmm6\n\tmovdqu %1, %%xmm7" : : "m"(in[0]), "m"(in[2]) : "xmm6", "xmm7");
    unsigned lo0, hi0, lo1, hi1;
    __asm__ volatile("rdtsc" : "=a"(lo0), "=d"(hi0));
    for (int i = 0; i < 20; i++) {
        L4_Yield();
        (void)L4_SystemClock();
    }
    __asm__ volatile("rdtsc" : "=a"(lo1), "=d"(hi1));
    __asm__ volatile("movdqu %%xmm6, %0\n\tmovdqu %%xmm7, %1" : "=m"(out[0]), "=m"(out[2]));
    check("xmm6/xmm7 keep their values across system calls",
          out[0] == in[0] && out[1] == in[1] && out[2] == in[2] && out[3] == in[3], 0);
    unsigned long long t0 = ((unsigned long long)hi0 << 32) | lo0, t1 = ((unsigned long long)hi1 << 32) | lo1;
    check("rdtsc counts up", t1 > t0, (word)(t1 - t0));
}

int main(void)
{
    const char *kip;
    kernel_interface_from_raw_bytes(&kip);
    kip_fields_at_their_offsets(kip);
    utcb_through_gs();
    system_clock_through_entries_and_trampolines(kip);
    extern char __executable_start[], _end[];
    for (volatile char *p = __executable_start; p < _end; p += 4096)
        (void)*p; /* the echo thread's pager is this thread: nothing to fault */
    start_echo();
    ipc_with_the_published_register_convention(kip);
    exchange_registers_with_the_published_register_convention(kip);
    a_child_space_calls_through_its_own_kip(kip);
    port_io_as_on_hardware();
    sigma0_protocol_by_hand(kip);
    sse_state_and_rdtsc_survive_kernel_entries();
    printf("compat: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
