#!/usr/bin/env bash
# The README's first command: installs the dependencies, builds UMOL4 and
# boots the default L4 box: sigma0 + the root task hello, on this machine's
# arch, as an ordinary process tree traced by the umol4 core.
set -euo pipefail
cd "$(dirname "$0")/.."

bash ci/install-deps.sh
build=${UMOL4_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# Only what the demo runs (the test command builds the rest: cross builds,
# the sanitized and fuzzing cores).
cmake --build "$build" --target umol4 sigma0 hello

echo
echo "== $build/umol4 run -v $build/l4/sigma0 $build/l4/hello =="
exec "$build/umol4" run -v "$build/l4/sigma0" "$build/l4/hello"
