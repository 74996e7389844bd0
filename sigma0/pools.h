/* sigma0's memory pools: who may be given which physical range (no L4 calls). */
#ifndef SIGMA0_POOLS_H
#define SIGMA0_POOLS_H

#include <l4/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The pools partition the address space into regions [lo, hi] (hi inclusive,
   so the top of the space is representable).  Memory in no region has been
   removed (undefined memory type) and is never given out. */
typedef enum {
    S0_FREE = 1,     /* free conventional: page faults and requests */
    S0_RESERVED = 2, /* the kernel's: never given out */
    S0_NONCONV = 3,  /* dedicated, boot loader, arch: explicit requests only */
    S0_SHARED = 4,   /* anyone, repeatedly; stays shared */
    S0_OWNED = 5,    /* given to the thread `owner`, which may ask again */
} s0_kind_t;

typedef struct {
    L4_Word_t lo, hi;
    L4_Word_t owner; /* thread id (raw) if S0_OWNED, else 0 */
    unsigned kind;   /* s0_kind_t */
} s0_region_t;

/* Regions are sorted, disjoint, and neighbours that touch never have the same
   kind and owner (they are merged).  The table starts in the pools' own
   boot array, which holds what the KIP's descriptors and images make;
   s0_pools_move then puts it where it can grow to what any sequence of
   takes needs (sigma0: memory of its own, s0_pools_regions_needed). */
#ifndef S0_BOOT_REGIONS
#define S0_BOOT_REGIONS 256
#endif

typedef struct {
    unsigned count;
    unsigned page_log2; /* smallest page size: what a page fault gets */
    unsigned capacity;  /* entries at r */
    int keep_room;      /* the table was sized by s0_pools_regions_needed */
    s0_region_t *r;
    s0_region_t boot[S0_BOOT_REGIONS];
} s0_pools_t;

typedef enum {
    S0_OK = 0,
    S0_ERR_SIZE,        /* fpage size below the page size or not below the word size */
    S0_ERR_UNAVAILABLE, /* some page is reserved, removed, another's, or not for faults */
    S0_ERR_NO_MEMORY,   /* no free conventional page of that size is left */
    S0_ERR_TABLE_FULL,  /* the region table cannot hold the split */
    S0_ERR_ATTRIBUTES,  /* MemoryControl refused (set by sigma0, not the pools) */
} s0_status_t;

/* What a KIP names as an initial server's (or the kernel debugger's) image. */
typedef struct {
    L4_Word_t low, high; /* KIP words; both 0 = no image */
    unsigned kind;       /* S0_OWNED, or S0_RESERVED for the kernel's */
    L4_Word_t owner;
} s0_image_t;

/* Empty pools: all memory non-conventional; the table in p->boot. */
void s0_pools_init(s0_pools_t *p, unsigned page_log2);

/* Entries the table needs so that every free conventional page can still be
   taken, one by one, by owners in turn: what it holds now, plus one per
   such page beyond the first of its region (a region of n pages becomes at
   most n regions), plus `spare` for splits of other memory. */
L4_Word_t s0_pools_regions_needed(const s0_pools_t *p, L4_Word_t spare);

/* Moves the table to `table` of `capacity` entries (at least count; the
   caller keeps the memory).  From then on a split of non-conventional
   memory is refused (S0_ERR_TABLE_FULL) if it would leave less room than
   the free conventional pages need: they are always served. */
void s0_pools_move(s0_pools_t *p, s0_region_t *table, unsigned capacity);

/* The top `bytes` (rounded up to pages) of the highest free conventional
   region that holds them, page aligned, owned by `owner` from now on. */
s0_status_t s0_pools_take_top(s0_pools_t *p, L4_Word_t bytes, L4_Word_t owner, L4_Word_t *base);

/* Sets [lo, hi] to one pool, replacing whatever it was in; kind 0 removes the
   range.  No change (and S0_ERR_TABLE_FULL) if the table cannot hold it. */
s0_status_t s0_pools_set(s0_pools_t *p, L4_Word_t lo, L4_Word_t hi, unsigned kind, L4_Word_t owner);

/* Applies one KIP memory descriptor (2 raw words): its range is first removed
   from every pool, then added to the pool of its type.  Virtual descriptors
   change nothing. */
s0_status_t s0_pools_apply_descriptor(s0_pools_t *p, const L4_Word_t desc[2]);

/* Gives an image's pages (low rounded down, high rounded up to pages; a
   page-aligned high is taken as the end) to its owner. */
s0_status_t s0_pools_assign_image(s0_pools_t *p, const s0_image_t *img);

/* The whole start-up of x2-semantics section 10: init, descriptors (2 words
   each) in order, then the images.  Returns the first failure, if any, after
   applying everything it could. */
s0_status_t s0_pools_setup(s0_pools_t *p, unsigned page_log2, const L4_Word_t *descs, L4_Word_t ndescs,
                           const s0_image_t *images, unsigned nimages);

/* Whether [base rounded down to 2^log2, +2^log2) may go to `requester`: every
   byte free conventional, shared, owned by the requester, or (only if
   `request`, i.e. an explicit sigma0 request) non-conventional. */
s0_status_t s0_pools_check(const s0_pools_t *p, L4_Word_t base, unsigned log2, L4_Word_t requester, int request);

/* s0_pools_check, then the requester owns every non-shared byte of it.  All or
   nothing. */
s0_status_t s0_pools_take(s0_pools_t *p, L4_Word_t base, unsigned log2, L4_Word_t requester, int request);

/* The highest free conventional 2^log2 page, size-aligned (no change). */
s0_status_t s0_pools_find_any(const s0_pools_t *p, unsigned log2, L4_Word_t *base);

/* s0_pools_find_any, then the requester owns it. */
s0_status_t s0_pools_take_any(s0_pools_t *p, unsigned log2, L4_Word_t requester, L4_Word_t *base);

/* A page fault at `addr`: the smallest page containing it, from free
   conventional, shared or the faulter's own memory. */
s0_status_t s0_pools_take_fault(s0_pools_t *p, L4_Word_t addr, L4_Word_t faulter, L4_Word_t *base);

/* Whether a request's fpage asks for "any page": its base bits above the size
   are all ones, in the full word or within `word_mask` (the WordSizeMask TCR;
   0 = full word).  Accepts bases masked to the size and unmasked ones. */
int s0_fpage_is_any(L4_Word_t fpage, L4_Word_t word_mask);

/* Whether the table keeps its invariants (sorted, disjoint, merged). */
int s0_pools_valid(const s0_pools_t *p);

/* The region holding `addr`, or 0 (removed memory). */
const s0_region_t *s0_pools_lookup(const s0_pools_t *p, L4_Word_t addr);

/* Free conventional memory: KiB (rounded down per region) and region count. */
void s0_pools_free_stats(const s0_pools_t *p, unsigned long long *kib, unsigned *ranges);

const char *s0_kind_name(unsigned kind);
const char *s0_status_name(s0_status_t s);

#ifdef __cplusplus
}
#endif

#endif
