/* The task stub of ia32 tasks (32-bit processes traced by the x86_64 core):
   _start is a 1-byte int3, the injection gate follows (int $0x80). */
	.text
	.globl _start
_start:
	int3
	.globl umol4_gate
umol4_gate:
	int $0x80
	int3
	.section .note.GNU-stack,"",%progbits
