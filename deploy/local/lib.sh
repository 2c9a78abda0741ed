# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables below are used by the scripts that source this
# Shared by deploy/local/run.sh and deploy/local/stop.sh (sourced, not executed).
#
# Everything the local run creates lives under <repo>/.run/ (git-ignored), so a
# `rm -rf .run` after stop.sh is a complete reset.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEPLOY_DIR="$REPO_ROOT/deploy/local"
RUN_DIR="$REPO_ROOT/.run"
PID_DIR="$RUN_DIR/pids"
LOG_DIR="$RUN_DIR/logs"

# Ports are fixed (not the usual 9092/5432/8080) so the local run does not collide
# with a developer's own Kafka, or with `quarkus dev` on 8080.
KAFKA_PORT=19092
KAFKA_CONTROLLER_PORT=19093
KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
KAFKA_DIR="$RUN_DIR/kafka"
KAFKA_LIB="$KAFKA_DIR/lib"

MACHINE_PG_PORT=5432
EMBEDDED_PG_PORT=15432
# Written by run.sh when it started an embedded PostgreSQL; holds the path of the
# embedded PG home. stop.sh only ever stops a PostgreSQL named by this file, so the
# machine's own server is never touched.
PG_EMBEDDED_MARKER="$RUN_DIR/pg/embedded-home"

# module:port:db:env-name — one line per service, in start order.
SERVICES=(
  "consent-service:8081:consent_service:CONSENT"
  "request-service:8082:request_service:REQUEST"
  "retention-service:8083:retention_service:RETENTION"
  "mail-log-store:8084:mail_log_store:MAIL_LOG_STORE"
)

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# Colours only on a terminal, so output captured into a file or CI log stays plain.
if [[ -t 1 && -t 2 ]]; then
  _c() { printf '\033[1;%sm%s\033[0m' "$1" "$2"; }
else
  _c() { printf '%s' "$2"; }
fi
info() { printf '%s %s\n' "$(_c 34 '==>')" "$*"; }
ok()   { printf '%s %s\n' "$(_c 32 ' ok')" "$*"; }
warn() { printf '%s %s\n' "$(_c 33 'warn')" "$*" >&2; }
die()  { printf '%s %s\n' "$(_c 31 'error')" "$*" >&2; exit 1; }

# Prints the PID stored in $1 if that process is alive AND its command line contains
# $2. The second check matters because PIDs are recycled: after a reboot a stale
# kafka.pid could point at an unrelated process, which we must neither report as
# "running" nor kill.
live_pid() {
  local file="$1" marker="$2" pid
  [[ -f "$file" ]] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local cmd
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ "$cmd" == *"$marker"* ]] || return 1
  echo "$pid"
}

# TCP probe without extra tools (no nc on a fresh machine).
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Stops a process started by run.sh under setsid. setsid made it the leader of its
# own process group, so signalling the group also reaches anything it forked.
stop_group() {
  local name="$1" pid="$2" timeout="${3:-30}" i
  if kill -0 -- "-$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
  else
    kill -TERM "$pid" 2>/dev/null || true
  fi
  for ((i = 0; i < timeout * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || { ok "stopped $name (pid $pid)"; return 0; }
    sleep 0.2
  done
  warn "$name (pid $pid) did not stop within ${timeout}s; sending SIGKILL"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
  ok "killed $name (pid $pid)"
}

# PostgreSQL refuses to run as root. When we are root, the embedded server runs as
# `nobody`; as an ordinary user it simply runs as that user.
pg_as_owner() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

service_jar() { echo "$REPO_ROOT/$1/target/quarkus-app/quarkus-run.jar"; }

# PID of the embedded postmaster under PG home $1, if it is alive. postmaster.pid's
# first line is that PID; it is checked against /proc because a crash leaves the file.
embedded_pg_pid() {
  local home="$1" pid
  [[ -f "$home/data/postmaster.pid" ]] || return 1
  pid=$(head -n 1 "$home/data/postmaster.pid" | tr -dc '0-9')
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  grep -q postgres "/proc/$pid/comm" 2>/dev/null || return 1
  echo "$pid"
}
