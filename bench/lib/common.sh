# shellcheck shell=bash
# Sourced by every bench/ script: where the local run is (ports, tokens, databases) and small helpers.
# The local run is deploy/local/run.sh's; LOCAL_RUN_SLOT=N (default 0) picks which copy (ports +10N,
# databases _sN), so benchmarks of two checkouts can run side by side.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_RUN_SLOT="${LOCAL_RUN_SLOT:-0}"
export LOCAL_RUN_SLOT
# shellcheck source=deploy/local/lib.sh
source "$BENCH_DIR/../deploy/local/lib.sh"
RESULTS_DIR="$BENCH_DIR/results"
mkdir -p "$RESULTS_DIR"

CONSENT_PORT=$(service_port consent-service)
CONSENT_URL="http://127.0.0.1:$CONSENT_PORT"
# Health and metrics answer on the management interface: API port + 1000 (run.sh's management_port).
CONSENT_MGMT_URL="http://127.0.0.1:$((CONSENT_PORT + 1000))"
CONSENT_DB="consent_service$DB_SUFFIX"

bench_log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# The PostgreSQL port of the local run: the machine's 5432, or the embedded server's port when run.sh chose it
# (services.env carries it in the jdbc URL comment; the embedded marker means the slot's embedded port).
bench_pg_port() {
  local port=""
  if [[ -f "$RUN_DIR/services.env" ]]; then
    port=$(grep -o 'jdbc:postgresql://127.0.0.1:[0-9]*' "$RUN_DIR/services.env" | head -n 1 | sed 's/.*://') || true
  fi
  if [[ -z "$port" ]]; then
    if [[ -f "$PG_EMBEDDED_MARKER" ]]; then port=$EMBEDDED_PG_PORT; else port=$MACHINE_PG_PORT; fi
  fi
  echo "$port"
}
PG_PORT=$(bench_pg_port)

pg_psql() {
  local db="$1"; shift
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" "$@"
}

bench_token() {
  local file="$RUN_DIR/tokens/$1.jwt"
  [[ -s "$file" ]] || { echo "no token $file (is the local run up?)" >&2; return 1; }
  cat "$file"
}

# Kafka's own tools (kafka-tools 4.1.1 jars fetched by run.sh), e.g. org.apache.kafka.tools.EndToEndLatency.
kafka_tool() {
  "$JAVA" -Xmx512m "-Dlog4j2.configurationFile=$DEPLOY_DIR/kafka/log4j2-tools.properties" -cp "$KAFKA_LIB/*" "$@"
}

# 0 when every service of SERVICES answers /q/health/ready with 200 on its management port.
bench_system_ready() {
  local entry port
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r _ port _ _ <<<"$entry"
    [[ $(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$((port + 1000))/q/health/ready" || true) == 200 ]] \
      || return 1
  done
}

# 1 when every service's jar is built (run.sh may skip its Maven build), else 0.
bench_jars_built() {
  local entry
  for entry in "${SERVICES[@]}"; do
    [[ -f "$(service_jar "${entry%%:*}")" ]] || { echo 0; return; }
  done
  echo 1
}

# Starts the local run (deploy/local/run.sh, SKIP_BUILD=1 when the jars exist) unless every service is ready.
bench_ensure_system() {
  if bench_system_ready; then return 0; fi
  bench_log "local run (slot $LOCAL_RUN_SLOT) not ready: starting deploy/local/run.sh (log: $RUN_DIR/logs/bench-run.log)"
  mkdir -p "$LOG_DIR"
  SKIP_BUILD="${SKIP_BUILD:-$(bench_jars_built)}" "$DEPLOY_DIR/run.sh" >"$LOG_DIR/bench-run.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/bench-run.log" >&2; echo "deploy/local/run.sh failed" >&2; return 1; }
  bench_system_ready || { echo "the local run is still not ready" >&2; return 1; }
}

# Milliseconds since the epoch.
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Median of numbers on stdin (one per line).
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) {print "NaN"} else if (NR%2) {print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'; }

# wrk's output (with one of bench/lib/*.lua, whose done() prints "LAT p50=.. p99=.." in ms and
# "STATUS requests=.. non2xx=.. errors=..") -> "<req/s> <p50 ms> <p99 ms> <non-2xx> <socket errors> <requests>".
wrk_figures() {
  awk '
    /^Requests\/sec:/ {rps=$2}
    /^(LAT|STATUS) / {for (i=2;i<=NF;i++) {split($i,kv,"="); v[kv[1]]=kv[2]}}
    END {printf "%s %s %s %s %s %s\n", rps+0, v["p50"]+0, v["p99"]+0, v["non2xx"]+0, v["errors"]+0, v["requests"]+0}'
}

# The 8 purposes the write load uses, one per category (bench-<category>), on tenant acme: listed with GET,
# the missing ones created with PUT (idempotent), so re-runs change nothing.
BENCH_PURPOSE_CATEGORIES=(marketing_email analytics advertising social survey live_chat service other)
bench_ensure_purposes() {
  local admin existing category basis code
  admin=$(bench_token acme-admin)
  existing=$(curl -s -f -H "Authorization: Bearer $admin" "$CONSENT_URL/v1/purposes") \
    || { echo "GET /v1/purposes failed" >&2; return 1; }
  for category in "${BENCH_PURPOSE_CATEGORIES[@]}"; do
    if jq -e --arg id "bench-$category" '[.. | objects | select(.purposeId? == $id or .id? == $id)] | length > 0' \
      <<<"$existing" >/dev/null; then
      continue
    fi
    basis=consent
    [[ "$category" == service ]] && basis=contract
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$CONSENT_URL/v1/purposes/bench-$category" \
      -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
      -d "{\"title\":\"Bench $category\",\"category\":\"$category\",\"defaultLawfulBasis\":\"$basis\"}")
    [[ "$code" == 200 || "$code" == 201 ]] || { echo "PUT /v1/purposes/bench-$category answered $code" >&2; return 1; }
    bench_log "created purpose bench-$category"
  done
}
