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
