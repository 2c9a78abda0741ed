# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables below are used by the scripts that source this
# Shared by deploy/local/run.sh and deploy/local/stop.sh (sourced, not executed).
#
# Everything the local run creates lives under <repo>/.run/ (git-ignored), so a
# `rm -rf .run` after stop.sh is a complete reset.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEPLOY_DIR="$REPO_ROOT/deploy/local"
# LOCAL_RUN_DIR moves all of it elsewhere: a second run from the same checkout (another LOCAL_RUN_SLOT) needs a
# folder of its own, or its pid files would name the first run's processes (see guard_run_dir).
RUN_DIR="$(realpath -m "${LOCAL_RUN_DIR:-$REPO_ROOT/.run}")"
PID_DIR="$RUN_DIR/pids"
LOG_DIR="$RUN_DIR/logs"

# Ports are fixed (not the usual 9092/5432/8080) so the local run does not collide
# with a developer's own Kafka, or with `quarkus dev` on 8080.
# LOCAL_RUN_SLOT=N (0-9, default 0) runs a further copy beside the first, from another checkout: every port
# moves up by 10*N and the databases get the suffix _sN (benchmarks and their comparisons run side by side).
LOCAL_RUN_SLOT="${LOCAL_RUN_SLOT:-0}"
[[ "$LOCAL_RUN_SLOT" =~ ^[0-9]$ ]] || { echo "LOCAL_RUN_SLOT must be 0-9" >&2; exit 2; }
SLOT_OFFSET=$((LOCAL_RUN_SLOT * 10))
DB_SUFFIX=""
((LOCAL_RUN_SLOT == 0)) || DB_SUFFIX="_s$LOCAL_RUN_SLOT"
KAFKA_PORT=$((19092 + SLOT_OFFSET))
KAFKA_CONTROLLER_PORT=$((19093 + SLOT_OFFSET))
KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
# run.sh --brokers N: node n listens on KAFKA_PORT + 2(n-1) and its controller one above, so node 1 keeps the
# single broker's ports and three nodes use 6 of a slot's 10.
kafka_node_port() { echo $((KAFKA_PORT + 2 * ($1 - 1))); }
kafka_node_controller_port() { echo $((KAFKA_PORT + 2 * ($1 - 1) + 1)); }
# Node 1 keeps the single broker's file names (kafka.pid, kafka.log, data/, server.properties); node n adds -n.
kafka_node_suffix() { (($1 == 1)) || echo "-$1"; }
KAFKA_DIR="$RUN_DIR/kafka"
KAFKA_LIB="$KAFKA_DIR/lib"
# The client listener takes SASL/SCRAM-SHA-512 logins only. One password per principal (the broker itself, `admin`
# for run.sh, one per service/store from privacy-events' TopicAccess), random per checkout, owner-only.
KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT
KAFKA_SASL_MECHANISM=SCRAM-SHA-512
KAFKA_CREDENTIALS_DIR="$KAFKA_DIR/credentials"
# The admin client settings run.sh's tools use (TopicCommand --command-config, TopicAccessSetup).
KAFKA_ADMIN_CONFIG="$KAFKA_DIR/admin.properties"

MACHINE_PG_PORT=5432
EMBEDDED_PG_PORT=$((15432 + LOCAL_RUN_SLOT))
# Written by LocalPostgres when it started an embedded PostgreSQL; holds the path of the
# embedded PG home. stop.sh only ever stops a PostgreSQL named by this file, so the
# machine's own server is never touched.
PG_EMBEDDED_MARKER="$RUN_DIR/pg/embedded-home"

# module:port:db:env-name — one line per service, in start order.
# The platform's key store: the subjects' data keys, wrapped by .run/keys-master.secret (run.sh makes both).
KEYS_DB="privacy_keys$DB_SUFFIX"
SERVICES=(
  "consent-service:$((8081 + SLOT_OFFSET)):consent_service$DB_SUFFIX:CONSENT"
  "request-service:$((8082 + SLOT_OFFSET)):request_service$DB_SUFFIX:REQUEST"
  "retention-service:$((8083 + SLOT_OFFSET)):retention_service$DB_SUFFIX:RETENTION"
  "mail-log-store:$((8084 + SLOT_OFFSET)):mail_log_store$DB_SUFFIX:MAIL_LOG_STORE"
)
# The API port of a service named as in SERVICES (consent-service, ...).
service_port() {
  local entry module port
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r module port _ _ <<<"$entry"
    [[ "$module" == "$1" ]] && { echo "$port"; return 0; }
  done
  return 1
}

# run.sh --instances N: instance i of a service answers on its API port + 100(i-1) (management + 1000 as always);
# instance 1 keeps the service's own names (<module>.pid, <module>.log), instance i is <module>-i.
instance_port() { echo $(($1 + 100 * ($2 - 1))); }
instance_name() { if (($2 == 1)); then echo "$1"; else echo "$1-$2"; fi; }

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# The broker's JVM (run.sh starts it; bench/startup.sh times a scratch broker with the same options).
KAFKA_JAVA_OPTS=(-Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
  "-Dlog4j2.configurationFile=$DEPLOY_DIR/kafka/log4j2.properties")

# Options for the short-lived tool JVMs (Kafka's tools and ours): every call is a new JVM, and
# C1-only plus serial GC cut each one's start (~1.1 s -> ~0.85 s for a Kafka --list on 2 cores).
TOOL_JAVA_OPTS=(-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

# The local run's PostgreSQL and tokens are done by platform-testing's LocalPostgres and
# TestTokens, the code the tests use, on platform-testing's runtime classpath, which run.sh
# resolves through Maven once into this file (and again when a pom changes).
TOOLS_CLASSPATH="$RUN_DIR/tools/classpath"
platform_tool() {
  "$JAVA" "${TOOL_JAVA_OPTS[@]}" \
    -cp "$REPO_ROOT/platform-testing/target/classes:$(cat "$TOOLS_CLASSPATH")" "$@"
}

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

service_jar() { echo "$REPO_ROOT/$1/target/quarkus-app/quarkus-run.jar"; }

# The slot whose processes RUN_DIR holds: run.sh writes it; a folder from before has no record and was slot 0's.
run_dir_slot() { cat "$RUN_DIR/slot" 2>/dev/null || echo 0; }

# Refuses to work on a run folder whose live processes belong to another slot: its pid files name that slot's
# processes, so stop.sh would stop them and run.sh would report them as its own (and rewrite their broker and
# admin configuration). LOCAL_RUN_DIR gives the second slot a folder of its own.
guard_run_dir() {
  local owner file pid
  owner=$(run_dir_slot)
  [[ "$owner" == "$LOCAL_RUN_SLOT" ]] && return 0
  for file in "$PID_DIR"/*.pid; do
    [[ -f "$file" ]] || continue
    pid="$(tr -dc '0-9' <"$file")"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      die "$RUN_DIR holds the running processes of LOCAL_RUN_SLOT=$owner, not $LOCAL_RUN_SLOT; give this slot a folder of its own: LOCAL_RUN_DIR=<dir>"
    fi
  done
}
