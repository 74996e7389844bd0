/* Round-trip capture trampoline (x86_64): saves every register into
   umol4_test_regs in NT_PRSTATUS order, runs umol4_test_kernel on it and
   returns with the register file it left.  rip = the trap site. */
	.text
	.globl umol4_test_trap
umol4_test_trap:
	movq %rax, umol4_test_regs+80(%rip)
	leaq umol4_test_regs(%rip), %rax
	movq %r15, 0(%rax)
	movq %r14, 8(%rax)
	movq %r13, 16(%rax)
	movq %r12, 24(%rax)
	movq %rbp, 32(%rax)
	movq %rbx, 40(%rax)
	movq %r11, 48(%rax)
	movq %r10, 56(%rax)
	movq %r9, 64(%rax)
	movq %r8, 72(%rax)
	movq %rcx, 88(%rax)
	movq %rdx, 96(%rax)
	movq %rsi, 104(%rax)
	movq %rdi, 112(%rax)
	movq (%rsp), %rcx
	movq %rcx, 128(%rax)
	pushfq
	popq %rcx
	movq %rcx, 144(%rax)
	leaq 8(%rsp), %rcx
	movq %rcx, 152(%rax)
	movq %rsp, %rbx
	andq $-16, %rsp
	movq %rax, %rdi
	call umol4_test_kernel
	movq %rbx, %rsp
	leaq umol4_test_regs(%rip), %rax
	movq 0(%rax), %r15
	movq 8(%rax), %r14
	movq 16(%rax), %r13
	movq 24(%rax), %r12
	movq 32(%rax), %rbp
	movq 40(%rax), %rbx
	movq 48(%rax), %r11
	movq 56(%rax), %r10
	movq 64(%rax), %r9
	movq 72(%rax), %r8
	movq 88(%rax), %rcx
	movq 96(%rax), %rdx
	movq 104(%rax), %rsi
	movq 112(%rax), %rdi
	movq 80(%rax), %rax
	ret
	.section .note.GNU-stack,"",%progbits
