#!/usr/bin/env bash
# Runs the benchmarks and prints the results table (Markdown) with every
# UMOL4 figure as a ratio to the Linux lower bound measured in the same run.
# Usage: bash bench/run.sh [BUILD_DIR]   (builds first; deps: ci/install-deps.sh)
# The cross arches' figures under emulation: bench/run-vm.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/tables.sh
build=${1:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target umol4 sigma0 bench-pingpong bench-pagefault futex_pingpong sigsys_roundtrip segv_pagefault mapdb_bench >/dev/null

cpu=$(taskset -pc $$ | sed 's/.*: //; s/[,-].*//')
other=$(taskset -pc $$ | grep -o '[0-9]*' | tail -1)  # a second allowed CPU, if any
[ "$other" = "$cpu" ] && other=""
futex_one=$(taskset -c "$cpu" "$build/bench/futex_pingpong" 20000 | figure "futex ping-pong between two processes")
futex_any=$("$build/bench/futex_pingpong" 20000 | figure "futex ping-pong between two processes")
sigsys=$(taskset -c "$cpu" "$build/bench/sigsys_roundtrip" 100000 | figure "sigsys round trip")
cmake --build "$build" --target cross-ia32 >/dev/null 2>&1 || true  # absent without cross builds

# box LABEL L4_DIR PROGRAM UMOL4_OPTIONS...: the program's lines, its
# "pingpong"/"syscall"/"pagefault" prefix followed by LABEL (if any).
box() {
  local label=$1 dir=$2 prog=$3
  shift 3
  [ -x "$dir/$prog" ] || return 0
  if [ -z "$label" ]; then
    "$build/umol4" run "$@" "$dir/sigma0" "$dir/$prog"
  else
    "$build/umol4" run "$@" "$dir/sigma0" "$dir/$prog" | sed -E "s#^(pingpong|syscall|pagefault) #\1 $label #"
  fi
}
ipc=""
for trap in signal ptrace; do
  ipc="$ipc
$(box "x86_64/$trap" "$build/l4" bench-pingpong --trap $trap --host-cpu "$cpu")
$(box "ia32/$trap" "$build/cross/ia32/l4" bench-pingpong --trap $trap --host-cpu "$cpu")"
  # Two vCPUs: the partner moved to vCPU 1 (another host CPU); the figures on
  # vCPU 0 stay those of one vCPU.
  ipc="$ipc
$(box "x86_64/$trap" "$build/l4" bench-pingpong --trap $trap --cpus 2 | grep 'across CPUs' | sed 's/^pingpong \([^ ]*\) /pingpong \1 (2 vCPUs) /')"
done
if [ -n "$other" ]; then
  # The core on a CPU of its own, the box's threads on another.
  ipc="$ipc
$(box "x86_64/signal,core-cpu" "$build/l4" bench-pingpong --host-cpu "$cpu" --core-cpu "$other")"
fi

echo "| case | us per round trip | ratio to futex (one CPU) |"
echo "|---|---|---|"
echo "| Linux futex ping-pong, two processes, one CPU (baseline) | $futex_one | 1.0 |"
echo "| Linux futex ping-pong, two processes, any CPU | $futex_any | $(ratio "$futex_any" "$futex_one") |"
echo "$ipc" | ipc_rows "$futex_one"

echo
echo "| system call | us per call | ratio to a SIGSYS handled in the process |"
echo "|---|---|---|"
echo "| Linux: seccomp RET_TRAP, SIGSYS handler, rt_sigreturn (baseline) | $sigsys | 1.0 |"
echo "$ipc" | sed -n 's/^syscall \([^ ]*\) \(.*\): \([0-9.]*\) us per call.*/\1|\2|\3/p' |
  while IFS='|' read -r label what us; do
    printf '| UMOL4 %s %s | %s | %s |\n' "$label" "$what" "$us" "$(ratio "$us" "$sigsys")"
  done

# Memory: page-fault service inside a box beside a process that maps the
# page itself in its SIGSEGV handler; the mapping database in-process beside
# the same number of Linux mmap/munmap calls.
segv=$(taskset -c "$cpu" "$build/bench/segv_pagefault" 4096 | figure "segv baseline")
echo
echo "| page fault | ns per page | ratio to SIGSEGV + mmap in the handler |"
echo "|---|---|---|"
echo "| Linux: SIGSEGV, handler maps a memfd page (baseline) | $segv | 1.0 |"
for trap in signal ptrace; do
  box "" "$build/l4" bench-pagefault --trap $trap --host-cpu "$cpu" | pf_rows "x86_64/$trap" "$segv"
  box "" "$build/cross/ia32/l4" bench-pagefault --trap $trap --host-cpu "$cpu" | pf_rows "ia32/$trap" "$segv"
done
echo
"$build/bench/mapdb_bench" 1048576 | mapdb_table
