/* Kernel-debugger requests: console output and input, entering the
   debugger, naming threads. */
#ifndef L4_KDEBUG_H
#define L4_KDEBUG_H

#include "l4/types.h"

#ifdef __cplusplus
extern "C" {
#endif

L4_INLINE void L4_KDB_PrintChar(char c) { __L4_KDB_PrintChar((unsigned char)c); }
L4_INLINE void L4_KDB_PrintString(const char *s) { __L4_KDB_PrintString((L4_Word_t)s); }
/* Returns the next input character, or -1 (all ones) when none waits. */
L4_INLINE L4_Word_t L4_KDB_ReadChar(void) { return __L4_KDB_ReadChar(); }
L4_INLINE char L4_KDB_ReadChar_Blocked(void) { return (char)__L4_KDB_ReadChar_Blocked(); }
L4_INLINE void L4_KDB_ToggleBreakin(void) { __L4_KDB_ToggleBreakin(); }
L4_INLINE void L4_KDB_ClearPage(void) { __L4_KDB_ClearPage(); }

/* Gives a thread a name for the kernel debugger (UMOL4 logs it). */
L4_INLINE void L4_KDB_SetThreadName(L4_ThreadId_t t, const char *name)
{
    volatile L4_Word_t request[2];
    request[0] = t.raw;
    request[1] = (L4_Word_t)name;
    if (name)
        (void)*(const volatile char *)name; /* the kernel reads pages the space has */
    __L4_KDB_SetThreadName((L4_Word_t)request);
}

#ifdef __cplusplus
}
#endif

/* Stops in the kernel debugger showing `str` (a string literal). */
#define L4_KDB_Enter(str) __L4_KDB_Enter(str)

/* The reference library's older names. */
#define enter_kdebug(str) L4_KDB_Enter(str)
#define kd_inchar() L4_KDB_ReadChar_Blocked()

#endif /* L4_KDEBUG_H */
