/* The task stub: the program every x86_64 task process executes.  It owns
   nothing but its own code (linked in the reserved high range) and stops at
   once; the core then uses its leader thread to inject Linux system calls
   (mmap, clone, ...) through the gate, and runs L4 code only in clones.
   Layout the core relies on: _start is a 1-byte int3, the gate follows
   (syscall; int3), then the batch gate at gate + 3. */
	.text
	.globl _start
_start:
	int3
	.globl umol4_gate
umol4_gate:
	syscall
	int3

/* The batch gate: many calls for one stop.  rbx points at records of seven
   words {nr, arg0..arg5} (in a page the core writes), ended by nr = -1.
   Stops with rax = 0 when all succeeded, or at the first failure with rax
   = -errno and rbx at its record. */
	.globl umol4_batch_gate
umol4_batch_gate:
1:	mov (%rbx), %rax
	cmp $-1, %rax
	je 2f
	mov 8(%rbx), %rdi
	mov 16(%rbx), %rsi
	mov 24(%rbx), %rdx
	mov 32(%rbx), %r10
	mov 40(%rbx), %r8
	mov 48(%rbx), %r9
	syscall
	cmp $-4095, %rax
	jae 3f
	add $56, %rbx
	jmp 1b
2:	xor %eax, %eax
3:	int3

#include "../x86/signal_handler64.S"
	.section .note.GNU-stack,"",%progbits
