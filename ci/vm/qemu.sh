#!/bin/sh
# Boots QEMU's system VM of ARCH with KERNEL and INITRD, its serial console on
# stdin and stdout, MEMORY MiB and 2 CPUs, no network; the VM powers off
# when /init is done.  The arch facts of UMOL4's VMs, shared by the tests
# (ci/vm/run.sh) and by `umol4 run` of another CPU's images (cli/vm_box.cpp;
# installed as lib/umol4/<arch>/vm/qemu.sh).
#   qemu.sh ARCH KERNEL INITRD MEMORY
set -eu
arch=$1 kernel=$2 initrd=$3 memory=$4
case $arch in
  aarch64)
    exec qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m "$memory" -nic none \
      -kernel "$kernel" -initrd "$initrd" -nographic -no-reboot -monitor none -serial stdio \
      -append "console=ttyAMA0 kpti=0 mitigations=off quiet loglevel=1 panic=-1 rdinit=/init" ;;
  # RV64GC (SiFive U54); OpenSBI from QEMU.
  riscv64)
    exec qemu-system-riscv64 -M virt -cpu sifive-u54 -smp 2 -m "$memory" -nic none -bios default \
      -kernel "$kernel" -initrd "$initrd" -nographic -no-reboot -monitor none -serial stdio \
      -append "console=ttyS0 quiet loglevel=1 panic=-1 rdinit=/init" ;;
  *) echo "qemu.sh: no VM for $arch" >&2; exit 2 ;;
esac
