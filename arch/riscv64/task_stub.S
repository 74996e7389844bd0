/* The task stub: the program every riscv64 task process executes.  It owns
   nothing but its own code (linked in the reserved high range), sets
   no_new_privs (so that its threads may install seccomp filters without
   privileges) and stops; the core then uses its leader thread to inject
   Linux system calls (mmap, clone, ...) through the gate, and runs L4 code
   only in clones.  Layout the core relies on (no compressed instructions):
   the first ebreak is followed by the gate (ecall; ebreak), the batch gate
   at gate + 8 and the filter gate at gate + 0x80. */
	.option norvc
	.option norelax
	.text
	.globl _start
_start:
	li a7, 167		/* prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) */
	li a0, 38
	li a1, 1
	li a2, 0
	li a3, 0
	li a4, 0
	ecall
	ebreak
	.globl umol4_gate
umol4_gate:
	ecall
	ebreak

/* The batch gate: many calls for one stop.  s2 points at records of seven
   words {nr, arg0..arg5} (in a page the core writes), ended by nr = -1.
   Stops with a0 = 0 when all succeeded, or at the first failure with a0
   = -errno and s2 at its record. */
	.globl umol4_batch_gate
umol4_batch_gate:
1:	ld a7, 0(s2)
	li t0, -1
	beq a7, t0, 2f
	ld a0, 8(s2)
	ld a1, 16(s2)
	ld a2, 24(s2)
	ld a3, 32(s2)
	ld a4, 40(s2)
	ld a5, 48(s2)
	ecall
	li t0, -4095
	bgeu a0, t0, 3f
	addi s2, s2, 56
	j 1b
2:	li a0, 0
3:	ebreak

/* The filter gate: seccomp(SECCOMP_SET_MODE_FILTER, 0, &trace_all) for the
   thread that runs it (an L4 thread before its first instruction); stops
   with the result in a0.  From then on every system call it makes stops
   with PTRACE_EVENT_SECCOMP, wherever it sits. */
	.org umol4_gate + 0x80
	.globl umol4_filter_gate
umol4_filter_gate:
	li a7, 277
	li a0, 1
	li a1, 0
	lla a2, trace_all
	ecall
	ebreak

/* The signal path (--trap signal; core/host/linux/signal_host.hpp), as
   arch/aarch64/task_stub.S describes it, in riscv64 code: the slot is
   {state, thread id, spin budget, signo, siginfo, ucontext}; tp is a frame
   register here, so the core edits it in the frame.  Offsets from _start
   are fixed (arch/riscv64/linux.cpp): the handler at 0x100, the system
   calls end at 0x144 (futex), 0x1a4 (exit) and 0x1c8 (rt_sigreturn), the
   restorer at 0x1c0 (reached by the handler itself: riscv64's sigaction has
   no restorer, Linux would return through its vDSO). */
	.org _start + 0x100
	.globl umol4_signal_handler
umol4_signal_handler:
	li t0, -0x8000
	and s2, sp, t0
	sd a0, 16(s2)              /* signo */
	sd a1, 24(s2)              /* siginfo */
	sd a2, 32(s2)              /* ucontext */
	fence rw, w                /* the frame and these before the state */
	li t0, 2                   /* stopped */
	sw t0, 0(s2)
	li a1, 1                   /* FUTEX_WAKE the core */
	li a2, 1
1:	mv a0, s2
	li a3, 0
	li a7, 98                  /* futex */
	j 4f
	.org _start + 0x140
4:	ecall
	.globl umol4_futex_return
umol4_futex_return:
	ld t1, 8(s2)               /* the slot's spin budget: the core on another CPU */
6:	lw a2, 0(s2)
	fence r, rw
	li t0, 4                   /* asleep: the core will not answer soon */
	beq a2, t0, 7f
	li t0, 2
	bne a2, t0, 2f
	addi t1, t1, -1
	bltz t1, 7f
	.4byte 0x0100000f          /* pause (a fence hint where Zihintpause is missing) */
	j 6b
7:	li a1, 0                   /* FUTEX_WAIT while stopped or asleep */
	j 1b
2:	li t0, 3                   /* exit */
	beq a2, t0, 3f
	j umol4_signal_restorer
3:	li a0, 0
	li a7, 93                  /* exit: this thread only */
	j 5f
	.org _start + 0x1a0
5:	ecall
	.globl umol4_exit_return
umol4_exit_return:
	unimp

	.org _start + 0x1c0
	.globl umol4_signal_restorer
umol4_signal_restorer:         /* sp at the frame, as the handler found it */
	li a7, 139                 /* rt_sigreturn */
	ecall
	.globl umol4_sigreturn_return
umol4_sigreturn_return:
	unimp

	.section .rodata
	.balign 8
trace_all:			/* struct sock_fprog: one instruction */
	.2byte 1
	.2byte 0, 0, 0
	.8byte trace_all_filter
trace_all_filter:		/* BPF_RET | BPF_K, SECCOMP_RET_TRACE */
	.2byte 0x06
	.byte 0, 0
	.4byte 0x7ff00000
	.section .note.GNU-stack,"",%progbits
