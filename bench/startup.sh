#!/usr/bin/env bash
# Start-up of each service alone (issue 13 item 4): one service at a time is started while nothing else starts (what
# is already up stays up and idle, Kafka and PostgreSQL too; a running service is stopped first); started the way
# deploy/local/run.sh starts it (`run.sh --start-service <module>`: same env, same java command), the time from
# launch to the first 200 of /q/health/ready (polled every 50 ms) is taken, and its RSS (VmRSS of the java process)
# 2 s after ready. Median of --runs (default 3) per service.
#
#   bench/startup.sh [--quick] [--runs N] [--services "consent-service request-service"]
#
# Baseline: a Kafka broker from the same jars started in the same run: a second, scratch broker (own KRaft log dir
# under .run/bench-kafka, PLAINTEXT on port KAFKA_PORT+100, no SASL) timed from launch to its port accepting
# connections, median of the same number of runs. The local run's own broker is never restarted.
# The last start of each service is left running, so the full system is up at the end. When the local run is not up,
# `run.sh --infra-only` starts Kafka, PostgreSQL and tokens first and this step brings up the services itself: run-all
# runs it first, instead of starting the system and then restarting every service (~180 s of run-all saved).
# Rows: <service>-ready-seconds (target <= 2 s), <service>-rss-mb (target <= 250 MB), kafka-broker-start-seconds.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$BENCH_DIR/lib/results.sh"

RUNS=3
ONLY=""
while (($#)); do
  case "$1" in
    --quick) RUNS=1 ;;
    --runs) RUNS="$2"; shift ;;
    --services) ONLY="$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
NAME="${BENCH_RESULT_NAME:-startup}"
OUT="$RESULTS_DIR/raw/$NAME"
mkdir -p "$OUT"
# Generous: on a loaded machine (load average 60) a service took over 90 s; quiet, the issue saw 10-13 s.
READY_TIMEOUT_MS=180000

if ! bench_system_ready; then
  bench_log "local run (slot $LOCAL_RUN_SLOT) not up: deploy/local/run.sh --infra-only (log: $OUT/infra.log)"
  SKIP_BUILD="${SKIP_BUILD:-$(bench_jars_built)}" "$DEPLOY_DIR/run.sh" --infra-only >"$OUT/infra.log" 2>&1 \
    || { tail -n 30 "$OUT/infra.log" >&2; echo "deploy/local/run.sh --infra-only failed" >&2; exit 1; }
fi

MODULES=()
for entry in "${SERVICES[@]}"; do
  module="${entry%%:*}"
  [[ -z "$ONLY" || " $ONLY " == *" $module "* ]] && MODULES+=("$module")
done

stop_service() {
  local module="$1" pid
  if pid=$(live_pid "$PID_DIR/$module.pid" "$(service_jar "$module")"); then
    stop_group "$module" "$pid" 30 >/dev/null
  fi
  rm -f "$PID_DIR/$module.pid"
}

# Only when a start failed or the script was interrupted is a service left down: run.sh brings back what is missing.
restore_system() {
  local entry
  for entry in "${SERVICES[@]}"; do
    live_pid "$PID_DIR/${entry%%:*}.pid" "$(service_jar "${entry%%:*}")" >/dev/null && continue
    bench_log "starting the services that are down again (deploy/local/run.sh)"
    SKIP_BUILD=1 "$DEPLOY_DIR/run.sh" >"$OUT/restore.log" 2>&1 || bench_log "run.sh failed, see $OUT/restore.log"
    return
  done
}
trap restore_system EXIT

