#!/usr/bin/env bash
# Runs the benchmarks and prints the results table (Markdown) with every
# UMOL4 figure as a ratio to the Linux lower bound measured in the same run.
# Usage: bash bench/run.sh [BUILD_DIR]   (builds first; deps: ci/install-deps.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target umol4 sigma0 bench-pingpong futex_pingpong >/dev/null

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
echo "$box" | sed -n 's/^pingpong \(.*\): \([0-9.]*\) us per round trip.*/\1 \2/p' | while read -r arch a b c d us; do
  printf '| UMOL4 %s call/reply, %s %s %s %s | %s | %s |\n' "$arch" "$a" "$b" "$c" "$d" "$us" \
    "$(awk -v a="$us" -v b="$futex_one" 'BEGIN{printf "%.1f", a/b}')"
done
