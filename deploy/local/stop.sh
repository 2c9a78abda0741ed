#!/usr/bin/env bash
# Stops exactly what deploy/local/run.sh started: the services (every instance) and the Kafka brokers named
# by .run/pids/*.pid, and the embedded PostgreSQL if run.sh started one. The machine's own
# PostgreSQL is never touched. Data under .run/ is kept; `rm -rf .run` after this for a
# clean slate (and the /tmp/privacy-platform-pg-* directory if .run/pg/embedded-home names one).
set -euo pipefail

# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

guard_run_dir

stopped=0

# Services first: they would otherwise log Kafka connection errors while the broker
# goes away, and a clean shutdown lets them commit offsets. Every instance run.sh --instances started
# (<module>.pid, <module>-<i>.pid).
for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
  module="${SERVICES[$i]%%:*}"
  for file in "$PID_DIR/$module.pid" "$PID_DIR/$module"-[0-9].pid; do
    [[ -f "$file" ]] || continue
    name=$(basename "$file" .pid)
    if pid=$(live_pid "$file" "$(service_jar "$module")"); then
      stop_group "$name" "$pid" 30
      stopped=$((stopped + 1))
    else
      info "$name was not running (stale pid file)"
    fi
    rm -f "$file"
  done
done

# Every broker node (kafka.pid, kafka-<n>.pid) at once. A broker's controlled shutdown takes a few seconds; a
# single one gets 60 s before SIGKILL, because a killed broker makes the next start recover its logs. Of a
# three-node quorum the last node left waits for controllers that are gone (its raft client never finishes
# shutting down): it gets 20 s, and its log recovery at the next start is the price (the data is transport).
nodes=("$PID_DIR/kafka.pid" "$PID_DIR"/kafka-[0-9].pid)
timeout=60
[[ -f "${nodes[1]}" ]] && timeout=20
brokers=()
for file in "${nodes[@]}"; do
  [[ -f "$file" ]] || continue
  name=$(basename "$file" .pid)
  if pid=$(live_pid "$file" kafka.Kafka); then
    stop_group "$name" "$pid" "$timeout" &
    brokers+=($!)
    stopped=$((stopped + 1))
  else
    info "$name was not running (stale pid file)"
  fi
done
for pid in "${brokers[@]}"; do wait "$pid" || true; done
rm -f "$PID_DIR/kafka.pid" "$PID_DIR"/kafka-[0-9].pid

# The marker only exists if run.sh chose the embedded server, so this never reaches the
# machine's PostgreSQL. The marker itself stays: it tells the next run where the data is.
# LocalPostgres stops it with pg_ctl (SIGQUIT, PostgreSQL's immediate shutdown, if that fails).
if [[ -f "$PG_EMBEDDED_MARKER" ]]; then
  rc=0
  platform_tool io.privacyplatform.testing.LocalPostgres stop "$RUN_DIR" || rc=$?
  case $rc in
    0) stopped=$((stopped + 1)) ;;
    3) ;; # was not running
    *) warn "stopping the embedded PostgreSQL failed (home: $(cat "$PG_EMBEDDED_MARKER"))" ;;
  esac
fi

if ((stopped == 0)); then
  info "nothing was running"
else
  info "stopped $stopped process(es)"
fi
