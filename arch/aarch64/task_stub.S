/* The task stub: the program every aarch64 task process executes.  It owns
   nothing but its own code (linked in the reserved high range) and stops at
   once; the core then uses its leader thread to inject Linux system calls
   (mmap, clone, ...) through the gate, and runs L4 code only in clones.
   Layout the core relies on: _start is a brk (a breakpoint stop's PC is the
   brk itself), the gate follows (svc #0; brk #0), then the batch gate at
   gate + 8. */
	.text
	.globl _start
_start:
	brk #0
	.globl umol4_gate
umol4_gate:
	svc #0
	brk #0

/* The batch gate: many calls for one stop.  x19 points at records of seven
   words {nr, arg0..arg5} (in a page the core writes), ended by nr = -1.
   Stops with x0 = 0 when all succeeded, or at the first failure with x0
   = -errno and x19 at its record. */
	.globl umol4_batch_gate
umol4_batch_gate:
1:	ldr x8, [x19]
	cmn x8, #1
	b.eq 2f
	ldp x0, x1, [x19, #8]
	ldp x2, x3, [x19, #24]
	ldp x4, x5, [x19, #40]
	svc #0
	cmn x0, #4095
	b.hs 3f
	add x19, x19, #56
	b 1b
2:	mov x0, #0
3:	brk #0

/* The signal path (--trap signal; core/host/linux/signal_host.hpp).  L4
   threads run untraced under a filter of their own that turns every system
   call into SIGSYS, and every signal of an L4 thread comes here, on the
   thread's alternate stack.  That stack lies in the thread's block (32 KiB,
   aligned): its first page is the slot the core reads, {state, thread id,
   spin budget, signo, siginfo, ucontext, thread register}.  The handler
   reports the stop (a release store, after the frame Linux wrote), waits
   until the core changes the state (spinning first for as many rounds as
   the slot's budget says, unless the core says it will not answer soon:
   state asleep), loads the thread register the core keeps in the slot
   (tpidr_el0 is in no signal frame) and returns by rt_sigreturn, which
   loads the frame the core edited; or it exits when the core asks.  Every
   register it uses comes from the frame Linux built or the slot; the filter
   lets only its own three system-call instructions through (futex on the
   thread's own state word, rt_sigreturn, exit).  Offsets from _start are
   fixed (arch/aarch64/linux.cpp): the handler at 0x100, the system calls
   end at 0x144 (futex), 0x1a4 (exit) and 0x1c8 (rt_sigreturn), the
   restorer at 0x1c0. */
	.org 0x100
	.globl umol4_signal_handler
umol4_signal_handler:
	mov x19, sp
	and x19, x19, #~0x7fff
	stp x0, x1, [x19, #16]     /* signo, siginfo */
	str x2, [x19, #32]         /* ucontext */
	mov w9, #2                 /* stopped */
	stlr w9, [x19]
	mov x1, #1                 /* FUTEX_WAKE the core */
	mov x2, #1
1:	mov x0, x19
	mov x3, #0
	mov x4, #0
	mov x5, #0
	mov x8, #98                /* futex */
	b 4f
	.org 0x140
4:	svc #0
	.globl umol4_futex_return
umol4_futex_return:
	ldr x10, [x19, #8]         /* the slot's spin budget: the core on another CPU */
6:	ldar w2, [x19]
	cmp w2, #4                 /* asleep: the core will not answer soon */
	b.eq 7f
	cmp w2, #2
	b.ne 2f
	subs x10, x10, #1
	b.mi 7f
	yield
	b 6b
7:	mov x1, #0                 /* FUTEX_WAIT while stopped or asleep */
	b 1b
2:	cmp w2, #3                 /* exit */
	b.eq 3f
	ldr x9, [x19, #40]
	msr tpidr_el0, x9
	b umol4_signal_restorer
3:	mov x0, #0
	mov x8, #93                /* exit: this thread only */
	b 5f
	.org 0x1a0
5:	svc #0
	.globl umol4_exit_return
umol4_exit_return:
	udf #0

	.org 0x1c0
	.globl umol4_signal_restorer
umol4_signal_restorer:         /* sp at the frame, as the handler found it */
	mov x8, #139               /* rt_sigreturn */
	svc #0
	.globl umol4_sigreturn_return
umol4_sigreturn_return:
	udf #0
	.section .note.GNU-stack,"",%progbits
