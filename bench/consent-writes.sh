#!/usr/bin/env bash
# Consent writes over REST (issue 13 item 1): POST /v1/consents with random subjects x 8 purposes, the acme app
# JWT and a unique Idempotency-Key per request (wrk + lib/consent-write.lua).
#
#   bench/consent-writes.sh [--quick] [--seconds N] [--preload-factor N] [--no-baselines] [--no-latency] [--no-c4]
#                            [--latency-args "<more arguments for commit-latency.sh>"]
#
# Rows (bench/results/${BENCH_RESULT_NAME:-consent-writes}.tsv):
#   max-throughput          wrk -t2 -c32 (req/s); baseline: pgbench, the SQL the service issues per consent, one
#                           commit per consent (best of -c8/-c32); target >= 1.00x
#   max-throughput-4conn    wrk -t2 -c4, same baseline
#   rest-p50/p99-at-half-max  from bench/commit-latency.sh --rate <max/2> (A2's driver), target p99 <= 20 ms
#   health-live-throughput  wrk on the management port's /q/health/live (what the HTTP stack alone does)
#   pgbench-*               the baselines themselves
# --preload-factor N first makes the stored consent data N x 100,000 records (lib/preload.sh; growth.sh uses it);
# --no-baselines skips pgbench and health (growth re-runs compare with the 1x figure instead).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$BENCH_DIR/lib/results.sh"
source "$BENCH_DIR/lib/preload.sh"

SECONDS_RUN=15
QUICK=0
PRELOAD=""
BASELINES=1
LATENCY=1
C4=1
LATENCY_ARGS=()
while (($#)); do
  case "$1" in
    --quick) QUICK=1; SECONDS_RUN=5 ;;
    --seconds) SECONDS_RUN="$2"; shift ;;
    --preload-factor) PRELOAD="$2"; shift ;;
    --no-baselines) BASELINES=0 ;;
    --no-latency) LATENCY=0 ;;
    --no-c4) C4=0 ;;
    --latency-args) read -r -a LATENCY_ARGS <<<"$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
NAME="${BENCH_RESULT_NAME:-consent-writes}"
# The baselines are steadier than the service: 10 s each is enough (keeps run-all in its 15 min).
PGBENCH_SECONDS=$((SECONDS_RUN < 10 ? SECONDS_RUN : 10))
OUT="$RESULTS_DIR/raw/$NAME"
mkdir -p "$OUT"

bench_ensure_system
bench_ensure_purposes
[[ -n "$PRELOAD" ]] && bench_preload_consents "$PRELOAD"

APP_TOKEN=$(bench_token acme-app)
# Every run writes new subjects (a prefix per run), so an earlier run's state never makes a request a no-op.
export BENCH_SUBJECT_PREFIX="bench-w$(date +%s)-"

# wrk_post <connections> <seconds> <label> -> "<req/s> <p50> <p99> <non2xx> <errors> <requests>"
wrk_post() {
  local conns="$1" secs="$2" label="$3"
  wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s --latency -s "$BENCH_DIR/lib/consent-write.lua" \
    -H "Authorization: Bearer $APP_TOKEN" "$CONSENT_URL/v1/consents" >"$OUT/$label.txt" 2>&1 || true
  wrk_figures <"$OUT/$label.txt"
}

# Non-2xx answers mean the figure is not one of writes: the row says FAILED rather than a number.
checked_rps() {
  local rps="$1" non2xx="$2" errors="$3" requests="$4" label="$5"
  if ((requests == 0)) || ((non2xx * 100 > requests)) || ((errors * 100 > requests)); then
    bench_log "$label: $non2xx non-2xx and $errors socket errors of $requests requests (see $OUT/$label.txt)"
    echo FAILED
  else
    echo "$rps"
  fi
}

# Long enough for the JIT: in the run of 2026-12-02, services that had just started made 113 req/s after a 3 s
# warm-up and 418-493 req/s ten minutes later (bench/TARGETS.md).
WARMUP_SECONDS="${WARMUP_SECONDS:-15}"
((QUICK)) && WARMUP_SECONDS=3
bench_log "warm-up: $WARMUP_SECONDS s at 8 connections"
wrk_post 8 "$WARMUP_SECONDS" warmup >/dev/null

bench_log "max throughput: wrk -t2 -c32 -d${SECONDS_RUN}s POST /v1/consents"
read -r rps32 p50_32 p99_32 non32 err32 req32 < <(wrk_post 32 "$SECONDS_RUN" c32)
rps32=$(checked_rps "$rps32" "$non32" "$err32" "$req32" c32)
bench_log "  $rps32 req/s, p50 $p50_32 ms, p99 $p99_32 ms ($req32 requests, $non32 non-2xx)"
rps4="not run"; p99_4="not run"
if ((C4)); then
  bench_log "4 connections: wrk -t2 -c4 -d${SECONDS_RUN}s"
  read -r rps4 p50_4 p99_4 non4 err4 req4 < <(wrk_post 4 "$SECONDS_RUN" c4)
  rps4=$(checked_rps "$rps4" "$non4" "$err4" "$req4" c4)
  bench_log "  $rps4 req/s, p50 $p50_4 ms, p99 $p99_4 ms"
