# shellcheck shell=bash
# Minimal stand-in for A1's bench/lib/common.sh (the lead keeps A1's at merge): only what the interface names.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_RUN_SLOT="${LOCAL_RUN_SLOT:-0}"
export LOCAL_RUN_SLOT
# shellcheck source=deploy/local/lib.sh
source "$BENCH_DIR/../deploy/local/lib.sh"
RESULTS_DIR="$BENCH_DIR/results"
mkdir -p "$RESULTS_DIR"

bench_log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

PG_PORT=$(grep -o 'jdbc:postgresql://127.0.0.1:[0-9]*' "$RUN_DIR/services.env" 2>/dev/null | head -n 1 | sed 's/.*://' || true)
PG_PORT="${PG_PORT:-$MACHINE_PG_PORT}"
pg_psql() { local db="$1"; shift; psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" "$@"; }

bench_token() { cat "$RUN_DIR/tokens/$1.jwt"; }

kafka_tool() {
  "$JAVA" -Xmx512m "-Dlog4j2.configurationFile=$DEPLOY_DIR/kafka/log4j2-tools.properties" -cp "$KAFKA_LIB/*" "$@"
}

bench_system_ready() {
  local entry port
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r _ port _ _ <<<"$entry"
    [[ $(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$((port + 1000))/q/health/ready" || true) == 200 ]] \
      || return 1
  done
}

bench_ensure_system() {
  bench_system_ready && return 0
  bench_log "local run (slot $LOCAL_RUN_SLOT) not ready: starting deploy/local/run.sh"
  mkdir -p "$LOG_DIR"
  "$DEPLOY_DIR/run.sh" >"$LOG_DIR/bench-run.log" 2>&1 || { tail -n 30 "$LOG_DIR/bench-run.log" >&2; return 1; }
}
