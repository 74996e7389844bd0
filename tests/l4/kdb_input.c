/* Reads console input through the kernel debugger: ReadChar_Blocked until
   a newline, then ReadChar (non-blocking) at the end of input. */
#include <l4/l4.h>
#include <l4rt/rt.h>

int main(void)
{
    char line[64];
    unsigned n = 0;
    for (;;) {
        char c = L4_KDB_ReadChar_Blocked();
        if (c == '\n' || n + 1 == sizeof line)
            break;
        line[n++] = c;
    }
    line[n] = '\0';
    printf("kdb read: \"%s\"\n", line);
    L4_Word_t more = L4_KDB_ReadChar();
    printf("kdb then: %s\n", more == ~(L4_Word_t)0 ? "no more input" : "more input");
    return 0;
}