fi

# ---- Baselines ---------------------------------------------------------------------------------------------------
PGBENCH_TPS="n/a"
HEALTH_RPS="n/a"
if ((BASELINES)); then
  # Baseline A: pgbench with the statements the service issues per consent (lib/pgbench-consent.sql), one
  # transaction and commit per consent, random subjects, in a scratch copy of the service's schema.
  bench_log "baseline A: pgbench (lib/pgbench-consent.sql) in bench_pgbench, -M prepared, -c8 and -c32, -T $PGBENCH_SECONDS"
  pg_psql postgres -c "DROP DATABASE IF EXISTS bench_pgbench" -c "CREATE DATABASE bench_pgbench"
  pg_dump -s -h 127.0.0.1 -p "$PG_PORT" -U postgres "$CONSENT_DB" | pg_psql bench_pgbench >/dev/null
  # The purposes the statements read (a copy of the tenant's rows).
  pg_psql "$CONSENT_DB" -c "\copy (SELECT * FROM purpose WHERE tenant_id = 'acme') TO '$OUT/purposes.copy'"
  pg_psql bench_pgbench -c "\copy purpose FROM '$OUT/purposes.copy'"
  # PostgreSQL's max_connections is shared with the services' pools (and, on a shared machine, other local runs):
  # the larger client count is capped to what is free, minus 10 for the services; the figure's name says the count.
  free=$(pg_psql postgres -Atc "SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity")
  cmax=$((free - 10 < 32 ? free - 10 : 32))
  ((cmax < 8)) && cmax=8
  ((cmax < 32)) && bench_log "  only $free connections free on PostgreSQL: the second pgbench run uses -c$cmax, not -c32"
  best=0
  for c in 8 "$cmax"; do
    pgbench -n -M prepared -c "$c" -j 2 -T "$PGBENCH_SECONDS" -f "$BENCH_DIR/lib/pgbench-consent.sql" \
      -h 127.0.0.1 -p "$PG_PORT" -U postgres bench_pgbench >"$OUT/pgbench-c$c.txt" 2>&1 || true
    tps=$(awk '/^tps = / {print $3; exit}' "$OUT/pgbench-c$c.txt")
    grep -q 'too many clients' "$OUT/pgbench-c$c.txt" && bench_log "  pgbench -c$c: PostgreSQL refused connections (max_connections)"
    tps=$(printf '%.0f' "${tps:-0}")
    bench_log "  pgbench -c$c: $tps tx/s"
    result_row "$NAME" "pgbench-per-commit-c$c" "$tps" "tx/s" "-" "-" "n/a" "baseline" "n/a"
    ((tps > best)) && best=$tps
  done
  # The three writes alone (record, current state, outbox row), as the issue measured them.
  pgbench -n -M prepared -c "$cmax" -j 2 -T "$PGBENCH_SECONDS" -f "$BENCH_DIR/lib/pgbench-consent-writes.sql" \
    -h 127.0.0.1 -p "$PG_PORT" -U postgres bench_pgbench >"$OUT/pgbench-writes-c$cmax.txt" 2>&1 || true
  wtps=$(awk '/^tps = / {print $3; exit}' "$OUT/pgbench-writes-c$cmax.txt")
  wtps=$(printf '%.0f' "${wtps:-0}")
  bench_log "  pgbench, the three writes only, -c$cmax: $wtps tx/s"
  result_row "$NAME" "pgbench-three-writes-c$cmax" "$wtps" "tx/s" "-" "-" "n/a" "baseline" "n/a"
  pg_psql postgres -c "DROP DATABASE IF EXISTS bench_pgbench"
  ((best > 0)) && PGBENCH_TPS=$best || PGBENCH_TPS=FAILED

  # Baseline B: the service's /q/health/live on the management port (no auth, no database).
  bench_log "baseline B: wrk -t2 -c32 -d${PGBENCH_SECONDS}s $CONSENT_MGMT_URL/q/health/live"
  wrk -t2 -c32 -d"${PGBENCH_SECONDS}s" --timeout 10s -s "$BENCH_DIR/lib/latency.lua" "$CONSENT_MGMT_URL/q/health/live" \
    >"$OUT/health-live.txt" 2>&1 || true
  read -r hrps _ _ hnon herr hreq < <(wrk_figures <"$OUT/health-live.txt")
  HEALTH_RPS=$(checked_rps "$hrps" "$hnon" "$herr" "$hreq" health-live)
