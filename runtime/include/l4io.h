/* The reference library's console and formatting interface (its libio),
   on top of UMOL4's runtime: printf, snprintf, vsnprintf, putc, getc.  It
   declares nothing else, so programs keep their own string functions. */
#ifndef L4IO_H
#define L4IO_H

#include <stdarg.h>

#include "l4/types.h"

#ifdef __cplusplus
extern "C" {
#endif

int vsnprintf(char *buf, L4_Size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, L4_Size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One character to the console. */
void putc(int c);
/* The next character from the console, waiting for it. */
int getc(void);

#ifdef __cplusplus
}
#endif

#endif /* L4IO_H */
