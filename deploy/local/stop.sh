#!/usr/bin/env bash
# Stops exactly what deploy/local/run.sh started: the services and the Kafka broker named
# by .run/pids/*.pid, and the embedded PostgreSQL if run.sh started one. The machine's own
# PostgreSQL is never touched. Data under .run/ is kept; `rm -rf .run` after this for a
# clean slate (and the /tmp/privacy-platform-pg-* directory if .run/pg/embedded-home names one).
set -euo pipefail

# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

stopped=0

# Services first: they would otherwise log Kafka connection errors while the broker
# goes away, and a clean shutdown lets them commit offsets.
for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
  module="${SERVICES[$i]%%:*}"
  file="$PID_DIR/$module.pid"
  [[ -f "$file" ]] || continue
  if pid=$(live_pid "$file" "$(service_jar "$module")"); then
    stop_group "$module" "$pid" 30
    stopped=$((stopped + 1))
  else
    info "$module was not running (stale pid file)"
  fi
  rm -f "$file"
done

if [[ -f "$PID_DIR/kafka.pid" ]]; then
  if pid=$(live_pid "$PID_DIR/kafka.pid" kafka.Kafka); then
    # A broker's controlled shutdown takes a few seconds; allow more before SIGKILL,
    # because a killed broker makes the next start recover its logs.
    stop_group kafka "$pid" 60
    stopped=$((stopped + 1))
  else
    info "kafka was not running (stale pid file)"
  fi
  rm -f "$PID_DIR/kafka.pid"
fi

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
