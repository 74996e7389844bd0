/* Entry of riscv64 L4 programs: the kernel starts them with no usable stack;
   gp must be set before any gp-relative (relaxed) access. */
	.text
	.globl _start
_start:
	.option push
	.option norelax
	lla gp, __global_pointer$
	.option pop
	lla sp, l4rt_stack_top
	mv s0, zero
	call l4rt_start
1:	j 1b

	.bss
	.balign 16
l4rt_stack:
	.skip 16384
l4rt_stack_top:
	.section .note.GNU-stack,"",%progbits