# ---- Baseline: a scratch Kafka broker ----------------------------------------------------------------------------
kafka_start_once() {
  local dir="$RUN_DIR/bench-kafka" port=$((KAFKA_PORT + 100)) cport=$((KAFKA_PORT + 101)) t0 pid ms
  rm -rf "$dir"
  mkdir -p "$dir/data"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  kafka_tool kafka.tools.StorageTool format -t "$(kafka_tool kafka.tools.StorageTool random-uuid | tail -n 1)" \
    -c "$dir/server.properties" >/dev/null 2>&1 || { echo FAILED; return; }
  if port_open 127.0.0.1 "$port"; then echo FAILED; return; fi
  t0=$(now_ms)
  setsid "$JAVA" "${KAFKA_JAVA_OPTS[@]}" -cp "$KAFKA_LIB/*" kafka.Kafka "$dir/server.properties" </dev/null >"$OUT/scratch-kafka.log" 2>&1 &
  pid=$!
  ms=FAILED
  while (($(now_ms) - t0 < 120000)); do
    if port_open 127.0.0.1 "$port"; then ms=$(($(now_ms) - t0)); break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  stop_group scratch-kafka "$pid" 30 >/dev/null
  rm -rf "$dir"
  [[ "$ms" == FAILED ]] && echo FAILED || awk -v m="$ms" 'BEGIN { printf "%.2f\n", m / 1000 }'
}

bench_log "baseline: scratch Kafka broker start to port open, $RUNS run(s)"
kafka_times=()
for ((i = 1; i <= RUNS; i++)); do
  kafka_times+=("$(kafka_start_once)")
  bench_log "  run $i: ${kafka_times[-1]} s"
done
KAFKA_S=$(printf '%s\n' "${kafka_times[@]}" | { grep -v FAILED || true; } | median)
[[ "$KAFKA_S" == NaN ]] && KAFKA_S=FAILED
result_row "$NAME" kafka-broker-start-seconds "$KAFKA_S" "s" "-" "-" "n/a" "baseline" "n/a"

# ---- Each service alone ----------------------------------------------------------------------------------------
# start_once <module> <leave-running 0|1> -> "<ready seconds> <rss MB>" (FAILED FAILED when it did not get ready)
start_once() {
  local module="$1" keep="$2" port mport line pid launched ready="" code rss
  stop_service "$module"
  port=$(service_port "$module")
  mport=$((port + 1000))
  line=$("$DEPLOY_DIR/run.sh" --start-service "$module" 2>>"$OUT/start-$module.err" | grep '^launched ' | tail -n 1) \
    || { echo "FAILED FAILED"; return; }
  read -r _ pid launched <<<"$line"
  while (($(now_ms) - launched < READY_TIMEOUT_MS)); do
    code=$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$mport/q/health/ready" || true)
    if [[ "$code" == 200 ]]; then ready=$(($(now_ms) - launched)); break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if [[ -z "$ready" ]]; then
    cp "$LOG_DIR/$module.log" "$OUT/$module-failed.log" 2>/dev/null || true
    stop_service "$module"
    echo "FAILED FAILED"
    return
  fi
  sleep 2
  rss=$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || echo FAILED)
  ((keep)) || stop_service "$module"
  awk -v r="$ready" -v m="${rss:-FAILED}" 'BEGIN { printf "%.2f %s\n", r / 1000, m }'
}

for module in "${MODULES[@]}"; do
  readies=(); rsses=()
  for ((i = 1; i <= RUNS; i++)); do
    read -r ready rss < <(start_once "$module" $((i == RUNS)))
    bench_log "$module run $i: ready after $ready s, RSS $rss MB"
    readies+=("$ready"); rsses+=("$rss")
  done
  ready_med=$(printf '%s\n' "${readies[@]}" | { grep -v FAILED || true; } | median)
  rss_med=$(printf '%s\n' "${rsses[@]}" | { grep -v FAILED || true; } | median)
  [[ "$ready_med" == NaN ]] && ready_med=FAILED
  [[ "$rss_med" == NaN ]] && rss_med=FAILED
  result_row "$NAME" "$module-ready-seconds" "$ready_med" "s" "kafka-broker-start" "$KAFKA_S" auto "<= 2 s" \
    "$(bench_met "$ready_med" le 2)"
  result_row "$NAME" "$module-rss-mb" "$rss_med" "MB" "-" "-" "n/a" "<= 250 MB" "$(bench_met "$rss_med" le 250)"
done
