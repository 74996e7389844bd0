#!/usr/bin/env bash
# The README's test command: installs every dependency (Debian 12, apt-get),
# builds UMOL4 for all four arches and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash ci/install-deps.sh
build=${UMOL4_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure -j2
