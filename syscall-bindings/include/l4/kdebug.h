/* Kernel-debugger requests: console output and input. */
#ifndef L4_KDEBUG_H
#define L4_KDEBUG_H

#include "l4/types.h"

L4_INLINE void L4_KDB_PrintChar(char c) { __L4_KDB_PrintChar((unsigned char)c); }
L4_INLINE void L4_KDB_PrintString(const char *s) { __L4_KDB_PrintString((L4_Word_t)s); }
/* Returns the next input character, or -1 (all ones) when none waits. */
L4_INLINE L4_Word_t L4_KDB_ReadChar(void) { return __L4_KDB_ReadChar(); }
L4_INLINE char L4_KDB_ReadChar_Blocked(void) { return (char)__L4_KDB_ReadChar_Blocked(); }
L4_INLINE void L4_KDB_ToggleBreakin(void) { __L4_KDB_ToggleBreakin(); }
L4_INLINE void L4_KDB_ClearPage(void) { __L4_KDB_ClearPage(); }

/* Stops in the kernel debugger showing `str` (a string literal). */
#define L4_KDB_Enter(str) __L4_KDB_Enter(str)

#endif /* L4_KDEBUG_H */
