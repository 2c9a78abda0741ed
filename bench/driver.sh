#!/usr/bin/env bash
# bench/driver.sh <Main> args...: runs io.privacyplatform.bench.<Main> of the bench-driver module (bench/driver),
# building it first when its classes are missing (offline, with -am so the reactor uses this checkout's sources;
# never `install`).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="$REPO_ROOT/bench/driver"
main="${1:?usage: bench/driver.sh <Main> args...}"; shift
if [[ ! -f "$MODULE/target/classpath.txt" || ! -f "$MODULE/target/classes/io/privacyplatform/bench/$main.class" ]]; then
  echo "building bench/driver (./mvnw -q -o -pl bench/driver -am -DskipTests package)" >&2
  (cd "$REPO_ROOT" && ./mvnw -q -o -pl bench/driver -am -DskipTests package) >&2
fi
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${BENCH_DRIVER_JAVA_OPTS:--Xmx1g} \
  -cp "$MODULE/target/classes:$(cat "$MODULE/target/classpath.txt")" "io.privacyplatform.bench.$main" "$@"
