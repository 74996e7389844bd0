/* sigma0: the root pager; hands out physical memory by faults and requests. */
#include <l4/l4.h>
#include <l4rt/rt.h>

#include "pools.h"

/* Pistachio's sigma0 extension (kernel threads and the root task only). */
#define S0_EXTENSION_LABEL L4_KERNEL_LABEL(1001)

enum { S0_EXT_VERBOSITY = 1, S0_EXT_DUMP = 2 };

static s0_pools_t pools;
static const void *kip;
static L4_Word_t verbose; /* 0 quiet, 1 refusals, 2 every mapping */
static L4_Word_t system_base, user_base;
static L4_ThreadId_t root_id;

static L4_Word_t kip_word(int i) { return ((const L4_Word_t *)kip)[i]; }

static unsigned smallest_page_log2(void)
{
    L4_Word_t sizes = L4_PageSizeMask(kip);
    for (unsigned s = 10; s < L4_WORD_BITS; s++)
        if ((sizes >> s) & 1)
            return s;
    return 12;
}

static void init_pools(void)
{
    system_base = L4_ThreadIdSystemBase(kip);
    user_base = L4_ThreadIdUserBase(kip);
    root_id = L4_GlobalId(user_base + 2, 1);
    s0_image_t images[4] = {
        { kip_word(L4_KIP_KDEBUG_LOW), kip_word(L4_KIP_KDEBUG_HIGH), S0_RESERVED, 0 },
        { kip_word(L4_KIP_SIGMA0_LOW), kip_word(L4_KIP_SIGMA0_HIGH), S0_OWNED, L4_GlobalId(user_base, 1).raw },
        { kip_word(L4_KIP_SIGMA1_LOW), kip_word(L4_KIP_SIGMA1_HIGH), S0_OWNED, L4_GlobalId(user_base + 1, 1).raw },
        { kip_word(L4_KIP_ROOT_LOW), kip_word(L4_KIP_ROOT_HIGH), S0_OWNED, root_id.raw },
    };
    L4_Word_t n = L4_NumMemoryDescriptors(kip);
    const L4_Word_t *descs = n ? L4_MemoryDesc(kip, 0)->raw : 0;
    s0_status_t s = s0_pools_setup(&pools, smallest_page_log2(), descs, n, images, 4);
    if (s != S0_OK)
        printf("sigma0: memory descriptors only partly applied: %s\n", s0_status_name(s));
}

/* Splits of non-conventional memory (explicit requests for it) the table
   keeps room for beyond what free conventional memory may need. */
enum { spare_regions = 4096 };

/* The table moves into memory of sigma0's own, sized so that every free
   page can be given away one by one in any order of owners: sigma0 serves
   all of memory however it is asked.  Costs one region (4 words) per page
   of conventional memory, touched only as the table grows. */
static void size_table(void)
{
    L4_Word_t need = s0_pools_regions_needed(&pools, spare_regions);
    L4_Word_t base;
    s0_status_t s = s0_pools_take_top(&pools, need * sizeof(s0_region_t), L4_Myself().raw, &base);
    if (s != S0_OK) {
        printf("sigma0: no memory for a region table of %lu entries (%s): %u entries only\n", (unsigned long)need,
               s0_status_name(s), pools.capacity);
        return;
    }
    s0_pools_move(&pools, (s0_region_t *)base, (unsigned)need);
}

static void dump_pools(void)
{
    for (unsigned i = 0; i < pools.count; i++) {
        const s0_region_t *r = &pools.r[i];
        printf("sigma0: %#18lx-%#18lx %s", (unsigned long)r->lo, (unsigned long)r->hi, s0_kind_name(r->kind));
        if (r->kind == S0_OWNED)
            printf(" by %#lx\n", (unsigned long)r->owner);
        else
            printf("\n");
    }
}

static int is_kernel_thread(L4_ThreadId_t t)
{
    L4_Word_t n = L4_ThreadNo(t);
    return L4_IsGlobalId(t) && n >= system_base && n < user_base;
}

static void load_map_reply(L4_Word_t base, unsigned log2)
{
    L4_MapItem_t item = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(base, (int)log2), L4_FullyAccessible), base);
    L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
    L4_LoadMR(1, item.raw[0]);
    L4_LoadMR(2, item.raw[1]);
}

/* A map item of the nil fpage: maps nothing, the client reads nil in MR2. */
static void load_nil_reply(void)
{
    L4_MapItem_t item = L4_MapItem(L4_Nilpage, 0);
    L4_LoadMR(0, L4_MsgTagMake(0, 0, 2).raw);
    L4_LoadMR(1, item.raw[0]);
    L4_LoadMR(2, item.raw[1]);
}

/* Attribute index 0 of the fpage (rights bits 0) set to `attr`. */
static int set_attributes(L4_Word_t base, unsigned log2, L4_Word_t attr)
{
    L4_Word_t attrs[4] = { attr, 0, 0, 0 };
    L4_LoadMR(0, L4_FpageLog2(base, (int)log2).raw);
    return L4_MemoryControl(0, attrs) != 0;
}

