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
# This checkout's privacy-events, never a SNAPSHOT some other build installed into ~/.m2 (a build without -am
# would have written that one into classpath.txt).
classpath=$(sed -E "s#[^:]*/io/privacyplatform/privacy-events/[^:]*\.jar#$REPO_ROOT/privacy-events/target/classes#" \
  "$MODULE/target/classpath.txt")
# shellcheck disable=SC2086  # BENCH_DRIVER_JAVA_OPTS is a list of JVM options
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${BENCH_DRIVER_JAVA_OPTS:--Xmx1g} \
  -cp "$MODULE/target/classes:$classpath" "io.privacyplatform.bench.$main" "$@"
