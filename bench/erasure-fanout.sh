#!/usr/bin/env bash
# Issue 13, item 3: erasure fan-out.
#
#   bench/erasure-fanout.sh [--count 10000] [--stores 5] [--timeout 180] [--preload P] [--quick] [--no-baseline]
#
# The Java driver (ErasureFanout) runs --stores simulated stores on the subscriber kit (bench-store-1..n: own Kafka
# principal, own table in database bench_stores, on retention-service's data map with their own store token), seeds
# them, submits --count verified erasures for tenant acme to request-service (32 in flight) and waits until every
# request is completed (or --timeout s), then counts the stores' rows (an erased subject's rows must be gone).
# The platform's own stores (consent-service, mail-log-store, request-service) are on the data map too and get
# their commands as well: systems-per-erasure says how many systems each erasure reached.
# --quick = --count 1000. --preload P: P erasures completed first (not measured), for growth.
# Rows (bench/results/${BENCH_RESULT_NAME:-erasure-fanout}.tsv): all-completed-seconds (baseline: Kafka's
# ProducerPerformance for count x stores messages of 512 B, acks=all, on the same broker; seconds from its
# records/sec), request-to-completed-p50/p99 (s), accepted-per-second, status-<status> counts, store-rows-left.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/results.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/driver-figures.sh"

COUNT=10000 STORES=5 TIMEOUT=180 PRELOAD=0 BASELINE=1
while (($#)); do
  case "$1" in
    --count) COUNT="$2"; shift 2 ;;
    --stores) STORES="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --preload) PRELOAD="$2"; shift 2 ;;
    --quick) COUNT=1000; shift ;;
    --no-baseline) BASELINE=0; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
CMD=erasure-fanout
export BENCH_RESULT_NAME="${BENCH_RESULT_NAME:-$CMD}"
bench_ensure_system

# --- the stores' credentials, made the way run.sh makes mail-log-store's -------------------------------------------
# platform-testing's LocalStoreCredentials: store token store-<name>.jwt (role store, 12 h) and an Ed25519 ack key
# <name>.pem (kept). The Kafka principals are put on the broker by the driver (TopicAccessSetup, admin login).
stores=()
for ((n = 1; n <= STORES; n++)); do stores+=("bench-store-$n"); done
(umask 077 && platform_tool io.privacyplatform.testing.LocalStoreCredentials "$RUN_DIR/jwt" "$RUN_DIR/tokens" \
  "$RUN_DIR/signing" "${stores[@]}")
