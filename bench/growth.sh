#!/usr/bin/env bash
# Growth (issue 13 item 5): consent writes and erasure fan-out with 1x, 4x and 16x the data already stored; the
# figures should stay flat (indexes, no scans).
#
#   bench/growth.sh [--quick] [--levels "1 4 16"] [--keep]
#
# 1x = 25,000 consent records (3,125 subjects x 8 purposes), written with SQL into consent_record and
# consent_current (lib/preload.sh; nothing into the outbox). At each level:
#   consent-writes.sh --no-baselines --no-c4 --seconds 10   -> consent-writes-growth-<N>x (+ commit-latency-growth-<N>x
#                                                              from its half-max commit-latency.sh call)
#   erasure-fanout.sh --count 40 --preload <N x 4> --no-baseline -> erasure-fanout-growth-<N>x (40 erasures
#                     measured after P erasures completed unmeasured, with the level's consent data in place, which
#                     every erasure also reaches: consent-service is a store). Sized to keep run-all under 15 min
#                     at today's ~2 completed erasures/s; GROWTH_ERASURE_PRELOAD_PER_X / GROWTH_ERASURE_COUNT change it.
# Afterwards every row of the 4x/16x files gets the 1x figure as its baseline and the ratio to it; target "flat:
# within 1.25x" (throughputs >= 0.80x, latencies and durations <= 1.25x). The preloaded consent data is removed at
# the end unless --keep.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$BENCH_DIR/lib/results.sh"
source "$BENCH_DIR/lib/preload.sh"

LEVELS="1 4 16"
QUICK=0
KEEP=0
WRITE_SECONDS=10
GROWTH_ERASURE_PRELOAD_PER_X="${GROWTH_ERASURE_PRELOAD_PER_X:-4}"
GROWTH_ERASURE_COUNT="${GROWTH_ERASURE_COUNT:-40}"
while (($#)); do
  case "$1" in
    --quick) QUICK=1; WRITE_SECONDS=4; GROWTH_ERASURE_PRELOAD_PER_X=100; GROWTH_ERASURE_COUNT=100 ;;
    --levels) LEVELS="$2"; shift ;;
    --keep) KEEP=1 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

bench_ensure_system
bench_ensure_purposes
if (($(bench_preloaded_subjects) > 0)); then
  bench_log "removing preloaded data from an earlier run"
  bench_remove_preload
fi

for level in $LEVELS; do
  bench_log "=== growth ${level}x: $((level * BENCH_PRELOAD_SUBJECTS_PER_X * 8)) preloaded consent records"
  bench_preload_consents "$level"
  quick=()
  ((QUICK)) && quick=(--quick)
  # The services are warm by now (consent-writes.sh ran before in run-all): 5 s of warm-up instead of its 15.
  WARMUP_SECONDS="${GROWTH_WARMUP_SECONDS:-5}" BENCH_RESULT_NAME="consent-writes-growth-${level}x" \
    "$BENCH_DIR/consent-writes.sh" --no-baselines --no-c4 \
    --seconds "$WRITE_SECONDS" --latency-args "--no-baseline --warmup 2 --seconds $WRITE_SECONDS" || bench_log "consent-writes.sh failed at ${level}x"
  if [[ -x "$BENCH_DIR/erasure-fanout.sh" ]]; then
    timeout_s=120
    ((QUICK)) && timeout_s=60
    BENCH_RESULT_NAME="erasure-fanout-growth-${level}x" "$BENCH_DIR/erasure-fanout.sh" --count "$GROWTH_ERASURE_COUNT" \
      --preload $((level * GROWTH_ERASURE_PRELOAD_PER_X)) --timeout "$timeout_s" --no-baseline \
      || bench_log "erasure-fanout.sh failed at ${level}x"
  else
    bench_log "bench/erasure-fanout.sh is not there (helper A2's): erasure growth not run"
    BENCH_RESULT_NAME="erasure-fanout-growth-${level}x" result_row erasure-fanout all-completed-seconds "not run" \
      "s" "-" "-" "n/a" "flat: within 1.25x" "n/a"
  fi
done

# Ratios to the 1x figure: rewrite the baseline columns of each growth file from the 1x file of the same command.
for command in consent-writes commit-latency erasure-fanout; do
  base="$RESULTS_DIR/$command-growth-1x.tsv"
  [[ -f "$base" ]] || continue
  for level in $LEVELS; do
    file="$RESULTS_DIR/$command-growth-${level}x.tsv"
    [[ -f "$file" ]] || continue
    awk -F'\t' -v OFS='\t' -v name="$command-growth-${level}x" 'NR == FNR { one[$2] = $3; next }
      {
        b = ($2 in one) ? one[$2] : "n/a"
        num = ($3 ~ /^[0-9.eE+-]+$/ && b ~ /^[0-9.eE+-]+$/ && b + 0 != 0)
        r = num ? sprintf("%.2f", $3 / b) : "n/a"
        higher = ($4 ~ /\/s$/)
        met = !num ? "n/a" : (higher ? (r + 0 >= 0.80 ? "yes" : "no") : (r + 0 <= 1.25 ? "yes" : "no"))
        print name, $2, $3, $4, "growth-1x", b, r, (higher ? "flat: >= 0.80x of 1x" : "flat: <= 1.25x of 1x"), met
      }' "$base" "$file" >"$file.tmp" && mv "$file.tmp" "$file"
  done
done

((KEEP)) || bench_remove_preload
