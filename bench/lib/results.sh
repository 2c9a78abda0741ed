# shellcheck shell=bash
# result_row <command> <figure> <value> <unit> <baseline-figure> <baseline-value> <ratio> <target> <met>
# appends one tab-separated line to bench/results/${BENCH_RESULT_NAME:-<command>}.tsv.
# ratio "auto" = value / baseline-value with 2 decimals (for latencies too: lower is better there);
# value "FAILED" or "not run" marks a figure that could not be measured.
RESULTS_DIR="${RESULTS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/results}"

bench_ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.eE+-]+$/ && b ~ /^[0-9.eE+-]+$/ && b+0 != 0) printf "%.2f", a/b; else print "n/a" }'
}

result_row() {
  (($# == 9)) || { echo "result_row needs 9 arguments, got $#: $*" >&2; return 2; }
  local command="$1" figure="$2" value="$3" unit="$4" base_figure="$5" base_value="$6" ratio="$7" target="$8" met="$9"
  [[ "$ratio" == auto ]] && ratio=$(bench_ratio "$value" "$base_value")
  mkdir -p "$RESULTS_DIR"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$command" "$figure" "$value" "$unit" "$base_figure" "$base_value" \
    "$ratio" "$target" "$met" >>"$RESULTS_DIR/${BENCH_RESULT_NAME:-$command}.tsv"
  printf '  %-28s %12s %-6s (baseline %s %s, ratio %s, target %s: %s)\n' "$figure" "$value" "$unit" "$base_figure" \
    "$base_value" "$ratio" "$target" "$met" >&2
}

# yes/no for "<value> <op> <limit>" (op: ge, le), n/a when the value is not a number.
bench_met() {
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    if (v !~ /^[0-9.eE+-]+$/) { print "n/a"; exit }
    if (op == "ge") print (v+0 >= l+0 ? "yes" : "no"); else print (v+0 <= l+0 ? "yes" : "no") }'
}
