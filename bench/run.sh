#!/usr/bin/env bash
# Runs the benchmarks and prints the results table (Markdown) with every
# UMOL4 figure as a ratio to the Linux lower bound measured in the same run.
# Usage: bash bench/run.sh [BUILD_DIR]   (builds first; deps: ci/install-deps.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target umol4 sigma0 bench-pingpong bench-pagefault futex_pingpong segv_pagefault mapdb_bench >/dev/null

cpu=$(taskset -pc $$ | sed 's/.*: //; s/[,-].*//')
futex_one=$(taskset -c "$cpu" "$build/bench/futex_pingpong" 20000 | sed -n 's/.*: \([0-9.]*\) us.*/\1/p')
futex_any=$("$build/bench/futex_pingpong" 20000 | sed -n 's/.*: \([0-9.]*\) us.*/\1/p')
box=$("$build/umol4" run --host-cpu "$cpu" "$build/l4/sigma0" "$build/l4/bench-pingpong" | sed 's/^pingpong /pingpong x86_64 /')
cmake --build "$build" --target cross-ia32 >/dev/null 2>&1 || true  # absent without cross builds
if [ -x "$build/cross/ia32/l4/bench-pingpong" ]; then
  box="$box
$("$build/umol4" run --host-cpu "$cpu" "$build/cross/ia32/l4/sigma0" "$build/cross/ia32/l4/bench-pingpong" | sed 's/^pingpong /pingpong ia32 /')"
fi

echo "| case | us per round trip | ratio to futex (one CPU) |"
echo "|---|---|---|"
echo "| Linux futex ping-pong, two processes, one CPU (baseline) | $futex_one | 1.0 |"
echo "| Linux futex ping-pong, two processes, any CPU | $futex_any | $(awk -v a="$futex_any" -v b="$futex_one" 'BEGIN{printf "%.1f", a/b}') |"
# Two vCPUs: the partner moved to vCPU 1 (another host CPU); the figures on
# vCPU 0 stay those of one vCPU.
box="$box
$("$build/umol4" run --cpus 2 "$build/l4/sigma0" "$build/l4/bench-pingpong" | grep 'across CPUs' |
  sed 's/^pingpong /pingpong x86_64 (2 vCPUs) /')"
echo "$box" | sed -n 's/^pingpong \([^ ]*\( (2 vCPUs)\)\{0,1\}\) \(.*\): \([0-9.]*\) us per round trip.*/\1|\3|\4/p' |
  while IFS='|' read -r arch what us; do
    printf '| UMOL4 %s call/reply, %s | %s | %s |\n' "$arch" "$what" "$us" \
      "$(awk -v a="$us" -v b="$futex_one" 'BEGIN{printf "%.1f", a/b}')"
  done

# Memory: page-fault service inside a box beside a process that maps the
# page itself in its SIGSEGV handler; the mapping database in-process beside
# the same number of Linux mmap/munmap calls.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{r = a / b; printf(r < 1 ? "%.3f" : "%.1f", r)}'; }
segv=$(taskset -c "$cpu" "$build/bench/segv_pagefault" 4096 | sed -n 's/.*: \([0-9.]*\) ns.*/\1/p')
pf_lines() {  # arch build-dir
  "$build/umol4" run --host-cpu "$cpu" "$2/l4/sigma0" "$2/l4/bench-pagefault" |
    sed -n 's/^pagefault \(.*\): \([0-9]*\) ns per page.*/\1|\2/p' | while IFS='|' read -r what ns; do
      printf '| UMOL4 %s %s | %s | %s |\n' "$1" "$what" "$ns" "$(ratio "$ns" "$segv")"
    done
}
echo
echo "| page fault | ns per page | ratio to SIGSEGV + mmap in the handler |"
echo "|---|---|---|"
echo "| Linux: SIGSEGV, handler maps a memfd page (baseline) | $segv | 1.0 |"
pf_lines x86_64 "$build"
[ -x "$build/cross/ia32/l4/bench-pagefault" ] && pf_lines ia32 "$build/cross/ia32"
mapdb=$("$build/bench/mapdb_bench" 1048576)
get() { echo "$mapdb" | sed -n "s/^$1: \([0-9.]*\).*/\1/p"; }
lmap=$(get "linux mmap"); lunmap=$(get "linux munmap")
echo
echo "| mapping database, 1M pages | ns per page | ratio to one Linux call per page |"
echo "|---|---|---|"
echo "| Linux mmap of one memfd page (baseline) | $lmap | 1.0 |"
echo "| Linux munmap of one page (baseline) | $lunmap | 1.0 |"
echo "| UMOL4 map from sigma0 | $(get "mapdb map from sigma0") | $(ratio "$(get "mapdb map from sigma0")" "$lmap") |"
echo "| UMOL4 map nested (second space) | $(get "mapdb map nested") | $(ratio "$(get "mapdb map nested")" "$lmap") |"
echo "| UMOL4 status read (GetStatus) | $(get "mapdb status read") | $(ratio "$(get "mapdb status read")" "$lunmap") |"
echo "| UMOL4 flush, recursive (two mappings per page) | $(get "mapdb flush recursive") | $(ratio "$(get "mapdb flush recursive")" "$lunmap") |"
echo
echo "Core memory per mapping: $(get "mapdb core memory") bytes (goal: at most 64)."
