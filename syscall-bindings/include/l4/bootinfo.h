/* Generic boot information: what the boot loader tells the root task about
   the boot images (programs and modules) and their command lines.  The KIP's
   BootInfo word (L4_BootInfo) holds its physical address; the root task gets
   that page from sigma0 like any other. */
#ifndef L4_BOOTINFO_H
#define L4_BOOTINFO_H

#include "l4/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define L4_BOOTINFO_MAGIC ((L4_Word_t)0x14b0021d)
#define L4_BOOTINFO_VERSION 1

/* Record types. */
enum {
    L4_BootInfo_Module = 0x0001,     /* a file as it is, anywhere in memory */
    L4_BootInfo_SimpleExec = 0x0002, /* a program loaded at its link address */
    L4_BootInfo_EFITables = 0x0101,
    L4_BootInfo_Multiboot = 0x0102,
};

/* The header: records start first_entry bytes in, num_entries of them. */
typedef struct {
    L4_Word_t magic, version, size, first_entry, num_entries;
    L4_Word_t __reserved[3];
} L4_BootInfo_t;

/* Every record begins so; offset_next is the distance to the next one. */
typedef struct {
    L4_Word_t type, version, offset_next;
} L4_BootRec_t;

typedef struct {
    L4_Word_t type, version, offset_next;
    L4_Word_t start, size;
    L4_Word_t cmdline_offset; /* from the record's start; 0: none */
} L4_Boot_Module_t;

typedef struct {
    L4_Word_t type, version, offset_next;
    L4_Word_t text_pstart, text_vstart, text_size;
    L4_Word_t data_pstart, data_vstart, data_size;
    L4_Word_t bss_pstart, bss_vstart, bss_size;
    L4_Word_t initial_ip, flags, label;
    L4_Word_t cmdline_offset;
} L4_Boot_SimpleExec_t;

typedef struct {
    L4_Word_t type, version, offset_next;
    L4_Word_t systab, memmap, memmap_size, memdesc_size, memdesc_version;
} L4_Boot_EFI_t;

typedef struct {
    L4_Word_t type, version, offset_next;
    L4_Word_t address;
} L4_Boot_MBI_t;

/* ---- The header ---- */
L4_INLINE L4_Bool_t L4_BootInfo_Valid(const void *bi)
{
    const L4_BootInfo_t *b = (const L4_BootInfo_t *)bi;
    return b->magic == L4_BOOTINFO_MAGIC && b->version == L4_BOOTINFO_VERSION;
}
L4_INLINE L4_Word_t L4_BootInfo_Size(const void *bi) { return ((const L4_BootInfo_t *)bi)->size; }
L4_INLINE L4_Word_t L4_BootInfo_Entries(const void *bi) { return ((const L4_BootInfo_t *)bi)->num_entries; }
L4_INLINE L4_BootRec_t *L4_BootInfo_FirstEntry(const void *bi)
{
    return (L4_BootRec_t *)((L4_Word8_t *)bi + ((const L4_BootInfo_t *)bi)->first_entry);
}

/* ---- Any record ---- */
L4_INLINE L4_Word_t L4_BootRec_Type(const L4_BootRec_t *r) { return r->type; }
L4_INLINE L4_BootRec_t *L4_BootRec_Next(const L4_BootRec_t *r)
{
    return (L4_BootRec_t *)((L4_Word8_t *)r + r->offset_next);
}
/* A record's text at a byte offset from its start, or 0 for offset 0. */
L4_INLINE char *__L4_BootRec_String(const L4_BootRec_t *r, L4_Word_t offset)
{
    return offset ? (char *)r + offset : (char *)0;
}

/* ---- Modules ---- */
L4_INLINE L4_Word_t L4_Module_Start(const L4_BootRec_t *r) { return ((const L4_Boot_Module_t *)r)->start; }
L4_INLINE L4_Word_t L4_Module_Size(const L4_BootRec_t *r) { return ((const L4_Boot_Module_t *)r)->size; }
L4_INLINE char *L4_Module_Cmdline(const L4_BootRec_t *r)
{
    return __L4_BootRec_String(r, ((const L4_Boot_Module_t *)r)->cmdline_offset);
}

/* ---- Simple executables ---- */
#define __L4_SIMPLE_EXEC_FIELD(Name, field)                                  \
    L4_INLINE L4_Word_t L4_SimpleExec_##Name(const L4_BootRec_t *r)          \
    {                                                                        \
        return ((const L4_Boot_SimpleExec_t *)r)->field;                    \
    }
__L4_SIMPLE_EXEC_FIELD(TextPstart, text_pstart)
__L4_SIMPLE_EXEC_FIELD(TextVstart, text_vstart)
__L4_SIMPLE_EXEC_FIELD(TextSize, text_size)
__L4_SIMPLE_EXEC_FIELD(DataPstart, data_pstart)
__L4_SIMPLE_EXEC_FIELD(DataVstart, data_vstart)
__L4_SIMPLE_EXEC_FIELD(DataSize, data_size)
__L4_SIMPLE_EXEC_FIELD(BssPstart, bss_pstart)
__L4_SIMPLE_EXEC_FIELD(BssVstart, bss_vstart)
__L4_SIMPLE_EXEC_FIELD(BssSize, bss_size)
__L4_SIMPLE_EXEC_FIELD(InitialIP, initial_ip)
__L4_SIMPLE_EXEC_FIELD(Flags, flags)
__L4_SIMPLE_EXEC_FIELD(Label, label)
#undef __L4_SIMPLE_EXEC_FIELD
L4_INLINE void L4_SimpleExec_Set_Flags(const L4_BootRec_t *r, L4_Word_t w) { ((L4_Boot_SimpleExec_t *)r)->flags = w; }
L4_INLINE void L4_SimpleExec_Set_Label(const L4_BootRec_t *r, L4_Word_t w) { ((L4_Boot_SimpleExec_t *)r)->label = w; }
L4_INLINE char *L4_SimpleExec_Cmdline(const L4_BootRec_t *r)
{
    return __L4_BootRec_String(r, ((const L4_Boot_SimpleExec_t *)r)->cmdline_offset);
}

/* ---- EFI tables and the multiboot information ---- */
L4_INLINE L4_Word_t L4_EFI_Systab(const L4_BootRec_t *r) { return ((const L4_Boot_EFI_t *)r)->systab; }
L4_INLINE L4_Word_t L4_EFI_Memmap(const L4_BootRec_t *r) { return ((const L4_Boot_EFI_t *)r)->memmap; }
L4_INLINE L4_Word_t L4_EFI_MemmapSize(const L4_BootRec_t *r) { return ((const L4_Boot_EFI_t *)r)->memmap_size; }
L4_INLINE L4_Word_t L4_EFI_MemdescSize(const L4_BootRec_t *r) { return ((const L4_Boot_EFI_t *)r)->memdesc_size; }
L4_INLINE L4_Word_t L4_EFI_MemdescVersion(const L4_BootRec_t *r) { return ((const L4_Boot_EFI_t *)r)->memdesc_version; }
L4_INLINE L4_Word_t L4_MBI_Address(const L4_BootRec_t *r) { return ((const L4_Boot_MBI_t *)r)->address; }

#ifdef __cplusplus
}
/* C++ programs also use the short names. */
L4_INLINE L4_Word_t L4_Type(const L4_BootRec_t *r) { return L4_BootRec_Type(r); }
L4_INLINE L4_BootRec_t *L4_Next(const L4_BootRec_t *r) { return L4_BootRec_Next(r); }
#endif

#endif /* L4_BOOTINFO_H */
