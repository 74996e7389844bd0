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
	.section .note.GNU-stack,"",%progbits
