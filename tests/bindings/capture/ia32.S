/* Round-trip capture trampoline (ia32): saves every register into
   umol4_test_regs in NT_PRSTATUS order (struct user_regs_struct of i386),
   runs umol4_test_kernel on it and returns with the register file it left. */
	.text
	.globl umol4_test_trap
umol4_test_trap:
	movl %eax, umol4_test_regs+24
	movl $umol4_test_regs, %eax
	movl %ebx, 0(%eax)
	movl %ecx, 4(%eax)
	movl %edx, 8(%eax)
	movl %esi, 12(%eax)
	movl %edi, 16(%eax)
	movl %ebp, 20(%eax)
	movl (%esp), %ecx
	movl %ecx, 48(%eax)
	pushfl
	popl %ecx
	movl %ecx, 56(%eax)
	leal 4(%esp), %ecx
	movl %ecx, 60(%eax)
	movl %esp, %ebx
	andl $-16, %esp
	subl $12, %esp
	pushl %eax
	call umol4_test_kernel
	movl %ebx, %esp
	movl $umol4_test_regs, %eax
	movl 0(%eax), %ebx
	movl 4(%eax), %ecx
	movl 8(%eax), %edx
	movl 12(%eax), %esi
	movl 16(%eax), %edi
	movl 20(%eax), %ebp
	movl 24(%eax), %eax
	ret
	.section .note.GNU-stack,"",%progbits
