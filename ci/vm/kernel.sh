#!/usr/bin/env bash
# The Linux kernel a test VM of ARCH boots, as DEST/Image (cached: a stamp
# names its source; a second run with the same source is a no-op).
# - aarch64: Debian's arm64 kernel package (linux-image-arm64's image today).
# - riscv64: built from Debian's linux-source package with a minimal config:
#   serial console, initramfs, SMP, seccomp filters, futexes, memfd, /proc
#   (about 4 minutes on 2 cores).
#   ci/vm/kernel.sh ARCH DEST
set -euo pipefail
arch=$1 dest=$2
here=$(dirname "$(realpath "$0")")
mkdir -p "$dest"
case $arch in
aarch64)
  bash "$here/../debian-arch-packages.sh" arm64 "$dest/deb" deps-of:linux-image-arm64
  rm -rf "$dest/deb/lib/modules"  # the VM needs none; the stamp stays
  image=$(ls "$dest"/deb/boot/vmlinuz-* | sort | tail -1)
  cmp -s "$image" "$dest/Image" || cp "$image" "$dest/Image"
  ;;
riscv64)
  bash "$here/../debian-arch-packages.sh" amd64 "$dest/deb" linux-source-6.1
  tarball=$(ls "$dest"/deb/usr/src/linux-source-*.tar.xz | sort | tail -1)
  stamp="$(cat "$dest/deb/.packages") $(sha256sum "$0" | cut -c1-16)"
  if [ "$(cat "$dest/.built" 2>/dev/null)" = "$stamp" ] && [ -f "$dest/Image" ]; then exit 0; fi
  src=$dest/linux
  rm -rf "$src" && mkdir -p "$src"
  tar -xJf "$tarball" -C "$src" --strip-components=1
  make=(make -C "$src" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- -j"$(nproc)")
  "${make[@]}" tinyconfig >/dev/null
  # What umol4 and its tasks use, and QEMU's virt machine.  JUMP_LABEL: without
  # it 6.1's vDSO reads a kernel static key in cpu_relax() (a clock_gettime
  # that races with a timer update on another CPU faults in user space).
  "$src/scripts/config" --file "$src/.config" \
    --enable 64BIT --enable MMU --enable SMP --set-val NR_CPUS 8 --enable SOC_VIRT \
    --enable NONPORTABLE --enable FPU --enable RISCV_SBI \
    --enable TTY --enable PRINTK --enable SERIAL_8250 --enable SERIAL_8250_CONSOLE \
    --enable SERIAL_OF_PLATFORM --enable HVC_RISCV_SBI \
    --enable BLK_DEV_INITRD --enable RD_GZIP --enable BINFMT_ELF --enable BINFMT_SCRIPT \
    --enable PROC_FS --enable PROC_SYSCTL --enable SYSCTL --enable SYSFS --enable DEVTMPFS \
    --enable TMPFS --enable SHMEM --enable MEMFD_CREATE --enable FUTEX --enable EPOLL \
    --enable SIGNALFD --enable TIMERFD --enable EVENTFD --enable POSIX_TIMERS --enable MULTIUSER \
    --enable NET --enable SECCOMP --enable SECCOMP_FILTER --enable ADVISE_SYSCALLS --enable HIGH_RES_TIMERS \
    --enable PM --enable POWER_RESET --enable POWER_RESET_SYSCON_POWEROFF \
    --enable JUMP_LABEL
  "${make[@]}" olddefconfig >/dev/null
  missing=""
  for c in SECCOMP_FILTER MEMFD_CREATE SERIAL_8250_CONSOLE SERIAL_OF_PLATFORM BLK_DEV_INITRD SMP FUTEX \
           PROC_SYSCTL DEVTMPFS TMPFS POSIX_TIMERS SOC_VIRT RISCV_SBI JUMP_LABEL; do
    grep -q "^CONFIG_$c=y" "$src/.config" || missing+=" $c"
  done
  [ -z "$missing" ] || { echo "kernel.sh: not in the config:$missing" >&2; exit 1; }
  "${make[@]}" Image >/dev/null
  cp "$src/arch/riscv/boot/Image" "$dest/Image"
  rm -rf "$src"
  echo "$stamp" >"$dest/.built"
  ;;
*) echo "kernel.sh: no VM kernel for $arch" >&2; exit 2 ;;
esac
