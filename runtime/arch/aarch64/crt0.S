/* Entry of aarch64 L4 programs: the kernel starts them with no usable stack. */
	.text
	.globl _start
_start:
	adrp x0, l4rt_stack_top
	add x0, x0, :lo12:l4rt_stack_top
	mov sp, x0
	mov x29, #0
	mov x30, #0
	bl l4rt_start
1:	b 1b

	.bss
	.balign 16
l4rt_stack:
	.skip 16384
l4rt_stack_top:
	.section .note.GNU-stack,"",%progbits