BENCH_DB="bench_stores$DB_SUFFIX"
if [[ -z "$(pg_psql postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'")" ]]; then
  pg_psql postgres -c "CREATE DATABASE $BENCH_DB"
fi

# --- baseline: the broker alone, count x stores messages ----------------------------------------------------------
messages=$((COUNT * STORES))
BASE_S="${BENCH_FANOUT_BASELINE_S:-n/a}"
if ((BASELINE)); then
  topic="bench-pp-$$"
  scratch_topic "$topic" 3
  pp=$(kafka_tool org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$messages" \
    --record-size 512 --throughput -1 --producer.config "$KAFKA_ADMIN_CONFIG" --producer-props acks=all 2>&1) \
    || { echo "$pp" | tail -5 >&2; }
  delete_topic "$topic"
  rate=$(grep -E '^[0-9]+ records sent' <<<"$pp" | tail -n 1 | sed -E 's/^[0-9]+ records sent, ([0-9.]+) records\/sec.*/\1/')
  BASE_S=$(awk -v n="$messages" -v r="$rate" 'BEGIN { if (r+0 > 0) printf "%.2f", n / r; else print "FAILED" }')
  result_row "$CMD" producer-perf-seconds "$BASE_S" s - - n/a "baseline (ProducerPerformance $messages x 512 B, acks=all)" n/a
  result_row "$CMD" producer-perf-rate "${rate:-FAILED}" msg/s - - n/a "baseline" n/a
fi

# --- the run ---------------------------------------------------------------------------------------------------
out=$(mktemp)
trap 'rm -f "$out"' EXIT
bench_log "erasure fan-out: $COUNT erasures x $STORES bench stores (preload $PRELOAD), timeout ${TIMEOUT}s"
"$BENCH_DIR/driver.sh" ErasureFanout --count "$COUNT" --stores "$STORES" --timeout "$TIMEOUT" --preload "$PRELOAD" \
  --request-url "http://127.0.0.1:$(service_port request-service)" \
  --retention-url "http://127.0.0.1:$(service_port retention-service)" \
  --app-token-file "$RUN_DIR/tokens/acme-app.jwt" --operator-token-file "$RUN_DIR/tokens/acme-operator.jwt" \
  --platform-admin-token-file "$RUN_DIR/tokens/platform-admin.jwt" --store-token-dir "$RUN_DIR/tokens" \
  --signing-dir "$RUN_DIR/signing" --credentials-dir "$KAFKA_CREDENTIALS_DIR" --kafka-config "$KAFKA_ADMIN_CONFIG" \
  --jdbc-url "jdbc:postgresql://127.0.0.1:$PG_PORT/$BENCH_DB" --out "$out" \
  --keys-jdbc-url "jdbc:postgresql://127.0.0.1:$PG_PORT/$KEYS_DB" --keys-master-key-file "$RUN_DIR/keys-master.secret" \
  || bench_log "ErasureFanout failed"

all=$(figure "$out" all-completed-seconds)
[[ "$all" == NaN ]] && all="FAILED"
target_s=$(awk -v c="$COUNT" 'BEGIN { printf "%.1f", 30 * c / 10000 }')
result_row "$CMD" all-completed-seconds "$all" s producer-perf-seconds "$BASE_S" "$(ratio "$all" "$BASE_S")" \
  "<= 30 s for 10,000 x 5 (<= $target_s s for $COUNT)" "$(met "$all" le "$target_s")"
result_row "$CMD" request-to-completed-p50 "$(figure "$out" request-to-completed-p50-s)" s - - n/a "-" n/a
result_row "$CMD" request-to-completed-p99 "$(figure "$out" request-to-completed-p99-s)" s - - n/a "-" n/a
acc=$(figure "$out" accepted-per-second)
result_row "$CMD" accepted-per-second "$acc" req/s - - n/a ">= 1000/s" "$(met "$acc" ge 1000)"
result_row "$CMD" systems-per-erasure "$(figure "$out" systems-per-erasure)" count - - n/a "($STORES bench stores + the platform's own)" n/a
result_row "$CMD" submit-errors "$(figure "$out" submit-errors)" count - - n/a "0" "$(met "$(figure "$out" submit-errors)" le 0)"
while IFS='=' read -r name value; do
  [[ "$name" == status-* ]] || continue
  if [[ "$name" == status-completed ]]; then
    result_row "$CMD" "$name" "$value" count - - n/a "$COUNT" "$(met "$value" ge "$COUNT")"
  else
    result_row "$CMD" "$name" "$value" count - - n/a "0 (not completed)" no
  fi
done <"$out"
left=$(figure "$out" store-rows-left)
result_row "$CMD" store-rows-left "$left" rows - - n/a "0 (rows of subjects whose erasure completed: really gone)" "$(met "$left" le 0)"
result_row "$CMD" store-rows-of-open-requests "$(figure "$out" store-rows-of-open-requests)" rows - - n/a "(info: requests not completed)" n/a
ctl=$(figure "$out" store-control-rows-left) ctl_exp=$(figure "$out" store-control-rows-expected)
result_row "$CMD" store-control-rows-left "$ctl" rows - - n/a "$ctl_exp (rows of subjects not erased stay)" \
  "$(if [[ "$ctl" == "$ctl_exp" ]]; then echo yes; else echo no; fi)"
cat "$out"
