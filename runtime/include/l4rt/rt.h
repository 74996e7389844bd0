/* UMOL4's freestanding runtime for L4 programs: console, formatting, strings. */
#ifndef L4RT_RT_H
#define L4RT_RT_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Formatting engine shared by all printf-style functions: calls emit once per
   output character; returns the number of characters produced.
   Supports %d %i %u %x %X %o %p %s %c %% with flags "-0+ #", width and
   precision (also '*'), and the length modifiers hh h l ll z t j. */
int l4rt_vformat(void (*emit)(char c, void *ctx), void *ctx, const char *fmt, va_list ap);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Console output through the kernel debugger interface. */
int putchar(int c);
int puts(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
/* Writes n bytes (no terminator needed) in one PrintString per line: the
   console of programs in other languages (Rust's print!). */
void l4rt_write(const char *s, size_t n);

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* Ends the program: reports the status on the console and blocks this
   thread forever (an L4 thread has no way to end itself). */
void l4rt_exit(int status) __attribute__((noreturn));

/* Ends the program abnormally: stops in the kernel debugger (umol4 ends
   the box with its debugger exit code unless one is attached); should the
   debugger let it go on, it ends as l4rt_exit(134) does. */
void l4rt_abort(void) __attribute__((noreturn));

/* The KIP of this space, as KernelInterface reported it at start. */
extern void *l4rt_kip;

#ifdef __cplusplus
}
#endif

#endif