/* Returns whether to reply (MRs loaded). */
static int page_fault(L4_ThreadId_t from, L4_Word_t label)
{
    L4_Word_t addr, ip, base;
    L4_StoreMR(1, &addr);
    L4_StoreMR(2, &ip);
    s0_status_t s = s0_pools_take_fault(&pools, addr, from.raw, &base);
    if (s != S0_OK) {
        /* A reply without a page would only make it fault again: it waits. */
        printf("sigma0: page fault %c%c%c at %#lx (ip %#lx) of thread %#lx refused: %s\n",
               label & 4 ? 'r' : '-', label & 2 ? 'w' : '-', label & 1 ? 'x' : '-', (unsigned long)addr,
               (unsigned long)ip, (unsigned long)from.raw, s0_status_name(s));
        return 0;
    }
    if (verbose >= 2)
        printf("sigma0: fault %#lx -> page %#lx for %#lx\n", (unsigned long)addr, (unsigned long)base,
               (unsigned long)from.raw);
    load_map_reply(base, pools.page_log2);
    return 1;
}

static int request(L4_ThreadId_t from, L4_Word_t u)
{
    L4_Word_t fp, attr, high = 0, base = 0;
    L4_StoreMR(1, &fp);
    L4_StoreMR(2, &attr);
    if (u == 3)
        L4_StoreMR(3, &high);
    if (is_kernel_thread(from)) {
        /* Kernel memory requests: unimplemented (as in Pistachio), no reply. */
        if (verbose)
            printf("sigma0: kernel thread %#lx: kernel memory requests are not supported\n", (unsigned long)from.raw);
        return 0;
    }
    unsigned log2 = (unsigned)L4_SizeLog2((L4_Fpage_t){ .raw = fp });
    s0_status_t s;
    if ((fp & 8) && high != 0) {
        s = S0_ERR_UNAVAILABLE; /* physical addresses beyond the word: none here */
    } else if (s0_fpage_is_any(fp, __L4_Utcb()[L4_TCR_WORD_SIZE_MASK])) {
        s = s0_pools_find_any(&pools, log2, &base);
    } else {
        base = fp & ~(L4_Word_t)0x3FF;
        s = s0_pools_check(&pools, base, log2, from.raw, 1);
    }
    if (s == S0_OK && attr != 0 && !set_attributes(base, log2, attr))
        s = S0_ERR_ATTRIBUTES;
    if (s == S0_OK)
        s = s0_pools_take(&pools, base, log2, from.raw, 1);
    if (s != S0_OK) {
        if (verbose)
            printf("sigma0: request %#lx (attr %#lx) of thread %#lx refused: %s\n", (unsigned long)fp,
                   (unsigned long)attr, (unsigned long)from.raw, s0_status_name(s));
        load_nil_reply();
        return 1;
    }
    base &= ~(((L4_Word_t)1 << log2) - 1);
    if (verbose >= 2)
        printf("sigma0: request %#lx -> %#lx, 2^%u bytes, for %#lx\n", (unsigned long)fp, (unsigned long)base, log2,
               (unsigned long)from.raw);
    load_map_reply(base, log2);
    return 1;
}

static int extension(L4_ThreadId_t from)
{
    L4_Word_t op, arg;
    if (!is_kernel_thread(from) && !L4_IsThreadEqual(from, root_id))
        return 0;
    L4_StoreMR(1, &op);
    L4_StoreMR(2, &arg);
    if (op == S0_EXT_VERBOSITY) {
        verbose = arg;
        return 0;
    }
    if (op == S0_EXT_DUMP) {
        dump_pools();
        if (arg == 0)
            return 0;
        L4_LoadMR(0, L4_Niltag.raw);
        return 1;
    }
    return 0;
}

/* Returns whether to reply with the message now in the MRs. */
static int handle(L4_MsgTag_t tag, L4_ThreadId_t from)
{
    L4_Word_t u = L4_UntypedWords(tag);
    if (L4_TypedWords(tag) != 0 || (u != 2 && u != 3))
        return 0;
    L4_Word_t label = L4_Label(tag);
    if (label >> 4 == L4_PAGEFAULT_LABEL >> 4)
        return page_fault(from, label);
    if (label >> 4 == L4_SIGMA0_LABEL >> 4)
        return request(from, u);
    if (label >> 4 == S0_EXTENSION_LABEL >> 4)
        return extension(from);
    return 0;
}

int main(void)
{
    kip = l4rt_kip;
    if (!L4_KipIsValid(kip)) {
        printf("sigma0: no kernel interface page at %p\n", (void *)kip);
        return 1;
    }
    init_pools();
    size_table();
    unsigned long long kib;
    unsigned ranges;
    s0_pools_free_stats(&pools, &kib, &ranges);
    printf("sigma0: %llu KiB conventional memory in %u ranges\n", kib, ranges);

    L4_Accept(L4_UntypedWordsAcceptor);
    L4_ThreadId_t client;
    L4_MsgTag_t tag = L4_Wait(&client);
    for (;;) {
        /* A failed receive, or a reply the client did not take (not waiting,
           refused the mapping): drop it and wait for the next message. */
        if (L4_IpcFailed(tag) || !handle(tag, client))
            tag = L4_Wait(&client);
        else
            tag = L4_ReplyWait(client, &client);
    }
}
