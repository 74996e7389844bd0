#!/usr/bin/env bash
# The README's test command: installs every dependency (Debian 12, apt-get),
# builds UMOL4 for all four arches and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash ci/install-deps.sh
build=${UMOL4_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build"
status=0
ctest --test-dir "$build" --output-on-failure -j2 || status=$?

# What the conformance suite said inside each cross arch's VM (tests/vm).
for log in "$build"/cross/*/vm-box.log; do
  [ -f "$log" ] || continue
  arch=$(basename "$(dirname "$log")")
  awk -v arch="$arch" '/^umol4-vm\$ / { sub(/^umol4-vm\$ (@[0-9]+ )?(=[0-9,]+ )?/, ""); cmd = $0 }
    /^conformance: [0-9]+ passed, [0-9]+ failed/ { printf "%s VM: %s  [%s]\n", arch, $0, cmd }' "$log"
done
exit $status
