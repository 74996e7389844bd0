/* The seed of a randomised test program: the digits of the first line of
   console input (0 where there are none). */
#ifndef TESTS_L4_SEED_H
#define TESTS_L4_SEED_H

#include <l4/l4.h>

static inline unsigned read_seed(void)
{
    unsigned seed = 0;
    for (;;) {
        L4_Word_t c = L4_KDB_ReadChar();
        if (c == ~(L4_Word_t)0 || (char)c == '\n' || (char)c < '0' || (char)c > '9') break;
        seed = seed * 10 + (unsigned)((char)c - '0');
    }
    return seed;
}

#endif
