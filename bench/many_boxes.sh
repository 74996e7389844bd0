#!/usr/bin/env bash
# Many idle boxes on one machine: starts N boxes of sigma0 + bench-idle at
# once, waits until every one says it runs, and reports how many started,
# how long that took, Linux pids and memory per box (proportional set size:
# code shared by the boxes counts once), then stops them all and checks
# that no process of theirs is left.  Not a CI test.  Every box holds five
# pids (its core; per space a task leader and one L4 thread): N=10000 needs
# pid_max above 50000 (as root: sysctl kernel.pid_max=4194304).
# Usage: bash bench/many_boxes.sh [N [BUILD_DIR [UMOL4 OPTIONS...]]]
set -uo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
build=${2:-build}
shift 2 2>/dev/null || shift $#
cmake --build "$build" --target umol4 sigma0 bench-idle >/dev/null || exit 1
out=$(mktemp -d)
cores=()
cleanup() {
  [ ${#cores[@]} -gt 0 ] && kill -KILL "${cores[@]}" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$out"
}
trap cleanup EXIT

echo "host: pid_max $(cat /proc/sys/kernel/pid_max), threads-max $(cat /proc/sys/kernel/threads-max)," \
  "$(nproc) CPUs, $(awk '/MemAvailable/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) available"
read -r used_before shared_before < <(free -k | awk '/^Mem:/ {print $3, $5}')
begin=$(date +%s.%N)
for i in $(seq 1 "$n"); do
  "$build/umol4" run --host-cpu -1 "$@" "$build/l4/sigma0" "$build/l4/bench-idle" >"$out/$i" 2>&1 </dev/null &
  cores+=($!)
done
# Every box up (its root task said so), or gone (it failed: counted).
while :; do
  up=$(grep -l '^idle$' "$out"/* 2>/dev/null | wc -l)
  alive=0
  for p in "${cores[@]}"; do [ -d "/proc/$p" ] && alive=$((alive + 1)); done
  [ "$up" -ge "$alive" ] && break
  sleep 0.2
done
seconds=$(echo "$(date +%s.%N) - $begin" | bc)
echo "started: $up of $n boxes running in ${seconds} s"
if [ "$up" -lt "$n" ]; then
  echo "why the first box that did not start stopped:"
  for i in $(seq 1 "$n"); do grep -q '^idle$' "$out/$i" || { tail -3 "$out/$i"; break; }; done
fi

# Pids and memory of the running boxes (each core and its task processes),
# in one pass over /proc; and the host's view: memory in use (anonymous and
# the kernel's page tables, stacks and slabs) and MemFile pages (shared),
# against the same before the boxes started.
printf '%s\n' "${cores[@]}" | python3 -c '
import os, sys
cores = [int(p) for p in sys.stdin.read().split()]
up, pids, pss = 0, 0, 0
for core in cores:
    try:
        kids = []
        for t in os.listdir(f"/proc/{core}/task"):
            kids += open(f"/proc/{core}/task/{t}/children").read().split()
        up += 1
    except OSError:
        continue
    for p in [core] + [int(k) for k in kids]:
        try:
            pids += len(os.listdir(f"/proc/{p}/task"))
            for line in open(f"/proc/{p}/smaps_rollup"):
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
if up:
    print(f"per box: {pids / up:.1f} Linux pids, {pss / up:.0f} KiB proportional set size (core and task processes, MemFile pages included)")
'
read -r used_now shared_now < <(free -k | awk '/^Mem:/ {print $3, $5}')
echo "host memory per box: $(( (used_now - used_before) / n )) KiB in use (processes and the kernel's own), $(( (shared_now - shared_before) / n )) KiB of MemFile pages"

# Stop them: the cores end (SIGTERM), their tasks with them.
begin=$(date +%s.%N)
kill -TERM "${cores[@]}" 2>/dev/null
wait 2>/dev/null
echo "stopped in $(echo "$(date +%s.%N) - $begin" | bc) s"
left=$(pgrep -c -f "$build/umol4 run" || true)
tasks=$(pgrep -c -f '^umol4-task$' || true)
echo "left over: $left cores, $tasks task processes"
cores=()
