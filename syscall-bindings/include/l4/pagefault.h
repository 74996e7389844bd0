/* Page-fault messages as a pager sees them: the request (label -2 with the
   access rwx, fault address, fault IP) and a reply with one map item. */
#ifndef L4_PAGEFAULT_H
#define L4_PAGEFAULT_H

#include "l4/message.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef union {
    L4_Word_t raw[3];
    struct {
        L4_Word_t u : 6;   /* 2 */
        L4_Word_t t : 6;   /* 0 */
        L4_Word_t __zero : 4;
        L4_Word_t wrx : 4; /* the access that faulted */
        L4_Word_t __label : L4_WORD_BITS - 20; /* -2 */
        L4_Word_t fault_address;
        L4_Word_t fault_ip;
    } X;
} L4_PfRequest_t;

typedef union {
    L4_Word_t raw[3];
    struct {
        L4_Word_t u : 6;   /* 0 */
        L4_Word_t t : 6;   /* 2 */
        L4_Word_t __zero : 4;
        L4_Word_t __label : L4_WORD_BITS - 16;
        L4_MapItem_t MapItem;
    } X;
} L4_PfReply_t;

#ifdef __cplusplus
}
#endif

#endif /* L4_PAGEFAULT_H */
