/* The task stub: the program every x86_64 task process executes.  It owns
   nothing but its own code (linked in the reserved high range) and stops at
   once; the core then uses its leader thread to inject Linux system calls
   (mmap, clone, ...) through the gate, and runs L4 code only in clones.
   Layout the core relies on: _start is a 1-byte int3, the gate follows. */
	.text
	.globl _start
_start:
	int3
	.globl umol4_gate
umol4_gate:
	syscall
	int3
	.section .note.GNU-stack,"",%progbits
