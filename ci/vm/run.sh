#!/usr/bin/env bash
# Boots a QEMU system VM of ARCH (aarch64, riscv64) with a real Linux kernel and an
# initramfs holding the static umol4 and L4 programs of a cross build, runs
# COMMANDS (a file, one command per line, paths relative to the cross build
# directory, e.g. "umol4 run l4/sigma0 l4/conformance"), prints the console
# and powers off.  Exit status 0 only if the VM ran every command and each
# exited 0.
#   ci/vm/run.sh ARCH CROSS_BUILD_DIR KERNEL COMMANDS
# Used by the cross builds' ctest entries (cmake/cross.cmake) and
# bench/run-vm.sh.  Needs qemu-system-ARCH, cpio, gzip.
set -euo pipefail
arch=$1 build=$(realpath "$2") kernel=$3 commands=$4
here=$(dirname "$(realpath "$0")")
work=$(mktemp -d "${TMPDIR:-/tmp}/umol4-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The initramfs: /init, /vm/commands, and every file the commands name, at
# its path in the cross build under /b, where /init runs them (stripped: the
# VM holds them in its RAM).
root=$work/root
mkdir -p "$root/vm"
case $arch in
  aarch64) triple=aarch64-linux-gnu ;;
  riscv64) triple=riscv64-linux-gnu ;;
  *) echo "run.sh: no VM for $arch" >&2; exit 2 ;;
esac
$triple-gcc -static -O2 -o "$root/init" "$here/init.c"
cp "$commands" "$root/vm/commands"
# Words that are files of the build, or beside COMMANDS (console input).
for w in $(grep -v '^#' "$commands" | tr ' ' '\n' | sort -u); do
  if [ -f "$build/$w" ]; then
    mkdir -p "$root/b/$(dirname "$w")"
    $triple-strip -o "$root/b/$w" "$build/$w" 2>/dev/null || cp "$build/$w" "$root/b/$w"
  elif [ -f "$(dirname "$commands")/$w" ]; then
    mkdir -p "$root/b/$(dirname "$w")"
    cp "$(dirname "$commands")/$w" "$root/b/$w"
  fi
done
(cd "$root" && find . | cpio -o -H newc --owner=0:0 --quiet) | gzip -1 >"$work/initramfs.gz"

qemu=(sh "$here/qemu.sh" "$arch" "$kernel" "$work/initramfs.gz" 2048)
# UMOL4_VM_LOG keeps the console (ci/test.sh prints its summary lines).
log=${UMOL4_VM_LOG:-$work/console.log}
# /init speaks within seconds of the boot; a VM that has not after
# UMOL4_VM_BOOT_LIMIT seconds is stuck (seen once on riscv64 under load):
# it is killed and booted once more.
boot_limit=${UMOL4_VM_BOOT_LIMIT:-120}
boot() {
  : >"$log"
  "${qemu[@]}" </dev/null >"$log" 2>&1 &
  local qemu_pid=$! waited=0
  tail -n +1 -f --pid=$qemu_pid "$log" &
  local tail_pid=$!
  until grep -q '^umol4-vm' "$log" || ! kill -0 $qemu_pid 2>/dev/null; do
    if [ $waited -ge "$boot_limit" ]; then
      kill $qemu_pid; wait $qemu_pid || true; wait $tail_pid || true
      return 1
    fi
    sleep 1; waited=$((waited + 1))
  done
  wait $qemu_pid || true
  wait $tail_pid || true
}
boot || { echo "run.sh: no word from /init after ${boot_limit} s: booting again" >&2; boot || true; }
grep -q "umol4-vm: done, 0 command(s) failed" "$log"
