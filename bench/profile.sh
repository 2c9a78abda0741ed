#!/usr/bin/env bash
# Records JFR in running services (and optionally the bench driver) while a load runs, then prints where the time
# went (bench-driver's JfrTop: samples per thread, hottest methods, the platform's methods, per library, socket I/O).
#
#   bench/profile.sh [--services "request-service retention-service"] [--driver] [--out <dir>] -- <command> [args...]
#   e.g. bench/profile.sh --driver -- bench/erasure-fanout.sh --quick --no-baseline
#
# JFR with the 'profile' settings (20 ms sampling of Java threads, socket I/O over 20 ms) starts in each named
# service of the local run (jcmd <pid> JFR.start), the command runs, the recordings are dumped to --out
# (default bench/profile-out/<time>) and summarised there (<service>.txt) and on stdout. --driver also records the
# bench driver JVM (the simulated stores of erasure-fanout.sh run in it) through BENCH_DRIVER_JAVA_OPTS.
# Findings go to bench/PROFILE.md, written by a person from these summaries.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SERVICES_TO_PROFILE="request-service retention-service" DRIVER=0 OUT=""
while (($#)); do
  case "$1" in
    --services) SERVICES_TO_PROFILE="$2"; shift 2 ;;
    --driver) DRIVER=1; shift ;;
    --out) OUT="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown argument $1 (the command comes after --)" >&2; exit 2 ;;
  esac
done
(($#)) || { echo "usage: $0 [--services \"a b\"] [--driver] [--out dir] -- <command> [args...]" >&2; exit 2; }
OUT="${OUT:-$BENCH_DIR/profile-out/$(date -u +%Y%m%dT%H%M%S)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
bench_ensure_system

declare -A PIDS
for service in $SERVICES_TO_PROFILE; do
  pid=$(live_pid "$PID_DIR/$service.pid" "$(service_jar "$service")") || { echo "$service is not running" >&2; exit 1; }
  PIDS[$service]=$pid
  jcmd "$pid" JFR.start name=bench settings=profile >/dev/null
  bench_log "JFR started in $service (pid $pid)"
done
if ((DRIVER)); then
  export BENCH_DRIVER_JAVA_OPTS="-Xmx1g -XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$OUT/driver.jfr"
fi

status=0
"$@" || status=$?

for service in "${!PIDS[@]}"; do
  jcmd "${PIDS[$service]}" JFR.dump name=bench filename="$OUT/$service.jfr" >/dev/null
  jcmd "${PIDS[$service]}" JFR.stop name=bench >/dev/null
done
# The summaries run in driver JVMs of their own, which must not record (and overwrite driver.jfr) themselves.
unset BENCH_DRIVER_JAVA_OPTS
for jfr in "$OUT"/*.jfr; do
  [[ -f "$jfr" ]] || continue
  name=$(basename "$jfr" .jfr)
  "$BENCH_DIR/driver.sh" JfrTop "$jfr" --top 25 >"$OUT/$name.txt"
  echo "===== $name ($jfr)"
  cat "$OUT/$name.txt"
done
exit "$status"
