#!/usr/bin/env bash
# Start-up of ONE service alone, as deploy/local/run.sh starts it (same env, same jar), while the local run's Kafka
# and PostgreSQL are up and the service's own copy is stopped (stop it first: kill its pid from .run/pids).
#   LOCAL_RUN_SLOT=4 bench/profile-notes/startup-alone.sh consent-service [runs] [-- extra JVM options...]
# Extra environment (QUARKUS_...=...) passes through. Prints per run: ms launch -> /q/health/ready 200 (polled every
# 50 ms), CPU ms used until then, Quarkus' own "started in", RSS (VmRSS) 2 s after ready; then the median of each.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../deploy/local/lib.sh"
module="$1"; runs="${2:-3}"; shift 2 || shift $#
[[ "${1:-}" == -- ]] && shift
jvm_opts=("$@")
IFS=: read -r _ port db _ < <(printf '%s\n' "${SERVICES[@]}" | grep "^$module:")
mgmt=$((port + 1000))
# JAR=... measures another build of the module (e.g. a copy of the jar before a change).
jar="${JAR:-$REPO_ROOT/$module/target/quarkus-app/quarkus-run.jar}"
mapfile -t env_lines < <(grep -v '^#' "$RUN_DIR/services.env")
store_env=()
[[ "$module" != retention-service ]] && store_env=(PRIVACY_STORE_TOKEN="$(cat "$RUN_DIR/tokens/store-$module.jwt")")
pw=$(cat "$KAFKA_CREDENTIALS_DIR/$module.password")
readies=(); cpus=(); rsss=()
for ((i = 1; i <= runs; i++)); do
  log="$LOG_DIR/$module.alone.$i.log"
  t0=$(date +%s%N)
  ( cd "$REPO_ROOT/$module"
    exec env "${env_lines[@]}" "${store_env[@]}" \
      PRIVACY_EVENTS_SIGNING_KEY_FILE="$RUN_DIR/signing/$module.pem" \
      KAFKA_SASL_JAAS_CONFIG="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$module\" password=\"$pw\";" \
      QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT="$mgmt" \
      QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
      setsid "$JAVA" "${jvm_opts[@]}" -jar "$jar" </dev/null >"$log" 2>&1 ) &
  pid=$!
  until [[ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$mgmt/q/health/ready" || true)" == 200 ]]; do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$log"; echo "died" >&2; exit 1; }
    sleep 0.05
  done
  ready=$((($(date +%s%N) - t0) / 1000000))
  # CPU time (user+sys, all threads) spent until ready: less sensitive than wall time to other load on the machine.
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  sleep 2
  jpid=$(pgrep -P "$pid" java || echo "$pid")
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$jpid/status" 2>/dev/null || awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  started=$(grep -o 'started in [0-9.]*s' "$log" | head -1 | grep -o '[0-9.]*s' || echo '?')
  echo "$module run $i: ready ${ready} ms, CPU ${cpu} ms, quarkus started in $started, RSS ${rss} MB"
  readies+=("$ready"); rsss+=("$rss"); cpus+=("$cpu")
  # KEEP=1: leave the (last) run up for other measurements, e.g. wrk against a build before a change.
  [[ "${KEEP:-0}" == 1 && $i == "$runs" ]] && { echo "left running: pid $pid (stop: kill -TERM -- -$pid)"; exit 0; }
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "$module median: ready $(median "${readies[@]}") ms, CPU $(median "${cpus[@]}") ms, RSS $(median "${rsss[@]}") MB (${jvm_opts[*]:-no extra JVM options})"
