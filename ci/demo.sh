#!/usr/bin/env bash
# The README's first command: installs the dependencies, builds UMOL4 and
# runs the default demo.  Until the core boots L4 boxes (issue 3), the demo
# is the generated-bindings self test on all four arches: every X.2 system
# call made through the real user binding and KIP stub of ia32, x86_64,
# aarch64 and riscv64 (the last two under QEMU user mode) and decoded by the
# core's generated decoder.
set -euo pipefail
cd "$(dirname "$0")/.."

bash ci/install-deps.sh
build=${UMOL4_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build"

echo
echo "== UMOL4 binding self test: user binding -> KIP stub -> core decoder -> encoder -> caller =="
status=0
for arch in ia32 x86_64 aarch64 riscv64; do
  if [ "$arch" = x86_64 ]; then dir="$build"; else dir="$build/cross/$arch"; fi
  case $arch in
    aarch64|riscv64) run=(qemu-$arch-static); how="QEMU user mode" ;;
    ia32) run=(); how="native, 32-bit" ;;
    *) run=(); how="native" ;;
  esac
  out=$("${run[@]}" "$dir/tests/bindings_roundtrip" --gtest_brief=1 2>&1) && ok=1 || ok=0
  calls=$(printf '%s\n' "$out" | grep -o '[0-9]* tests from [0-9]* test suites ran' | head -1)
  if [ $ok = 1 ]; then
    printf '%-8s %-16s all 12 X.2 calls round-trip (%s)\n' "$arch" "($how)" "$calls"
  else
    printf '%-8s %-16s FAILED\n%s\n' "$arch" "($how)" "$out"
    status=1
  fi
done
echo
echo "L4 programs built for every arch (they run once the boot issue lands):"
ls -1 "$build"/l4/* "$build"/cross/*/l4/* | sed 's/^/  /'
exit $status
