/* Round-trip capture trampoline (aarch64): saves x0-x30, sp, pc (= the trap
   site, x30) and pstate into umol4_test_regs in user_pt_regs order, runs
   umol4_test_kernel on it and returns with the register file it left. */
	.text
	.globl umol4_test_trap
umol4_test_trap:
	stp x0, x1, [sp, #-16]!
	adrp x0, umol4_test_regs
	add x0, x0, :lo12:umol4_test_regs
	stp x2, x3, [x0, #16]
	stp x4, x5, [x0, #32]
	stp x6, x7, [x0, #48]
	stp x8, x9, [x0, #64]
	stp x10, x11, [x0, #80]
	stp x12, x13, [x0, #96]
	stp x14, x15, [x0, #112]
	stp x16, x17, [x0, #128]
	stp x18, x19, [x0, #144]
	stp x20, x21, [x0, #160]
	stp x22, x23, [x0, #176]
	stp x24, x25, [x0, #192]
	stp x26, x27, [x0, #208]
	stp x28, x29, [x0, #224]
	str x30, [x0, #240]
	ldp x2, x3, [sp], #16
	stp x2, x3, [x0, #0]
	mov x2, sp
	str x2, [x0, #248]
	str x30, [x0, #256]
	mrs x2, nzcv
	str x2, [x0, #264]
	stp x29, x30, [sp, #-16]!
	bl umol4_test_kernel
	ldp x29, x30, [sp], #16
	adrp x0, umol4_test_regs
	add x0, x0, :lo12:umol4_test_regs
	ldp x2, x3, [x0, #16]
	ldp x4, x5, [x0, #32]
	ldp x6, x7, [x0, #48]
	ldp x8, x9, [x0, #64]
	ldp x10, x11, [x0, #80]
	ldp x12, x13, [x0, #96]
	ldp x14, x15, [x0, #112]
	ldp x16, x17, [x0, #128]
	ldp x18, x19, [x0, #144]
	ldp x20, x21, [x0, #160]
	ldp x22, x23, [x0, #176]
	ldp x24, x25, [x0, #192]
	ldp x26, x27, [x0, #208]
	ldp x28, x29, [x0, #224]
	ldr x30, [x0, #240]
	ldp x0, x1, [x0, #0]
	ret
	.section .note.GNU-stack,"",%progbits
