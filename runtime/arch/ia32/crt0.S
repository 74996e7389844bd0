/* Entry of ia32 L4 programs: the kernel starts them with no usable stack. */
	.text
	.globl _start
_start:
	movl $l4rt_stack_top, %esp
	xorl %ebp, %ebp
	call l4rt_start
1:	jmp 1b

	.bss
	.balign 16
l4rt_stack:
	.skip 16384
l4rt_stack_top:
	.section .note.GNU-stack,"",%progbits
