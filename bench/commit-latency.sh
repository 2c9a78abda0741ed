#!/usr/bin/env bash
# Issue 13, item 2: from a consent's 201 to its event being readable by a read_committed consumer.
#
#   bench/commit-latency.sh --rate <req/s | 0 for idle> [--seconds 20] [--warmup 5] [--label <figure prefix>]
#                           [--samples 500 (idle only)] [--no-baseline]
#
# The Java driver (CommitLatency) POSTs /v1/consents (random subject, one of 8 purposes, acme-app token,
# Idempotency-Key) at the fixed open-loop rate (0: one at a time, 50 ms apart, 500 samples) while a consumer reads
# privacy.consent.changed.v1; rows: <label>-p50/p99 (commit -> consumer, ms), rest-p50/p99-at-<label> (ms),
# <label>-rate (achieved req/s), <label>-errors (non-201 answers and failures), <label>-not-sent (the open loop skipped a
# request because 1,024 were unanswered: the service fell behind the rate). The label defaults to "idle" for --rate 0 and "half-max" else
# (consent-writes.sh calls it with half its max rate); --label rate-800 for other uses. The driver's figure=value
# lines (rest-p50-ms=…, commit-p99-ms=…) are printed last on stdout. Baseline: Kafka's EndToEndLatency on the same broker (2000 messages,
# 512 B, acks=all, a scratch topic) -> its p99; measured once per call unless --no-baseline (then
# BENCH_E2E_BASELINE_P99_MS, if set, is used). Rows go to bench/results/${BENCH_RESULT_NAME:-commit-latency}.tsv.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/results.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/driver-figures.sh"

RATE="" SECONDS_RUN=20 WARMUP=5 LABEL="" BASELINE=1 SAMPLES=500
while (($#)); do
  case "$1" in
    --rate) RATE="$2"; shift 2 ;;
    --seconds) SECONDS_RUN="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --label) LABEL="$2"; shift 2 ;;
    --samples) SAMPLES="$2"; shift 2 ;;
    --no-baseline) BASELINE=0; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n "$RATE" ]] || { echo "usage: $0 --rate <req/s|0> [--seconds 20] [--warmup 5] [--label name]" >&2; exit 2; }
if [[ -z "$LABEL" ]]; then
  # A non-zero rate is, in the bench interface, half of consent-writes.sh's max (which calls this without --label).
  if awk -v r="$RATE" 'BEGIN { exit !(r+0 == 0) }'; then LABEL=idle; else LABEL=half-max; fi
fi
CMD=commit-latency
export BENCH_RESULT_NAME="${BENCH_RESULT_NAME:-$CMD}"

bench_ensure_system
TARGET="p99 <= 50 ms at half max"

# --- baseline: Kafka's own end-to-end latency on this broker -------------------------------------------------
BASE_P99="${BENCH_E2E_BASELINE_P99_MS:-n/a}"
if ((BASELINE)); then
  topic="bench-e2e-$$"
  scratch_topic "$topic" 1
  e2e=$(kafka_tool org.apache.kafka.tools.EndToEndLatency "$KAFKA_BOOTSTRAP" "$topic" 2000 all 512 "$KAFKA_ADMIN_CONFIG" 2>&1) \
    || { echo "$e2e" | tail -5 >&2; }
  delete_topic "$topic"
  BASE_P99=$(sed -nE 's/.*Percentiles: 50th = ([0-9]+), 99th = ([0-9]+).*/\2/p' <<<"$e2e")
  base_p50=$(sed -nE 's/.*Percentiles: 50th = ([0-9]+), 99th = ([0-9]+).*/\1/p' <<<"$e2e")
  BASE_P99="${BASE_P99:-FAILED}"
  result_row "$CMD" kafka-e2e-p99 "$BASE_P99" ms - - n/a "baseline (EndToEndLatency 2000 x 512 B, acks=all)" n/a
  result_row "$CMD" kafka-e2e-p50 "${base_p50:-FAILED}" ms - - n/a "baseline" n/a
  export BENCH_E2E_BASELINE_P99_MS="$BASE_P99"
fi

# --- the measurement ---------------------------------------------------------------------------------------------
out=$(mktemp)
trap 'rm -f "$out"' EXIT
bench_log "commit latency at rate $RATE ($LABEL), ${SECONDS_RUN}s after ${WARMUP}s warm-up"
if ! "$BENCH_DIR/driver.sh" CommitLatency --consent-url "http://127.0.0.1:$(service_port consent-service)" \
  --app-token-file "$RUN_DIR/tokens/acme-app.jwt" --admin-token-file "$RUN_DIR/tokens/acme-admin.jwt" \
  --kafka-config "$KAFKA_ADMIN_CONFIG" --rate "$RATE" --seconds "$SECONDS_RUN" --warmup "$WARMUP" --samples "$SAMPLES" --out "$out"; then
  bench_log "CommitLatency failed"
fi

p50=$(figure "$out" commit-p50-ms) p99=$(figure "$out" commit-p99-ms)
result_row "$CMD" "$LABEL-p50" "$p50" ms kafka-e2e-p99 "$BASE_P99" "$(ratio "$p50" "$BASE_P99")" "-" n/a
result_row "$CMD" "$LABEL-p99" "$p99" ms kafka-e2e-p99 "$BASE_P99" "$(ratio "$p99" "$BASE_P99")" "$TARGET" \
  "$(if [[ "$LABEL" == half-max ]]; then met "$p99" le 50; else echo n/a; fi)"
rp50=$(figure "$out" rest-p50-ms) rp99=$(figure "$out" rest-p99-ms)
result_row "$CMD" "rest-p50-at-$LABEL" "$rp50" ms - - n/a "-" n/a
result_row "$CMD" "rest-p99-at-$LABEL" "$rp99" ms - - n/a "p99 <= 20 ms" "$(met "$rp99" le 20)"
result_row "$CMD" "$LABEL-rate" "$(figure "$out" rate-achieved)" req/s rate-target "$RATE" \
  "$(ratio "$(figure "$out" rate-achieved)" "$RATE")" "-" n/a
errors=$(figure "$out" errors) missing=$(figure "$out" events-missing) early=$(figure "$out" read-before-201)
result_row "$CMD" "$LABEL-errors" "$errors" count - - n/a "0" "$(met "$errors" le 0)"
shed=$(figure "$out" shed)
result_row "$CMD" "$LABEL-not-sent" "$shed" count - - n/a "(info: open loop skipped, too many unanswered)" n/a
result_row "$CMD" "$LABEL-events-missing" "$missing" count - - n/a "0" "$(met "$missing" le 0)"
result_row "$CMD" "$LABEL-read-before-201" "$early" count - - n/a "- (clamped to 0 ms)" n/a
# The driver's figures, for whoever calls this script (consent-writes.sh reads the REST figures from here).
cat "$out"
