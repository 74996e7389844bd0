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
cmake --build "$build" --target umol4 sigma0 bench-pingpong bench-pagefault futex_pingpong segv_pagefault mapdb_bench >/dev/null

cpu=$(taskset -pc $$ | sed 's/.*: //; s/[,-].*//')
futex_one=$(taskset -c "$cpu" "$build/bench/futex_pingpong" 20000 | figure "futex ping-pong between two processes")
futex_any=$("$build/bench/futex_pingpong" 20000 | figure "futex ping-pong between two processes")
box=$("$build/umol4" run --host-cpu "$cpu" "$build/l4/sigma0" "$build/l4/bench-pingpong" | sed 's/^pingpong /pingpong x86_64 /')
cmake --build "$build" --target cross-ia32 >/dev/null 2>&1 || true  # absent without cross builds
if [ -x "$build/cross/ia32/l4/bench-pingpong" ]; then
  box="$box
$("$build/umol4" run --host-cpu "$cpu" "$build/cross/ia32/l4/sigma0" "$build/cross/ia32/l4/bench-pingpong" | sed 's/^pingpong /pingpong ia32 /')"
fi
# Two vCPUs: the partner moved to vCPU 1 (another host CPU); the figures on
# vCPU 0 stay those of one vCPU.
box="$box
$("$build/umol4" run --cpus 2 "$build/l4/sigma0" "$build/l4/bench-pingpong" | grep 'across CPUs' |
  sed 's/^pingpong /pingpong x86_64 (2 vCPUs) /')"

echo "| case | us per round trip | ratio to futex (one CPU) |"
echo "|---|---|---|"
echo "| Linux futex ping-pong, two processes, one CPU (baseline) | $futex_one | 1.0 |"
echo "| Linux futex ping-pong, two processes, any CPU | $futex_any | $(ratio "$futex_any" "$futex_one") |"
echo "$box" | ipc_rows "$futex_one"

# Memory: page-fault service inside a box beside a process that maps the
# page itself in its SIGSEGV handler; the mapping database in-process beside
# the same number of Linux mmap/munmap calls.
segv=$(taskset -c "$cpu" "$build/bench/segv_pagefault" 4096 | figure "segv baseline")
echo
echo "| page fault | ns per page | ratio to SIGSEGV + mmap in the handler |"
echo "|---|---|---|"
echo "| Linux: SIGSEGV, handler maps a memfd page (baseline) | $segv | 1.0 |"
"$build/umol4" run --host-cpu "$cpu" "$build/l4/sigma0" "$build/l4/bench-pagefault" | pf_rows x86_64 "$segv"
if [ -x "$build/cross/ia32/l4/bench-pagefault" ]; then
  "$build/umol4" run --host-cpu "$cpu" "$build/cross/ia32/l4/sigma0" "$build/cross/ia32/l4/bench-pagefault" | pf_rows ia32 "$segv"
fi
echo
"$build/bench/mapdb_bench" 1048576 | mapdb_table
