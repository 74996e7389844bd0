/* The signal path (--trap signal), 64-bit code included by the task stubs
   of x86_64 and ia32 (an ia32 task's handlers are installed by a 64-bit
   rt_sigaction: Linux gives them 64-bit frames in 64-bit mode, whatever
   mode the thread ran in).  L4 threads run untraced under a filter of their own that turns every system call into SIGSYS, and every signal
   of an L4 thread comes here, on the thread's alternate stack.  That stack
   lies in the thread's block (32 KiB, aligned): its first page is the slot
   the core reads, {state, command, signo, siginfo, ucontext}.  The handler
   reports the stop, waits until the core changes the state (spinning
   first for as many rounds as the slot's budget says, unless the core
   says it will not answer soon: state asleep), and returns
   through the restorer (rt_sigreturn loads the frame the core edited) or
   exits when the core asks.  Every register it uses comes from the frame
   Linux built; the filter lets only its own three system-call instructions
   through (futex on the thread's own state word, rt_sigreturn, exit).
   Offsets from _start are fixed (Linux_arch::Signal_path): the handler at
   0x100, the system calls end at 0x142 (futex), 0x172 (exit) and 0x187
   (rt_sigreturn), the restorer at 0x180. */
	.org 0x100
	.globl umol4_signal_handler
umol4_signal_handler:
	mov %rsp, %rbx
	and $-0x8000, %rbx
	mov %rdi, 16(%rbx)
	mov %rsi, 24(%rbx)
	mov %rdx, 32(%rbx)
	movl $2, (%rbx)            /* stopped */
	mov $1, %esi               /* FUTEX_WAKE the core */
	mov $1, %edx
1:	mov %rbx, %rdi
	xor %r10d, %r10d
	xor %r8d, %r8d
	xor %r9d, %r9d
	mov $202, %eax             /* futex */
	jmp 4f
	.org 0x140
4:	syscall
	.globl umol4_futex_return
umol4_futex_return:
	mov 8(%rbx), %rcx          /* the slot's spin budget: the core on another CPU */
6:	mov (%rbx), %edx
	cmp $4, %edx               /* asleep: the core will not answer soon */
	je 7f
	cmp $2, %edx
	jne 2f
	dec %rcx
	js 7f
	pause
	jmp 6b
7:	xor %esi, %esi             /* FUTEX_WAIT while stopped or asleep */
	jmp 1b
2:	cmpl $3, (%rbx)            /* exit */
	je 3f
	ret                        /* to the restorer */
3:	xor %edi, %edi
	mov $60, %eax              /* exit: this thread only */
	jmp 5f
	.org 0x170
5:	syscall
	.globl umol4_exit_return
umol4_exit_return:
	ud2

	.org 0x180
	.globl umol4_signal_restorer
umol4_signal_restorer:
	mov $15, %eax              /* rt_sigreturn */
	syscall
	.globl umol4_sigreturn_return
umol4_sigreturn_return:
	ud2
