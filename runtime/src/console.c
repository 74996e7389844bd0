/* Console of L4 programs: output through the kernel debugger's PrintString
   (one trap per line or per 128 characters; the buffer lives on the caller's
   stack, so threads may print concurrently), input through ReadChar_Blocked. */
#include "l4rt/rt.h"
#include "l4io.h"
#include "l4/gen/abi.h"

struct line {
    char buf[129];
    unsigned used;
};

static void flush(struct line *l)
{
    if (l->used == 0)
        return;
    l->buf[l->used] = '\0';
    __L4_KDB_PrintString((L4_Word_t)l->buf);
    l->used = 0;
}

static void to_line(char c, void *ctx)
{
    struct line *l = ctx;
    l->buf[l->used++] = c;
    if (c == '\n' || l->used == sizeof(l->buf) - 1)
        flush(l);
}

int vprintf(const char *fmt, va_list ap)
{
    struct line l = { .used = 0 };
    int n = l4rt_vformat(to_line, &l, fmt, ap);
    flush(&l);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int putchar(int c)
{
    __L4_KDB_PrintChar((unsigned char)c);
    return (unsigned char)c;
}

void putc(int c)
{
    putchar(c);
}

int getc(void)
{
    return (unsigned char)__L4_KDB_ReadChar_Blocked();
}

int puts(const char *s)
{
    __L4_KDB_PrintString((L4_Word_t)s);
    putchar('\n');
    return 0;
}

void l4rt_write(const char *s, size_t n)
{
    struct line l = { .used = 0 };
    for (size_t i = 0; i < n; i++)
        to_line(s[i], &l);
    flush(&l);
}
