#!/usr/bin/env bash
# Reads of a subject's state (issue 13 targets): GET /v1/subjects/{id}/consents with the acme app JWT, for random
# subjects that exist (each with 8 purposes), at 32 and 8 connections (wrk + lib/consent-read.lua).
#
#   bench/consent-reads.sh [--quick] [--seconds N] [--subjects N]
#
# The subjects are stored first through the REST batch endpoint (POST /v1/consents/batch, 400 records a call,
# 50 subjects x 8 purposes), so they are what the service itself wrote.
# Rows: read-throughput (c32, target >= 5000 req/s; baseline /q/health/live), read-throughput-c8, p50/p99.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$BENCH_DIR/lib/results.sh"

SECONDS_RUN=15
SUBJECTS=2000
while (($#)); do
  case "$1" in
    --quick) SECONDS_RUN=5; SUBJECTS=200 ;;
    --seconds) SECONDS_RUN="$2"; shift ;;
    --subjects) SUBJECTS="$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
NAME="${BENCH_RESULT_NAME:-consent-reads}"
OUT="$RESULTS_DIR/raw/$NAME"
mkdir -p "$OUT"

bench_ensure_system
bench_ensure_purposes
APP_TOKEN=$(bench_token acme-app)
PREFIX="bench-r$(date +%s)-"
export BENCH_SUBJECT_FILE="$OUT/subjects.txt"
: >"$BENCH_SUBJECT_FILE"

bench_log "storing $SUBJECTS subjects x 8 purposes through POST /v1/consents/batch"
t0=$(now_ms)
# 50 subjects x 8 = 400 records a call: a 1,000-record batch ran into the 60 s transaction timeout on a loaded
# machine (2026-12-01, load average 55), and what is measured here is reads, not batch writes.
per_call="${BENCH_BATCH_SUBJECTS:-50}"
for ((first = 1; first <= SUBJECTS; first += per_call)); do
  last=$((first + per_call - 1))
  ((last > SUBJECTS)) && last=$SUBJECTS
  body=$(awk -v p="$PREFIX" -v a="$first" -v b="$last" -v cats="${BENCH_PURPOSE_CATEGORIES[*]}" 'BEGIN {
    n = split(cats, c, " "); printf "{\"records\":["; sep = ""
    for (s = a; s <= b; s++) for (i = 1; i <= n; i++) {
      printf "%s{\"subjectId\":\"%s%d\",\"purpose\":\"bench-%s\",\"decision\":\"%s\",\"channel\":\"import\"}", sep, p, s, c[i], (s + i) % 3 ? "granted" : "withdrawn"; sep = ","
    }
    printf "]}" }')
  for attempt in 1 2; do
    # The same Idempotency-Key on the retry: a batch that did commit is answered again, not written twice.
    code=$(curl -s -o "$OUT/batch-answer.json" -w '%{http_code}' -X POST "$CONSENT_URL/v1/consents/batch" \
      -H "Authorization: Bearer $APP_TOKEN" -H 'Content-Type: application/json' \
      -H "Idempotency-Key: $PREFIX$first" --data-binary "$body")
    [[ "$code" == 201 ]] && break
  done
  if [[ "$code" != 201 ]]; then
    bench_log "POST /v1/consents/batch answered $code: $(head -c 300 "$OUT/batch-answer.json")"
    result_row "$NAME" read-throughput FAILED "req/s" "health-live" "n/a" "n/a" ">= 5000 req/s" "no"
    exit 1
  fi
  seq -f "$PREFIX%.0f" "$first" "$last" >>"$BENCH_SUBJECT_FILE"
done
bench_log "  stored in $(($(now_ms) - t0)) ms"

# wrk_get <connections> <label> -> figures
wrk_get() {
  wrk -t2 -c"$1" -d"${SECONDS_RUN}s" --timeout 10s --latency -s "$BENCH_DIR/lib/consent-read.lua" \
    -H "Authorization: Bearer $APP_TOKEN" "$CONSENT_URL" >"$OUT/$2.txt" 2>&1 || true
  wrk_figures <"$OUT/$2.txt"
}
checked() {
  local rps="$1" non2xx="$2" errors="$3" requests="$4"
  if ((requests == 0)) || ((non2xx * 100 > requests)) || ((errors * 100 > requests)); then echo FAILED; else echo "$rps"; fi
}

SECONDS_SAVED=$SECONDS_RUN; SECONDS_RUN=3
wrk_get 8 warmup >/dev/null
SECONDS_RUN=$SECONDS_SAVED
bench_log "wrk -t2 -c32 -d${SECONDS_RUN}s GET /v1/subjects/{id}/consents"
read -r r32 p50_32 p99_32 n32 e32 q32 < <(wrk_get 32 c32)
r32=$(checked "$r32" "$n32" "$e32" "$q32")
bench_log "  $r32 req/s, p50 $p50_32 ms, p99 $p99_32 ms ($q32 requests, $n32 non-2xx)"
bench_log "wrk -t2 -c8 -d${SECONDS_RUN}s"
read -r r8 p50_8 p99_8 n8 e8 q8 < <(wrk_get 8 c8)
r8=$(checked "$r8" "$n8" "$e8" "$q8")
bench_log "  $r8 req/s, p50 $p50_8 ms, p99 $p99_8 ms"
bench_log "baseline: wrk -t2 -c32 -d${SECONDS_RUN}s $CONSENT_MGMT_URL/q/health/live"
wrk -t2 -c32 -d"${SECONDS_RUN}s" --timeout 10s -s "$BENCH_DIR/lib/latency.lua" "$CONSENT_MGMT_URL/q/health/live" \
  >"$OUT/health-live.txt" 2>&1 || true
read -r h _ _ hn he hq < <(wrk_figures <"$OUT/health-live.txt")
h=$(checked "$h" "$hn" "$he" "$hq")

result_row "$NAME" read-throughput "$r32" "req/s" "health-live" "$h" auto ">= 5000 req/s" "$(bench_met "$r32" ge 5000)"
result_row "$NAME" read-throughput-c8 "$r8" "req/s" "health-live" "$h" auto ">= 5000 req/s" "$(bench_met "$r8" ge 5000)"
result_row "$NAME" read-p50-c32 "$p50_32" "ms" "-" "-" "n/a" "(info)" "n/a"
result_row "$NAME" read-p99-c32 "$p99_32" "ms" "-" "-" "n/a" "(info)" "n/a"
result_row "$NAME" health-live-throughput "$h" "req/s" "-" "-" "n/a" "baseline" "n/a"
