#!/usr/bin/env bash
# The benchmarks of a cross arch (aarch64, riscv64) inside its QEMU VM
# (ci/vm/run.sh, the kernel the VM tests boot), with every UMOL4 figure as a
# ratio to a Linux baseline measured in the same VM run.  Under TCG
# emulation: compare ratios, not absolute figures, with native runs.
# Usage: bash bench/run-vm.sh ARCH [BUILD_DIR]   (builds first)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/tables.sh
arch=$1 build=${2:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target cross-"$arch" >/dev/null
cross=$build/cross/$arch
kernel=$(sed -n 's/^UMOL4_VM_KERNEL:[A-Z]*=//p' "$cross/CMakeCache.txt")
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
# One VM run; vCPU 0 of each box and the baselines on guest CPU 0.
cat >"$work/commands" <<CMDS
bench/futex_pingpong 20000 0
bench/futex_pingpong 20000
umol4 run --host-cpu 0 l4/sigma0 l4/bench-pingpong
umol4 run --cpus 2 l4/sigma0 l4/bench-pingpong
bench/segv_pagefault 4096 0
umol4 run --host-cpu 0 l4/sigma0 l4/bench-pagefault
bench/mapdb_bench 262144
CMDS
log=$work/console.log
UMOL4_VM_LOG=$log bash ci/vm/run.sh "$arch" "$cross" "$kernel" "$work/commands" >/dev/null ||
  { echo "run-vm: a benchmark failed in the VM:" >&2; grep -v '^\[' "$log" | tail -40 >&2; exit 1; }
# The output of the Nth command.
out() { awk -v n="$1" '/^umol4-vm\$ / { i++; next } /^umol4-vm: exit/ { next } i == n' "$log"; }

futex_one=$(out 1 | figure "futex ping-pong between two processes")
futex_any=$(out 2 | figure "futex ping-pong between two processes")
echo "| case ($arch, QEMU TCG) | us per round trip | ratio to futex (one CPU) |"
echo "|---|---|---|"
echo "| Linux futex ping-pong, two processes, one CPU (baseline) | $futex_one | 1.0 |"
echo "| Linux futex ping-pong, two processes, any CPU | $futex_any | $(ratio "$futex_any" "$futex_one") |"
{ out 3 | sed "s/^pingpong /pingpong $arch /"
  out 4 | grep 'across CPUs' | sed "s/^pingpong /pingpong $arch (2 vCPUs) /"; } | ipc_rows "$futex_one"
segv=$(out 5 | figure "segv baseline")
echo
echo "| page fault ($arch, QEMU TCG) | ns per page | ratio to SIGSEGV + mmap in the handler |"
echo "|---|---|---|"
echo "| Linux: SIGSEGV, handler maps a memfd page (baseline) | $segv | 1.0 |"
out 6 | pf_rows "$arch" "$segv"
echo
out 7 | mapdb_table
