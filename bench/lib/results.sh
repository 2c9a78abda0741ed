# shellcheck shell=bash
# Minimal stand-in for A1's bench/lib/results.sh (the lead keeps A1's at merge).
# result_row <command> <figure> <value> <unit> <baseline-figure> <baseline-value> <ratio> <target> <met>
RESULTS_DIR="${RESULTS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/results}"
result_row() {
  (($# == 9)) || { echo "result_row needs 9 arguments, got $#: $*" >&2; return 2; }
  mkdir -p "$RESULTS_DIR"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS_DIR/${BENCH_RESULT_NAME:-$1}.tsv"
  printf '  %-30s %12s %-5s (baseline %s %s, ratio %s, target %s: %s)\n' "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" >&2
}
