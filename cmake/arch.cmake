# Architecture facts the build needs: the four arches, the host's, how to run
# a target's programs here, and the flags of freestanding L4 programs.

set(UMOL4_ARCHES ia32 x86_64 aarch64 riscv64)

function(umol4_arch_of_processor proc out)
  if(proc MATCHES "^(x86_64|AMD64|amd64)$")
    set(${out} x86_64 PARENT_SCOPE)
  elseif(proc MATCHES "^(i.86|x86)$")
    set(${out} ia32 PARENT_SCOPE)
  elseif(proc MATCHES "^(aarch64|arm64)$")
    set(${out} aarch64 PARENT_SCOPE)
  elseif(proc MATCHES "^riscv64$")
    set(${out} riscv64 PARENT_SCOPE)
  else()
    message(FATAL_ERROR "UMOL4: unsupported processor '${proc}'")
  endif()
endfunction()

# Arches whose tasks a core on `host` traces (x86_64 runs 32-bit ia32 tasks too).
function(umol4_core_arches host out)
  if(host STREQUAL "x86_64")
    set(${out} x86_64 ia32 PARENT_SCOPE)
  else()
    set(${out} ${host} PARENT_SCOPE)
  endif()
endfunction()

# Command prefix that runs a program of `arch` on this host: nothing for the
# host's arch and ia32 on x86_64, QEMU user mode otherwise.
function(umol4_emulator arch host out)
  if(arch STREQUAL host OR (arch STREQUAL "ia32" AND host STREQUAL "x86_64"))
    set(${out} "" PARENT_SCOPE)
  else()
    find_program(_qemu_${arch} NAMES qemu-${arch}-static qemu-${arch} REQUIRED)
    set(${out} ${_qemu_${arch}} PARENT_SCOPE)
  endif()
endfunction()

# GNU triple of the toolchain building `arch` programs.
function(umol4_gnu_triple arch out)
  set(_t_ia32 i686-linux-gnu)
  set(_t_x86_64 x86_64-linux-gnu)
  set(_t_aarch64 aarch64-linux-gnu)
  set(_t_riscv64 riscv64-linux-gnu)
  set(${out} ${_t_${arch}} PARENT_SCOPE)
endfunction()

# Rust's name for the arch's Linux target: L4 programs are built for it
# with no_std and the kit's own core (cmake/sdk_rust.cmake).
function(umol4_rust_target arch out)
  set(_r_ia32 i686-unknown-linux-gnu)
  set(_r_x86_64 x86_64-unknown-linux-gnu)
  set(_r_aarch64 aarch64-unknown-linux-gnu)
  set(_r_riscv64 riscv64gc-unknown-linux-gnu)
  set(${out} ${_r_${arch}} PARENT_SCOPE)
endfunction()

# Flags of freestanding L4 programs (runtime, sigma0, root tasks, tests).
function(umol4_l4_flags arch out_compile out_link)
  set(c -ffreestanding -fno-builtin -fno-stack-protector -fno-pie
        -fno-asynchronous-unwind-tables -fno-exceptions -O2 -g)
  if(arch STREQUAL "x86_64")
    list(APPEND c -mno-red-zone -mgeneral-regs-only)
  elseif(arch STREQUAL "ia32")
    list(APPEND c -mgeneral-regs-only)
  elseif(arch STREQUAL "aarch64")
    list(APPEND c -mgeneral-regs-only)
  endif()
  set(l -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack)
  if(arch STREQUAL "riscv64")
    # No gp-relative accesses: a thread a program starts has no gp of its
    # own (X.2 gives it only ip and sp), and crt0 sets gp for main alone.
    list(APPEND c -mno-relax)
    list(APPEND l -Wl,--no-relax)
  endif()
  set(${out_compile} ${c} PARENT_SCOPE)
  set(${out_link} ${l} PARENT_SCOPE)
endfunction()

# Where each arch's task stub is linked: high in the user range, above
# everything X.2 programs use; the KIP reports it reserved.
set(UMOL4_STUB_BASE_x86_64 0x7ffe00000000)
set(UMOL4_STUB_BASE_ia32 0xEF000000)
set(UMOL4_STUB_BASE_aarch64 0x7ffe00000000)
set(UMOL4_STUB_BASE_riscv64 0x3ffe000000)

# LLVM components that decode the instructions of a core's tasks.
set(UMOL4_LLVM_DECODE_x86_64 X86Disassembler X86Desc X86Info)
set(UMOL4_LLVM_DECODE_aarch64 AArch64Disassembler AArch64Desc AArch64Info AArch64Utils)
set(UMOL4_LLVM_DECODE_riscv64 RISCVDisassembler RISCVDesc RISCVInfo)

# Debian's name of an arch whose packages the build downloads.
set(UMOL4_DEBIAN_ARCH_aarch64 arm64)
