/* The task stub of ia32 tasks (32-bit processes traced by the x86_64 core):
   _start is a 1-byte int3, the injection gate follows (int $0x80; int3),
   then the batch gate at gate + 3, the signal path at 0x100 and the 64-bit
   gate at 0x1a0. */
	.text
	.globl _start
_start:
	int3
	.globl umol4_gate
umol4_gate:
	int $0x80
	int3

/* The batch gate: many calls for one stop.  Every register but esp carries
   an argument of int $0x80, so esp is the cursor: it points at records of
   seven words {nr, arg0..arg5} (a read-only page the core writes), ended by
   nr = -1; nothing is pushed.  Stops with eax = 0 when all succeeded, or at
   the first failure with eax = -errno and esp at its record. */
	.globl umol4_batch_gate
umol4_batch_gate:
1:	mov (%esp), %eax
	cmp $-1, %eax
	je 2f
	mov 4(%esp), %ebx
	mov 8(%esp), %ecx
	mov 12(%esp), %edx
	mov 16(%esp), %esi
	mov 20(%esp), %edi
	mov 24(%esp), %ebp
	int $0x80
	cmp $-4095, %eax
	jae 3f
	add $28, %esp
	jmp 1b
2:	xor %eax, %eax
3:	int3

	.code64
#include "../x86/signal_handler64.S"
	.code32

/* The 64-bit gate: one call of the x86_64 ABI (the handlers' rt_sigaction)
   with int $0x80's registers, made in 64-bit mode; stops back in 32-bit
   mode with the result in eax. */
	.org 0x1a0
	.globl umol4_gate64
umol4_gate64:
	ljmp $0x33, $1f
	.code64
1:	mov %edi, %r8d
	mov %ebp, %r9d
	mov %esi, %r10d
	mov %ebx, %edi
	mov %ecx, %esi
	mov %edx, %edx
	mov %eax, %eax
	syscall
	ljmpl *2f(%rip)
	.code32
3:	int3
2:	.long 3b
	.word 0x23
	.section .note.GNU-stack,"",%progbits