fi

result_row "$NAME" max-throughput "$rps32" "req/s" "pgbench-per-commit" "$PGBENCH_TPS" auto ">= 1.00x pgbench" \
  "$(awk -v r="$(bench_ratio "$rps32" "$PGBENCH_TPS")" 'BEGIN { if (r == "n/a") print "n/a"; else print (r >= 1 ? "yes" : "no") }')"
((C4)) && result_row "$NAME" max-throughput-4conn "$rps4" "req/s" "pgbench-per-commit" "$PGBENCH_TPS" auto "(info)" "n/a"
result_row "$NAME" rest-p50-c32 "$p50_32" "ms" "-" "-" "n/a" "(info, at max)" "n/a"
result_row "$NAME" rest-p99-c32 "$p99_32" "ms" "-" "-" "n/a" "(info, at max)" "n/a"
((C4)) && result_row "$NAME" rest-p99-c4 "$p99_4" "ms" "-" "-" "n/a" "(info)" "n/a"
if ((BASELINES)); then
  result_row "$NAME" health-live-throughput "$HEALTH_RPS" "req/s" "-" "-" "n/a" "baseline" "n/a"
  result_row "$NAME" max-throughput-vs-health "$rps32" "req/s" "health-live" "$HEALTH_RPS" auto "(info)" "n/a"
fi
echo "$rps32" >"$OUT/max-throughput"

# ---- p50/p99 at half of the max (A2's commit-latency.sh measures REST and commit->consumer at a fixed rate) -------
if ((LATENCY)); then
  half=$(awk -v r="$rps32" 'BEGIN { if (r ~ /^[0-9.]+$/) printf "%d", r / 2; else print 0 }')
  if [[ ! -x "$BENCH_DIR/commit-latency.sh" ]]; then
    bench_log "bench/commit-latency.sh is not there (helper A2's): no p50/p99 at half max"
    result_row "$NAME" rest-p50-at-half-max "not run" "ms" "-" "-" "n/a" "(info)" "n/a"
    result_row "$NAME" rest-p99-at-half-max "not run" "ms" "-" "-" "n/a" "p99 <= 20 ms" "n/a"
  elif ((half < 1)); then
    result_row "$NAME" rest-p50-at-half-max FAILED "ms" "-" "-" "n/a" "(info)" "n/a"
    result_row "$NAME" rest-p99-at-half-max FAILED "ms" "-" "-" "n/a" "p99 <= 20 ms" "n/a"
  else
    secs=20
    ((QUICK)) && secs=8
    bench_log "half max: bench/commit-latency.sh --rate $half --seconds $secs"
    lat_name="commit-latency"
    [[ "$NAME" != consent-writes ]] && lat_name="commit-latency${NAME#consent-writes}"
    BENCH_RESULT_NAME="$lat_name" "$BENCH_DIR/commit-latency.sh" --rate "$half" --seconds "$secs" "${LATENCY_ARGS[@]}" \
      >"$OUT/commit-latency-half.txt" 2>&1 || bench_log "commit-latency.sh failed (see $OUT/commit-latency-half.txt)"
    # commit-latency.sh prints the driver's figures last, "rest-p50-ms=<ms>" / "rest-p99-ms=<ms>"; failing that, its
    # results file's rows rest-p50/p99-at-half-max are taken.
    rest_p50=$(sed -n 's/^rest-p50-ms=\([0-9.][0-9.]*\)$/\1/p' "$OUT/commit-latency-half.txt" | tail -n 1)
    rest_p99=$(sed -n 's/^rest-p99-ms=\([0-9.][0-9.]*\)$/\1/p' "$OUT/commit-latency-half.txt" | tail -n 1)
    if [[ -z "$rest_p50" && -f "$RESULTS_DIR/$lat_name.tsv" ]]; then
      rest_p50=$(awk -F'\t' '$2 == "rest-p50-at-half-max" {v=$3} END {print v}' "$RESULTS_DIR/$lat_name.tsv")
      rest_p99=$(awk -F'\t' '$2 == "rest-p99-at-half-max" {v=$3} END {print v}' "$RESULTS_DIR/$lat_name.tsv")
    fi
    result_row "$NAME" rest-p50-at-half-max "${rest_p50:-FAILED}" "ms" "-" "-" "n/a" "(info, at $half req/s)" "n/a"
    result_row "$NAME" rest-p99-at-half-max "${rest_p99:-FAILED}" "ms" "-" "-" "n/a" "p99 <= 20 ms" \
      "$(bench_met "${rest_p99:-x}" le 20)"
  fi
fi
