#!/bin/sh
# A bounded fuzz pass: run.sh FUZZER NEW_DIR CORPUS_DIR.  New inputs land
# in NEW_DIR; a finding (crash, sanitizer report, broken invariant) fails
# the test and leaves its input in NEW_DIR for `FUZZER input` to replay.
set -e
fuzzer=$1 new=$2 corpus=$3
mkdir -p "$new"
cd "$new"
exec "$fuzzer" -max_total_time="${UMOL4_FUZZ_SECONDS:-90}" -rss_limit_mb=4096 -timeout=20 \
  -print_final_stats=1 "$new" "$corpus"
