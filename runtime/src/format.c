/* printf-style formatting for L4 programs: no libc, no floating point. */
#include "l4rt/rt.h"

#include <stdint.h>

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16 };

struct out {
    void (*emit)(char, void *);
    void *ctx;
    int count;
};

static void put(struct out *o, char c)
{
    o->emit(c, o->ctx);
    o->count++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

/* Emits one converted number: sign/prefix, zero padding to precision or
   width, digits, honouring '-' alignment. */
static void number(struct out *o, uintmax_t v, int negative, unsigned base, int upper,
                   int flags, int width, int prec)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int n = 0;
    if (!(prec == 0 && v == 0)) {
        do {
            buf[n++] = digits[v % base];
            v /= base;
        } while (v);
    }
    const char *prefix = "";
    if (negative)
        prefix = "-";
    else if (flags & F_PLUS)
        prefix = "+";
    else if (flags & F_SPACE)
        prefix = " ";
    if ((flags & F_ALT) && base == 16 && n > 0 && !(n == 1 && buf[0] == '0'))
        prefix = upper ? "0X" : "0x";
    if ((flags & F_ALT) && base == 8 && (n == 0 || buf[n - 1] != '0'))
        buf[n++] = '0';
    int plen = 0;
    while (prefix[plen])
        plen++;
    int zeros = prec > n ? prec - n : 0;
    int body = plen + zeros + n;
    if (prec < 0 && (flags & F_ZERO) && !(flags & F_LEFT) && width > body) {
        zeros += width - body;
        body = width;
    }
    if (!(flags & F_LEFT))
        pad(o, ' ', width - body);
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    pad(o, '0', zeros);
    while (n > 0)
        put(o, buf[--n]);
    if (flags & F_LEFT)
        pad(o, ' ', width - body);
}

static void text(struct out *o, const char *s, int flags, int width, int prec)
{
    if (!s)
        s = "(null)";
    int n = 0;
    while (s[n] && (prec < 0 || n < prec))
        n++;
    if (!(flags & F_LEFT))
        pad(o, ' ', width - n);
    for (int i = 0; i < n; i++)
        put(o, s[i]);
    if (flags & F_LEFT)
        pad(o, ' ', width - n);
}

int l4rt_vformat(void (*emit)(char, void *), void *ctx, const char *fmt, va_list ap)
{
    struct out o = { emit, ctx, 0 };
    va_list args;
    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        fmt++;
        int flags = 0;
        for (;; fmt++) {
            if (*fmt == '-') flags |= F_LEFT;
            else if (*fmt == '0') flags |= F_ZERO;
            else if (*fmt == '+') flags |= F_PLUS;
            else if (*fmt == ' ') flags |= F_SPACE;
            else if (*fmt == '#') flags |= F_ALT;
            else break;
        }
        int width = 0;
        if (*fmt == '*') {
            width = va_arg(args, int);
            if (width < 0) {
                flags |= F_LEFT;
                width = -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        int prec = -1;
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(args, int);
                if (prec < 0)
                    prec = -1;
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    prec = prec * 10 + (*fmt++ - '0');
            }
        }
        /* length: 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t, 4 ptrdiff_t, 5 intmax_t */
        int len = 0;
        if (*fmt == 'h') {
            len = -1;
            if (*++fmt == 'h') { len = -2; fmt++; }
        } else if (*fmt == 'l') {
            len = 1;
            if (*++fmt == 'l') { len = 2; fmt++; }
        } else if (*fmt == 'z') { len = 3; fmt++; }
        else if (*fmt == 't') { len = 4; fmt++; }
        else if (*fmt == 'j') { len = 5; fmt++; }
        char conv = *fmt ? *fmt++ : '\0';
        switch (conv) {
        case 'd':
        case 'i': {
            intmax_t v;
            switch (len) {
            case 1: v = va_arg(args, long); break;
            case 2: v = va_arg(args, long long); break;
            case 3: v = (intmax_t)va_arg(args, size_t); break;
            case 4: v = va_arg(args, ptrdiff_t); break;
            case 5: v = va_arg(args, intmax_t); break;
            case -1: v = (short)va_arg(args, int); break;
            case -2: v = (signed char)va_arg(args, int); break;
            default: v = va_arg(args, int); break;
            }
            uintmax_t mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
            number(&o, mag, v < 0, 10, 0, flags, width, prec);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uintmax_t v;
            switch (len) {
            case 1: v = va_arg(args, unsigned long); break;
            case 2: v = va_arg(args, unsigned long long); break;
            case 3: v = va_arg(args, size_t); break;
            case 4: v = (uintmax_t)va_arg(args, ptrdiff_t); break;
            case 5: v = va_arg(args, uintmax_t); break;
            case -1: v = (unsigned short)va_arg(args, unsigned); break;
            case -2: v = (unsigned char)va_arg(args, unsigned); break;
            default: v = va_arg(args, unsigned); break;
            }
            unsigned base = conv == 'o' ? 8 : conv == 'u' ? 10 : 16;
            number(&o, v, 0, base, conv == 'X', flags & ~(F_PLUS | F_SPACE), width, prec);
            break;
        }
        case 'p':
            number(&o, (uintptr_t)va_arg(args, void *), 0, 16, 0, flags | F_ALT, width, prec);
            break;
        case 'c': {
            char c = (char)va_arg(args, int);
            char s[2] = { c, 0 };
            if (c == 0) {
                if (!(flags & F_LEFT)) pad(&o, ' ', width - 1);
                put(&o, 0);
                if (flags & F_LEFT) pad(&o, ' ', width - 1);
            } else {
                text(&o, s, flags, width, -1);
            }
            break;
        }
        case 's':
            text(&o, va_arg(args, const char *), flags, width, prec);
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            goto done;
        default: /* unknown conversion: show it as written */
            put(&o, '%');
            put(&o, conv);
            break;
        }
    }
done:
    va_end(args);
    return o.count;
}

struct sbuf {
    char *buf;
    size_t size, used;
};

static void to_buffer(char c, void *ctx)
{
    struct sbuf *b = ctx;
    if (b->used + 1 < b->size)
        b->buf[b->used] = c;
    b->used++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sbuf b = { buf, size, 0 };
    int n = l4rt_vformat(to_buffer, &b, fmt, ap);
    if (size > 0)
        buf[b.used < size ? b.used : size - 1] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
