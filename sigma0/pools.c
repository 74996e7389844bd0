/* sigma0's memory pools: a sorted region table with owners (x2-semantics 10). */
#include "pools.h"

#include <l4/kip.h> /* memory descriptor types only */

#define WORD_MAX (~(L4_Word_t)0)

static unsigned pool_kind_of_type(L4_Word_t type)
{
    switch (type) {
    case L4_ConventionalMemoryType: return S0_FREE;
    case L4_ReservedMemoryType: return S0_RESERVED;
    case L4_DedicatedMemoryType:
    case L4_BootLoaderSpecificMemoryType:
    case L4_ArchitectureSpecificMemoryType: return S0_NONCONV;
    case L4_SharedMemoryType: return S0_SHARED;
    default: return 0; /* undefined (and types X.2 does not define): removed */
    }
}

/* Index of the first region ending at or above addr (count if none). */
static unsigned first_not_below(const s0_pools_t *p, L4_Word_t addr)
{
    unsigned lo = 0, hi = p->count;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (p->r[mid].hi < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void erase(s0_pools_t *p, unsigned i, unsigned n)
{
    for (unsigned j = i; j + n < p->count; j++)
        p->r[j] = p->r[j + n];
    p->count -= n;
}

/* The caller has checked the capacity. */
static void insert(s0_pools_t *p, unsigned i, s0_region_t r)
{
    for (unsigned j = p->count; j > i; j--)
        p->r[j] = p->r[j - 1];
    p->r[i] = r;
    p->count++;
}

/* The region that holds addr and starts below it, or 0. */
static s0_region_t *straddling(s0_pools_t *p, L4_Word_t addr)
{
    unsigned i = first_not_below(p, addr);
    if (i < p->count && p->r[i].lo < addr)
        return &p->r[i];
    return 0;
}

/* Makes addr the start of a region if a region holds it (capacity checked). */
static void split_at(s0_pools_t *p, L4_Word_t addr)
{
    unsigned i = first_not_below(p, addr);
    if (i < p->count && p->r[i].lo < addr) {
        s0_region_t upper = p->r[i];
        upper.lo = addr;
        p->r[i].hi = addr - 1;
        insert(p, i + 1, upper);
    }
}

static int same_pool(const s0_region_t *a, unsigned kind, L4_Word_t owner)
{
    return a->kind == kind && a->owner == owner;
}

/* Merges touching neighbours of the same pool among r[from..to]. */
static void merge_window(s0_pools_t *p, unsigned from, unsigned to)
{
    if (p->count == 0)
        return;
    if (to >= p->count)
        to = p->count - 1;
    unsigned i = from + 1;
    while (i <= to) {
        s0_region_t *a = &p->r[i - 1], *b = &p->r[i];
        if (a->hi != WORD_MAX && a->hi + 1 == b->lo && same_pool(a, b->kind, b->owner)) {
            a->hi = b->hi;
            erase(p, i, 1);
            to--;
        } else {
            i++;
        }
    }
}

void s0_pools_init(s0_pools_t *p, unsigned page_log2)
{
    p->page_log2 = page_log2;
    p->r = p->boot;
    p->capacity = S0_BOOT_REGIONS;
    p->keep_room = 0;
    p->count = 1;
    p->r[0].lo = 0;
    p->r[0].hi = WORD_MAX;
    p->r[0].owner = 0;
    p->r[0].kind = S0_NONCONV;
}

s0_status_t s0_pools_set(s0_pools_t *p, L4_Word_t lo, L4_Word_t hi, unsigned kind, L4_Word_t owner)
{
    if (lo > hi)
        return S0_OK;
    if (kind != S0_OWNED)
        owner = 0;
    const s0_region_t *below = straddling(p, lo);
    const s0_region_t *above = hi == WORD_MAX ? 0 : straddling(p, hi + 1);
    int split_below = below && !same_pool(below, kind, owner);
    int split_above = above && !same_pool(above, kind, owner);
    if (p->count + (unsigned)split_below + (unsigned)split_above + (kind != 0) > p->capacity)
        return S0_ERR_TABLE_FULL;
    if (split_below)
        split_at(p, lo);
    if (split_above)
        split_at(p, hi + 1);
    /* Unsplit straddling regions are of the new pool already: widen the range
       to them so they are replaced as a whole. */
    unsigned a = first_not_below(p, lo);
    if (a < p->count && p->r[a].lo < lo)
        lo = p->r[a].lo;
    unsigned b = a;
    while (b < p->count && p->r[b].lo <= hi)
        b++;
    if (b > a && p->r[b - 1].hi > hi)
        hi = p->r[b - 1].hi;
    erase(p, a, b - a);
    if (kind != 0) {
        s0_region_t r = { lo, hi, owner, kind };
        insert(p, a, r);
        merge_window(p, a ? a - 1 : 0, a + 1);
    }
    return S0_OK;
}

s0_status_t s0_pools_apply_descriptor(s0_pools_t *p, const L4_Word_t desc[2])
{
    if ((desc[0] >> 9) & 1)
        return S0_OK; /* virtual: says nothing about physical memory */
    L4_Word_t lo = desc[0] & ~(L4_Word_t)0x3FF;
    L4_Word_t hi = desc[1] | 0x3FF;
    return s0_pools_set(p, lo, hi, pool_kind_of_type(desc[0] & 0xF), 0);
}

s0_status_t s0_pools_assign_image(s0_pools_t *p, const s0_image_t *img)
{
    if ((img->low == 0 && img->high == 0) || img->high < img->low)
        return S0_OK;
    L4_Word_t page_mask = ((L4_Word_t)1 << p->page_log2) - 1;
    L4_Word_t lo = img->low & ~page_mask;
    L4_Word_t hi = (img->high & page_mask) == 0 && img->high > img->low ? img->high - 1 : img->high | page_mask;
    return s0_pools_set(p, lo, hi, img->kind, img->owner);
}

s0_status_t s0_pools_setup(s0_pools_t *p, unsigned page_log2, const L4_Word_t *descs, L4_Word_t ndescs,
                           const s0_image_t *images, unsigned nimages)
{
    s0_status_t first = S0_OK;
    s0_pools_init(p, page_log2);
    for (L4_Word_t i = 0; i < ndescs; i++) {
        s0_status_t s = s0_pools_apply_descriptor(p, &descs[2 * i]);
        if (first == S0_OK)
            first = s;
    }
    for (unsigned i = 0; i < nimages; i++) {
        s0_status_t s = s0_pools_assign_image(p, &images[i]);
        if (first == S0_OK)
            first = s;
    }
    return first;
}

static int usable(const s0_region_t *r, L4_Word_t requester, int request)
{
    switch (r->kind) {
    case S0_FREE:
    case S0_SHARED: return 1;
    case S0_OWNED: return r->owner == requester;
    case S0_NONCONV: return request;
    default: return 0;
    }
}

/* [*lo, *hi] of the fpage of 2^log2 bytes holding base; 0 if the size is not
   one sigma0 hands out. */
static int fpage_range(const s0_pools_t *p, L4_Word_t base, unsigned log2, L4_Word_t *lo, L4_Word_t *hi)
{
    if (log2 < p->page_log2 || log2 >= L4_WORD_BITS)
        return 0;
    L4_Word_t size = (L4_Word_t)1 << log2;
    *lo = base & ~(size - 1);
    *hi = *lo + (size - 1);
    return 1;
}

s0_status_t s0_pools_check(const s0_pools_t *p, L4_Word_t base, unsigned log2, L4_Word_t requester, int request)
{
    L4_Word_t lo, hi;
    if (!fpage_range(p, base, log2, &lo, &hi))
        return S0_ERR_SIZE;
    L4_Word_t next = lo; /* first byte not yet found usable */
    for (unsigned i = first_not_below(p, lo); i < p->count && p->r[i].lo <= hi; i++) {
        if (p->r[i].lo > next || !usable(&p->r[i], requester, request))
            return S0_ERR_UNAVAILABLE;
        if (p->r[i].hi >= hi)
            return S0_OK;
        next = p->r[i].hi + 1;
    }
    return S0_ERR_UNAVAILABLE; /* a removed gap up to hi */
}

/* Whether taking changes the region (shared stays shared, own stays own). */
static int taking_changes(const s0_region_t *r, L4_Word_t requester)
{
    return r->kind != S0_SHARED && !(r->kind == S0_OWNED && r->owner == requester);
}

/* Future splits of free conventional memory, at most: a region of n pages
   (pages it touches) becomes at most n regions. */
static L4_Word_t room_for_free(const s0_pools_t *p)
{
    L4_Word_t room = 0;
    for (unsigned i = 0; i < p->count; i++)
        if (p->r[i].kind == S0_FREE)
            room += (p->r[i].hi >> p->page_log2) - (p->r[i].lo >> p->page_log2);
    return room;
}

/* Whether taking [lo, hi] changes a non-conventional region. */
static int splits_nonconv(const s0_pools_t *p, L4_Word_t lo, L4_Word_t hi, L4_Word_t requester)
{
    for (unsigned i = first_not_below(p, lo); i < p->count && p->r[i].lo <= hi; i++)
        if (p->r[i].kind == S0_NONCONV && taking_changes(&p->r[i], requester))
            return 1;
    return 0;
}

L4_Word_t s0_pools_regions_needed(const s0_pools_t *p, L4_Word_t spare)
{
    return p->count + room_for_free(p) + spare;
}

void s0_pools_move(s0_pools_t *p, s0_region_t *table, unsigned capacity)
{
    for (unsigned i = 0; i < p->count; i++)
        table[i] = p->r[i];
    p->r = table;
    p->capacity = capacity;
    p->keep_room = 1;
}

s0_status_t s0_pools_take_top(s0_pools_t *p, L4_Word_t bytes, L4_Word_t owner, L4_Word_t *base)
{
    L4_Word_t page = (L4_Word_t)1 << p->page_log2;
    if (bytes == 0 || bytes > WORD_MAX - page)
        return S0_ERR_SIZE;
    L4_Word_t size = (bytes + page - 1) & ~(page - 1);
    for (unsigned i = p->count; i-- > 0;) {
        const s0_region_t *r = &p->r[i];
        if (r->kind != S0_FREE || r->hi - r->lo < size - 1)
            continue;
        L4_Word_t b = (r->hi - (size - 1)) & ~(page - 1);
        if (b < r->lo)
            continue;
        s0_status_t s = s0_pools_set(p, b, b + (size - 1), S0_OWNED, owner);
        if (s == S0_OK)
            *base = b;
        return s;
    }
    return S0_ERR_NO_MEMORY;
}

s0_status_t s0_pools_take(s0_pools_t *p, L4_Word_t base, unsigned log2, L4_Word_t requester, int request)
{
    s0_status_t s = s0_pools_check(p, base, log2, requester, request);
    if (s != S0_OK)
        return s;
    L4_Word_t lo = 0, hi = 0;
    fpage_range(p, base, log2, &lo, &hi);
    const s0_region_t *below = straddling(p, lo);
    const s0_region_t *above = hi == WORD_MAX ? 0 : straddling(p, hi + 1);
    int split_below = below && taking_changes(below, requester);
    int split_above = above && taking_changes(above, requester);
    L4_Word_t need = p->count + (unsigned)split_below + (unsigned)split_above;
    if (need > p->capacity || (p->keep_room && splits_nonconv(p, lo, hi, requester) &&
                               need + room_for_free(p) > p->capacity))
        return S0_ERR_TABLE_FULL;
    if (split_below)
        split_at(p, lo);
    if (split_above)
        split_at(p, hi + 1);
    unsigned a = first_not_below(p, lo), b = a;
    for (; b < p->count && p->r[b].lo <= hi; b++) {
        if (p->r[b].kind != S0_SHARED) {
            p->r[b].kind = S0_OWNED;
            p->r[b].owner = requester;
        }
    }
    merge_window(p, a ? a - 1 : 0, b);
    return S0_OK;
}

s0_status_t s0_pools_find_any(const s0_pools_t *p, unsigned log2, L4_Word_t *base)
{
    L4_Word_t lo, hi;
    if (!fpage_range(p, 0, log2, &lo, &hi))
        return S0_ERR_SIZE;
    L4_Word_t last = hi; /* size - 1 */
    /* From the top: low memory stays free for faults at fixed addresses. */
    for (unsigned i = p->count; i-- > 0;) {
        const s0_region_t *r = &p->r[i];
        if (r->kind != S0_FREE || r->hi - r->lo < last)
            continue;
        L4_Word_t b = (r->hi - last) & ~last;
        if (b >= r->lo) {
            *base = b;
            return S0_OK;
        }
    }
    return S0_ERR_NO_MEMORY;
}

s0_status_t s0_pools_take_any(s0_pools_t *p, unsigned log2, L4_Word_t requester, L4_Word_t *base)
{
    L4_Word_t b;
    s0_status_t s = s0_pools_find_any(p, log2, &b);
    if (s == S0_OK)
        s = s0_pools_take(p, b, log2, requester, 0);
    if (s == S0_OK)
        *base = b;
    return s;
}

s0_status_t s0_pools_take_fault(s0_pools_t *p, L4_Word_t addr, L4_Word_t faulter, L4_Word_t *base)
{
    L4_Word_t b = addr & ~(((L4_Word_t)1 << p->page_log2) - 1);
    s0_status_t s = s0_pools_take(p, b, p->page_log2, faulter, 0);
    if (s == S0_OK)
        *base = b;
    return s;
}

int s0_fpage_is_any(L4_Word_t fpage, L4_Word_t word_mask)
{
    unsigned s = (unsigned)(fpage >> 4) & 0x3F;
    if (s >= L4_WORD_BITS)
        return 0;
    L4_Word_t v = fpage | (((L4_Word_t)1 << s) - 1) | 0x3FF;
    return v == WORD_MAX || (word_mask != 0 && v == word_mask);
}

int s0_pools_valid(const s0_pools_t *p)
{
    if (p->count > p->capacity)
        return 0;
    for (unsigned i = 0; i < p->count; i++) {
        const s0_region_t *r = &p->r[i];
        if (r->lo > r->hi || r->kind < S0_FREE || r->kind > S0_OWNED || (r->kind != S0_OWNED && r->owner != 0))
            return 0;
        if (i > 0) {
            const s0_region_t *q = &p->r[i - 1];
            if (q->hi >= r->lo)
                return 0; /* unsorted or overlapping */
            if (q->hi + 1 == r->lo && same_pool(q, r->kind, r->owner))
                return 0; /* should have been merged */
        }
    }
    return 1;
}

const s0_region_t *s0_pools_lookup(const s0_pools_t *p, L4_Word_t addr)
{
    unsigned i = first_not_below(p, addr);
    return i < p->count && p->r[i].lo <= addr ? &p->r[i] : 0;
}

void s0_pools_free_stats(const s0_pools_t *p, unsigned long long *kib, unsigned *ranges)
{
    *kib = 0;
    *ranges = 0;
    for (unsigned i = 0; i < p->count; i++) {
        const s0_region_t *r = &p->r[i];
        if (r->kind != S0_FREE)
            continue;
        L4_Word_t d = r->hi - r->lo; /* bytes - 1, no overflow */
        *kib += (d >> 10) + ((d & 0x3FF) == 0x3FF);
        ++*ranges;
    }
}

const char *s0_kind_name(unsigned kind)
{
    switch (kind) {
    case S0_FREE: return "conventional";
    case S0_RESERVED: return "reserved";
    case S0_NONCONV: return "non-conventional";
    case S0_SHARED: return "shared";
    case S0_OWNED: return "owned";
    default: return "removed";
    }
}

const char *s0_status_name(s0_status_t s)
{
    switch (s) {
    case S0_OK: return "ok";
    case S0_ERR_SIZE: return "bad size";
    case S0_ERR_UNAVAILABLE: return "not available to this thread";
    case S0_ERR_NO_MEMORY: return "no free page of that size";
    case S0_ERR_TABLE_FULL: return "region table full";
    case S0_ERR_ATTRIBUTES: return "attributes refused";
    }
    return "?";
}
