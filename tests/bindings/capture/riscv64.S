/* Round-trip capture trampoline (riscv64): saves every register into
   umol4_test_regs in user_regs_struct order (pc = the trap site, ra), runs
   umol4_test_kernel on it and returns with the register file it left. */
	.text
	.globl umol4_test_trap
umol4_test_trap:
	addi sp, sp, -16
	sd t0, 0(sp)
	lla t0, umol4_test_regs
	sd ra, 0(t0)
	sd ra, 8(t0)
	sd gp, 24(t0)
	sd tp, 32(t0)
	sd t1, 48(t0)
	sd t2, 56(t0)
	sd s0, 64(t0)
	sd s1, 72(t0)
	sd a0, 80(t0)
	sd a1, 88(t0)
	sd a2, 96(t0)
	sd a3, 104(t0)
	sd a4, 112(t0)
	sd a5, 120(t0)
	sd a6, 128(t0)
	sd a7, 136(t0)
	sd s2, 144(t0)
	sd s3, 152(t0)
	sd s4, 160(t0)
	sd s5, 168(t0)
	sd s6, 176(t0)
	sd s7, 184(t0)
	sd s8, 192(t0)
	sd s9, 200(t0)
	sd s10, 208(t0)
	sd s11, 216(t0)
	sd t3, 224(t0)
	sd t4, 232(t0)
	sd t5, 240(t0)
	sd t6, 248(t0)
	ld t1, 0(sp)
	sd t1, 40(t0)
	addi sp, sp, 16
	sd sp, 16(t0)
	addi sp, sp, -16
	sd ra, 0(sp)
	mv a0, t0
	call umol4_test_kernel
	ld ra, 0(sp)
	addi sp, sp, 16
	lla t0, umol4_test_regs
	ld gp, 24(t0)
	ld tp, 32(t0)
	ld t1, 48(t0)
	ld t2, 56(t0)
	ld s0, 64(t0)
	ld s1, 72(t0)
	ld a0, 80(t0)
	ld a1, 88(t0)
	ld a2, 96(t0)
	ld a3, 104(t0)
	ld a4, 112(t0)
	ld a5, 120(t0)
	ld a6, 128(t0)
	ld a7, 136(t0)
	ld s2, 144(t0)
	ld s3, 152(t0)
	ld s4, 160(t0)
	ld s5, 168(t0)
	ld s6, 176(t0)
	ld s7, 184(t0)
	ld s8, 192(t0)
	ld s9, 200(t0)
	ld s10, 208(t0)
	ld s11, 216(t0)
	ld t3, 224(t0)
	ld t4, 232(t0)
	ld t5, 240(t0)
	ld t6, 248(t0)
	ld ra, 8(t0)
	ld t0, 40(t0)
	ret
	.section .note.GNU-stack,"",%progbits
