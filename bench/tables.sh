# Markdown tables of benchmark figures, each a ratio to a Linux baseline of
# the same run; sourced by bench/run.sh (native) and bench/run-vm.sh (VMs).

# ratio A B: A/B, three decimals below 1, one above.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{r = a / b; printf(r < 1 ? "%.3f" : "%.1f", r)}'; }

# The figure of the first line matching "LABEL: <number> UNIT".
figure() { sed -n "s/^$1: \([0-9.]*\).*/\1/p" | head -1; }

# ipc_rows BASELINE_US: table rows from the benchmark's lines on stdin,
# "pingpong ARCH[ (N vCPUs)] WHAT: US us per round trip".
ipc_rows() {
  sed -n 's/^pingpong \([^ ]*\( (2 vCPUs)\)\{0,1\}\) \(.*\): \([0-9.]*\) us per round trip.*/\1|\3|\4/p' |
    while IFS='|' read -r arch what us; do
      printf '| UMOL4 %s call/reply, %s | %s | %s |\n' "$arch" "$what" "$us" "$(ratio "$us" "$1")"
    done
}

# pf_rows ARCH BASELINE_NS: rows from "pagefault WHAT: NS ns per page" on stdin.
pf_rows() {
  sed -n 's/^pagefault \(.*\): \([0-9]*\) ns per page.*/\1|\2/p' | while IFS='|' read -r what ns; do
    printf '| UMOL4 %s %s | %s | %s |\n' "$1" "$what" "$ns" "$(ratio "$ns" "$2")"
  done
}

# mapdb_table: the mapping-database table from mapdb_bench's output on stdin.
mapdb_table() {
  local out lmap lunmap n
  out=$(cat)
  get() { echo "$out" | figure "$1"; }
  lmap=$(get "linux mmap"); lunmap=$(get "linux munmap")
  n=$(echo "$out" | sed -n 's/^mapdb map from sigma0: .*(\([0-9]*\) pages).*/\1/p')
  echo "| mapping database, $n pages | ns per page | ratio to one Linux call per page |"
  echo "|---|---|---|"
  echo "| Linux mmap of one memfd page (baseline) | $lmap | 1.0 |"
  echo "| Linux munmap of one page (baseline) | $lunmap | 1.0 |"
  echo "| UMOL4 map from sigma0 | $(get "mapdb map from sigma0") | $(ratio "$(get "mapdb map from sigma0")" "$lmap") |"
  echo "| UMOL4 map nested (second space) | $(get "mapdb map nested") | $(ratio "$(get "mapdb map nested")" "$lmap") |"
  echo "| UMOL4 status read (GetStatus) | $(get "mapdb status read") | $(ratio "$(get "mapdb status read")" "$lunmap") |"
  echo "| UMOL4 flush, recursive (two mappings per page) | $(get "mapdb flush recursive") | $(ratio "$(get "mapdb flush recursive")" "$lunmap") |"
  echo
  echo "Core memory per mapping: $(get "mapdb core memory") bytes (goal: at most 64)."
}
