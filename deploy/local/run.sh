#!/usr/bin/env bash
# Local run of the privacy platform without Docker: a Kafka broker from Maven jars,
# PostgreSQL (the machine's, or embedded binaries from Maven), locally minted JWTs,
# and the four Quarkus services as plain `java -jar` processes. This script orchestrates;
# topics, PostgreSQL and tokens are done by the Java classes the tests use (see below).
#
#   deploy/local/run.sh              build if needed, start everything, wait until ready
#   SKIP_BUILD=1 deploy/local/run.sh never run the Maven build
#   PG_FORCE_EMBEDDED=1 ...          ignore the machine's PostgreSQL, use the embedded one
#   deploy/local/run.sh --brokers 3  a three-node KRaft cluster (replication factor 3, min.insync.replicas=2)
#   deploy/local/run.sh --instances 2  two JVMs per service (instance 2 on API/management port + 100)
#   deploy/local/run.sh --start-service <module>   start one service alone (the rest already up; bench/startup.sh)
#   deploy/local/run.sh --infra-only  Kafka, topics, PostgreSQL and tokens, no service (bench/startup.sh starts those)
#   deploy/local/stop.sh             stop what this script started
#   deploy/local/tokens.sh [service] mint new 8-hour tokens while it runs
#
# Re-running is safe: whatever is already running (according to .run/pids) is reported
# and left alone. All state is under <repo>/.run/ (git-ignored).
#
# Kafka runs with security on: clients log in with SASL/SCRAM-SHA-512 as one principal per
# service/store, and ACLs (privacy-events' TopicAccess, applied by TopicAccessSetup) allow each
# only what it consumes and publishes. Passwords: .run/kafka/credentials/<principal>.password.
set -euo pipefail

# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SKIP_BUILD="${SKIP_BUILD:-0}"
PG_FORCE_EMBEDDED="${PG_FORCE_EMBEDDED:-0}"
KAFKA_WAIT_SECONDS="${KAFKA_WAIT_SECONDS:-60}"

T0=$(date +%s)
mkdir -p "$RUN_DIR" "$PID_DIR" "$LOG_DIR"
cd "$REPO_ROOT"

kafka_tool() {
  "$JAVA" "${TOOL_JAVA_OPTS[@]}" "-Dlog4j2.configurationFile=$DEPLOY_DIR/kafka/log4j2-tools.properties" \
    -cp "$KAFKA_LIB/*" "$@"
}

mvnw() { "$REPO_ROOT/mvnw" -B -q "$@"; }

# The classes run.sh runs (see lib.sh): missing ones mean the reactor must be built.
TOOL_CLASSES=(
  privacy-events/target/classes/io/privacyplatform/events/Topics.class
  privacy-events/target/classes/io/privacyplatform/events/TopicAccessSetup.class
  platform-testing/target/classes/io/privacyplatform/testing/LocalPostgres.class
  platform-testing/target/classes/io/privacyplatform/testing/TestTokens.class
  platform-testing/target/classes/io/privacyplatform/testing/LocalKeyPair.class
  platform-testing/target/classes/io/privacyplatform/testing/LocalStoreCredentials.class
)

resolve_tools_classpath() {
  if [[ -s "$TOOLS_CLASSPATH" && "$TOOLS_CLASSPATH" -nt "$REPO_ROOT/pom.xml" \
    && "$TOOLS_CLASSPATH" -nt "$REPO_ROOT/platform-testing/pom.xml" ]]; then
    return 0
  fi
  info "resolving platform-testing's runtime classpath through Maven (once)"
  mkdir -p "$RUN_DIR/tools"
  # Written under another name and moved, so an interrupted run never leaves half a classpath.
  mvnw -pl platform-testing dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$TOOLS_CLASSPATH.part" || die "could not resolve platform-testing's classpath"
  mv "$TOOLS_CLASSPATH.part" "$TOOLS_CLASSPATH"
}

# ---------------------------------------------------------------------------------
# 1. Build
# ---------------------------------------------------------------------------------
build_if_needed() {
  local entry module missing=() buildable=() class
  for class in "${TOOL_CLASSES[@]}"; do
    [[ -f "$REPO_ROOT/$class" ]] || { missing+=("${class%%/*}"); buildable+=("${class%%/*}"); }
  done
  for entry in "${SERVICES[@]}"; do
    module="${entry%%:*}"
    [[ -f "$REPO_ROOT/$module/target/quarkus-app/quarkus-run.jar" ]] && continue
    missing+=("$module")
    # A module without a pom cannot come out of the build, so it alone is no reason
    # to spend minutes on a full reactor build (modules are still being written).
    [[ -f "$REPO_ROOT/$module/pom.xml" ]] && buildable+=("$module")
  done
  if ((${#missing[@]} == 0)); then
    ok "service jars present (no build needed)"
  elif [[ "$SKIP_BUILD" == 1 ]]; then
    warn "SKIP_BUILD=1: not building; missing: ${missing[*]}"
  elif ((${#buildable[@]} == 0)); then
    warn "no jar and no pom.xml yet for: ${missing[*]} (nothing to build)"
  else
    info "building (missing: $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')): ./mvnw -B -q -DskipTests package"
    local t
    t=$(date +%s)
    mvnw -DskipTests package || die "build failed (fix it, or run with SKIP_BUILD=1 to start what exists)"
    ok "build done in $(($(date +%s) - t))s"
  fi
}

# ---------------------------------------------------------------------------------
# 2. Kafka
# ---------------------------------------------------------------------------------
fetch_kafka_jars() {
  # The marker is written only after a complete copy, so an interrupted download is
  # simply redone instead of leaving a broker with half a classpath.
  if [[ -f "$KAFKA_LIB/.complete" ]]; then
    return 0
  fi
  info "fetching Kafka broker jars through Maven into .run/kafka/lib (once)"
  rm -rf "$KAFKA_LIB"
  mvnw -f "$DEPLOY_DIR/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIB"
  touch "$KAFKA_LIB/.complete"
  local jars=("$KAFKA_LIB"/*.jar)
  ok "${#jars[@]} jars in .run/kafka/lib"
}

# Prints the password of a Kafka principal, made once per checkout (random, owner-only) and kept,
# so a restarted broker and the services agree on it.
kafka_password() {
  local file="$KAFKA_CREDENTIALS_DIR/$1.password"
  if [[ ! -s "$file" ]]; then
    (umask 077 && mkdir -p "$KAFKA_CREDENTIALS_DIR" && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$file")
  fi
  cat "$file"
}

scram_jaas() {
  echo "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$1\" password=\"$(kafka_password "$1")\";"
}

# Node n's configuration file and data folder (node 1: server.properties and data/, as with a single broker).
kafka_node_config() { echo "$KAFKA_DIR/server$(kafka_node_suffix "$1").properties"; }
kafka_node_data() { echo "$KAFKA_DIR/data$(kafka_node_suffix "$1")"; }

write_kafka_config() {
  # Regenerated on every run (cheap, and keeps it in sync with this script); the
  # cluster identity lives in data/meta.properties, which is formatted only once.
  # It holds the broker's own password: owner-only.
  local node="$1" broker_password port cport voters="" n replicas min_isr
  broker_password=$(kafka_password broker)
  port=$(kafka_node_port "$node")
  cport=$(kafka_node_controller_port "$node")
  for ((n = 1; n <= KAFKA_NODES; n++)); do
    voters+="${voters:+,}$n@127.0.0.1:$(kafka_node_controller_port "$n")"
  done
  # One node: every replication factor must be 1. Three: every partition on all three, and a write is
  # acknowledged once two have it, so any one node may die (SIGKILL included) without losing an acked record.
  replicas=$KAFKA_NODES
  min_isr=$((KAFKA_NODES == 1 ? 1 : 2))
  (umask 077 && cat >"$(kafka_node_config "$node")" <<EOF
# Generated by deploy/local/run.sh — edits are overwritten on the next run.
# Combined broker+controller nodes (KRaft), $KAFKA_NODES in all; a static voter set, hence no --standalone at format.
process.roles=broker,controller
node.id=$node
controller.quorum.voters=$voters
listeners=SASL_PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=SASL_PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
log.dirs=$(kafka_node_data "$node")

# Authentication: clients (and the broker's own inter-broker connections) log in with SCRAM-SHA-512;
# the users live in the cluster metadata (broker and admin are added at format time, the services'
# by TopicAccessSetup). SCRAM cannot authenticate the controller listener (its credentials are
# metadata the controller serves), so the broker logs in there with PLAIN, as the only PLAIN user.
sasl.enabled.mechanisms=$KAFKA_SASL_MECHANISM
sasl.mechanism.inter.broker.protocol=$KAFKA_SASL_MECHANISM
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="$broker_password";
listener.name.controller.sasl.enabled.mechanisms=PLAIN
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="$broker_password" user_broker="$broker_password";

# Authorization: what no ACL allows is refused. The broker and run.sh's admin are super users;
# every service and store gets exactly the ACLs of privacy-events' TopicAccess.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:broker;User:admin

# Topics are created explicitly by run.sh with their intended configs; auto-creation
# would hide a typo in a service's topic name behind a silently created wrong topic.
auto.create.topics.enable=false

# Replication for the platform's topics and the internal ones (consumer offsets, transaction state): see above.
# Internal topics get few partitions because each partition costs start-up time and file handles on a laptop.
default.replication.factor=$replicas
min.insync.replicas=$min_isr
offsets.topic.replication.factor=$replicas
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=$replicas
transaction.state.log.min.isr=$min_isr
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=$replicas
share.coordinator.state.topic.min.isr=$min_isr
num.partitions=1
# Members join one by one as the services start: do not make the first consumer wait 3 s for others.
group.initial.rebalance.delay.ms=0
EOF
  )
  # What run.sh's own tools (TopicCommand, TopicAccessSetup) connect with: the admin super user.
  (umask 077 && cat >"$KAFKA_ADMIN_CONFIG" <<EOF
bootstrap.servers=$KAFKA_BOOTSTRAP
security.protocol=$KAFKA_SECURITY_PROTOCOL
sasl.mechanism=$KAFKA_SASL_MECHANISM
sasl.jaas.config=$(scram_jaas admin)
EOF
  )
}

# Nodes run.sh formatted the storage for (a file from before --brokers existed: one).
kafka_formatted_nodes() { cat "$KAFKA_DIR/nodes.formatted" 2>/dev/null || echo 1; }

start_kafka() {
  local node pid file to_start=()
  for ((node = 1; node <= 9; node++)); do
    file="$PID_DIR/kafka$(kafka_node_suffix "$node").pid"
    if pid=$(live_pid "$file" kafka.Kafka); then
      ((node <= KAFKA_NODES)) || die "Kafka node $node (pid $pid) runs: a cluster of more nodes than --brokers $KAFKA_NODES is up; deploy/local/stop.sh first"
      if ((KAFKA_NODES == 1)); then
        ok "Kafka already running (pid $pid) on $KAFKA_BOOTSTRAP"
      else
        ok "Kafka node $node already running (pid $pid) on 127.0.0.1:$(kafka_node_port "$node")"
      fi
    elif ((node <= KAFKA_NODES)); then
      rm -f "$file"
      to_start+=("$node")
    fi
  done
  ((${#to_start[@]})) || return 0
  if ((${#to_start[@]} < KAFKA_NODES)) && [[ "$(kafka_formatted_nodes)" != "$KAFKA_NODES" ]]; then
    die "a Kafka cluster of $(kafka_formatted_nodes) node(s) runs, not --brokers $KAFKA_NODES; deploy/local/stop.sh first"
  fi
  for node in "${to_start[@]}"; do
    if port_open 127.0.0.1 "$(kafka_node_port "$node")" || port_open 127.0.0.1 "$(kafka_node_controller_port "$node")"; then
      die "port $(kafka_node_port "$node") or $(kafka_node_controller_port "$node") is in use by a process this script did not start"
    fi
  done

  fetch_kafka_jars
  for ((node = 1; node <= KAFKA_NODES; node++)); do
    mkdir -p "$(kafka_node_data "$node")"
    write_kafka_config "$node"
  done
  for ((node = KAFKA_NODES + 1; node <= 9; node++)); do rm -f "$(kafka_node_config "$node")"; done
  format_kafka_storage

  local t started=()
  t=$(date +%s%N)
  for node in "${to_start[@]}"; do
    local log="kafka$(kafka_node_suffix "$node").log"
    if ((KAFKA_NODES == 1)); then
      info "starting Kafka on $KAFKA_BOOTSTRAP (log: .run/logs/$log)"
    else
      info "starting Kafka node $node of $KAFKA_NODES on 127.0.0.1:$(kafka_node_port "$node") (log: .run/logs/$log)"
    fi
    # setsid: the broker gets its own session and process group, so Ctrl-C in this
    # terminal does not reach it, and stop.sh can signal the whole group.
    setsid "$JAVA" "${KAFKA_JAVA_OPTS[@]}" -cp "$KAFKA_LIB/*" kafka.Kafka "$(kafka_node_config "$node")" \
      </dev/null >"$LOG_DIR/$log" 2>&1 &
    echo "$!" >"$PID_DIR/kafka$(kafka_node_suffix "$node").pid"
    started+=("$node:$!")
  done

  local entry deadline=$((SECONDS + KAFKA_WAIT_SECONDS))
  for entry in "${started[@]}"; do
    node=${entry%%:*} pid=${entry#*:}
    local log="$LOG_DIR/kafka$(kafka_node_suffix "$node").log"
    # One node: its client port opening is enough. Several: a node counts once the quorum has unfenced it
    # (its STARTED line), because topics with 3 replicas can only be created once all three are registered.
    until if ((KAFKA_NODES == 1)); then port_open 127.0.0.1 "$KAFKA_PORT";
          else grep -q 'Transition from STARTING to STARTED' "$log"; fi; do
      if ! kill -0 "$pid" 2>/dev/null; then
        tail -n 30 "$log" >&2
        die "Kafka node $node exited during start-up (see $log)"
      fi
      ((SECONDS < deadline)) || { tail -n 30 "$log" >&2; die "Kafka node $node was not up within ${KAFKA_WAIT_SECONDS}s"; }
      sleep 0.2
    done
  done
  KAFKA_START_MS=$((($(date +%s%N) - t) / 1000000))
  if ((KAFKA_NODES == 1)); then
    ok "Kafka up (pid $pid), port open after ${KAFKA_START_MS} ms"
  else
    ok "Kafka nodes ${to_start[*]} up after ${KAFKA_START_MS} ms ($KAFKA_BOOTSTRAP)"
  fi
}

format_kafka_storage() {
  local node data
  # Storage formatted by a run.sh from before SASL has no broker/admin SCRAM users, and they cannot
  # be added without a broker that lets someone in; storage formatted for another number of nodes has another
  # voter set. Either way: start over (the topics are recreated below; what they held was transport, the
  # services' databases keep the state).
  if [[ -f "$KAFKA_DIR/data/meta.properties" && ! -f "$KAFKA_DIR/scram-users.formatted" ]]; then
    warn "Kafka storage in .run/kafka/data predates SASL; formatting it again"
    rm -rf "$KAFKA_DIR"/data "$KAFKA_DIR"/data-[0-9]
  elif [[ -f "$KAFKA_DIR/data/meta.properties" && "$(kafka_formatted_nodes)" != "$KAFKA_NODES" ]]; then
    warn "Kafka storage in .run/kafka was formatted for $(kafka_formatted_nodes) node(s), not $KAFKA_NODES; formatting it again"
    rm -rf "$KAFKA_DIR"/data "$KAFKA_DIR"/data-[0-9]
  fi
  if [[ ! -f "$KAFKA_DIR/data/meta.properties" ]]; then
    # A new cluster: every node's storage is formatted afresh with its id.
    rm -rf "$KAFKA_DIR"/data-[0-9]
    kafka_tool kafka.tools.StorageTool random-uuid | tail -n 1 >"$KAFKA_DIR/cluster.id"
  fi
  for ((node = 1; node <= KAFKA_NODES; node++)); do
    data=$(kafka_node_data "$node")
    mkdir -p "$data"
    [[ -f "$data/meta.properties" ]] && continue
    info "formatting KRaft storage of node $node with the broker and admin SCRAM users (once)"
    kafka_tool kafka.tools.StorageTool format -t "$(cat "$KAFKA_DIR/cluster.id")" \
      -c "$(kafka_node_config "$node")" --ignore-formatted \
      --add-scram "$KAFKA_SASL_MECHANISM=[name=broker,password=$(kafka_password broker)]" \
      --add-scram "$KAFKA_SASL_MECHANISM=[name=admin,password=$(kafka_password admin)]" >/dev/null
  done
  touch "$KAFKA_DIR/scram-users.formatted"
  echo "$KAFKA_NODES" >"$KAFKA_DIR/nodes.formatted"
}

create_topics() {
  # Every topic and its .dlq twin with partitions and configs come from the code: Topics' main
  # prints "<name> <partitions> <retention.ms> <cleanup.policy>" per line. One --list call decides
  # what is missing, so a re-run against an existing broker costs one JVM start, not fourteen.
  local existing wanted=() topic parts retention policy spec specs
  specs=$("$JAVA" "${TOOL_JAVA_OPTS[@]}" -cp "$REPO_ROOT/privacy-events/target/classes" \
    io.privacyplatform.events.Topics) || die "could not list the topics (privacy-events' Topics)"
  while read -r topic parts retention policy; do
    wanted+=("$topic:$parts:cleanup.policy=$policy,retention.ms=$retention")
  done <<<"$specs"
  existing=$(kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" \
    --command-config "$KAFKA_ADMIN_CONFIG" --list)

  local missing=()
  for spec in "${wanted[@]}"; do
    grep -qxF -- "${spec%%:*}" <<<"$existing" || missing+=("$spec")
  done
  if ((${#missing[@]} == 0)); then
    ok "all ${#wanted[@]} topics exist"
    return 0
  fi

  info "creating ${#missing[@]} topic(s)"
  local t=$SECONDS
  # TopicCommand creates one topic per JVM; two at a time keeps both cores busy
  # without the JVMs starving each other.
  local failed=0 pids=() p
  for spec in "${missing[@]}"; do
    local name="${spec%%:*}" rest="${spec#*:}"
    local np="${rest%%:*}" cfgs=() args=() c
    IFS=, read -r -a cfgs <<<"${rest#*:}"
    for c in "${cfgs[@]}"; do args+=(--config "$c"); done
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" \
      --command-config "$KAFKA_ADMIN_CONFIG" --create --if-not-exists --topic "$name" --partitions "$np" --replication-factor "$KAFKA_NODES" \
      "${args[@]}" >/dev/null &
    pids+=($!)
    if ((${#pids[@]} >= 2)); then
      wait "${pids[0]}" || failed=1
      pids=("${pids[@]:1}")
    fi
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  ((failed == 0)) || die "topic creation failed (see messages above)"
  ok "created in $((SECONDS - t))s: $(printf '%s ' "${missing[@]%%:*}")"
}

setup_kafka_access() {
  # privacy-events' TopicAccessSetup (the code the tests apply to their secured broker): a SCRAM user
  # per principal of TopicAccess with its password from .run/kafka/credentials, and exactly the
  # ACLs of the table for them (stale ones removed). Run on every start: the table may have changed.
  local principal principals answer
  principals=$(access_tool io.privacyplatform.events.TopicAccess principals) \
    || die "could not list the Kafka principals (TopicAccess)"
  for principal in $principals; do kafka_password "$principal" >/dev/null; done
  answer=$(access_tool io.privacyplatform.events.TopicAccessSetup "$KAFKA_ADMIN_CONFIG" "$KAFKA_CREDENTIALS_DIR") \
    || die "could not set up the Kafka users and ACLs (TopicAccessSetup)"
  ok "Kafka users and ACLs: $answer"
}

# privacy-events' classes with kafka-clients (from platform-testing's runtime classpath, which also
# brings JBoss LogManager: named up front, it does not complain about being found late).
access_tool() {
  "$JAVA" "${TOOL_JAVA_OPTS[@]}" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "$REPO_ROOT/privacy-events/target/classes:$(cat "$TOOLS_CLASSPATH")" "$@"
}

# ---------------------------------------------------------------------------------
# 3. PostgreSQL
# ---------------------------------------------------------------------------------
PG_PORT=""
PG_MODE=""

setup_postgres() {
  # platform-testing's LocalPostgres: the machine's server at :$MACHINE_PG_PORT when it answers
  # (unless PG_FORCE_EMBEDDED=1), else PostgreSQL binaries from Maven on :$EMBEDDED_PG_PORT with
  # the data kept under .run/pg (run as nobody when we are root) — the same code the tests use.
  # It creates the services' databases and answers "<mode> <port>".
  local dbs=() entry db answer
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r _ _ db _ <<<"$entry"
    dbs+=("$db")
  done
  # The platform's key store (privacy-events' JdbcSubjectKeys), shared by every service: the subjects' data keys.
  dbs+=("$KEYS_DB")
  answer=$(PG_FORCE_EMBEDDED="$PG_FORCE_EMBEDDED" platform_tool io.privacyplatform.testing.LocalPostgres up \
    "$RUN_DIR" "$MACHINE_PG_PORT" "$EMBEDDED_PG_PORT" "${dbs[@]}") || die "PostgreSQL is not available (see above)"
  read -r PG_MODE PG_PORT <<<"$answer"
  if [[ "$PG_MODE" == embedded ]]; then
    ln -sfn "$(cat "$PG_EMBEDDED_MARKER")/postgres.log" "$LOG_DIR/postgres.log"
  fi
}

# ---------------------------------------------------------------------------------
# 4. JWT keys and tokens, pseudonym secret
# ---------------------------------------------------------------------------------
JWT_DIR="$RUN_DIR/jwt"
TOKEN_DIR="$RUN_DIR/tokens"
SIGNING_DIR="$RUN_DIR/signing"
MAILER_DIR="$RUN_DIR/mailer"

setup_jwt() {
  # platform-testing's TestTokens mints them (the same claims as the tests' tokens, aud = every
  # service) with an RSA key pair made once in .run/jwt. They live 8 hours: re-minted on every run,
  # and deploy/local/tokens.sh mints new ones while the services run (same key, no restart).
  # Keys and tokens are credentials, even if only local ones: owner-only.
  (umask 077 && platform_tool io.privacyplatform.testing.TestTokens "$JWT_DIR" "$TOKEN_DIR") \
    || die "minting tokens failed"
  ok "minted tokens in .run/tokens ({platform,acme}-{app,operator,admin}.jwt, 8 h; deploy/local/tokens.sh for new ones), key .run/jwt/public.pem"

  # Per service: an Ed25519 key it signs its events with (.run/signing/<module>.pem, made once and kept: a store's
  # acks count only with the key it registered) and, for the stores, a token of role store named after the system,
  # which may register that one system on the data map and nothing else (re-minted every run).
  local names=() entry
  for entry in "${SERVICES[@]}"; do names+=("${entry%%:*}"); done
  (umask 077 && platform_tool io.privacyplatform.testing.LocalStoreCredentials "$JWT_DIR" "$TOKEN_DIR" \
    "$SIGNING_DIR" "${names[@]}") || die "minting store tokens and signing keys failed"
  ok "store tokens .run/tokens/store-<module>.jwt, event signing keys .run/signing/<module>.pem"

  # The mailer's key pair: request-service seals verification codes for the public half; the private half
  # (.run/mailer/private.pem) opens them, as the mailer outside this repository would.
  (umask 077 && platform_tool io.privacyplatform.testing.LocalKeyPair "$MAILER_DIR") \
    || die "making the mailer's key pair failed"

  setup_signing_keys

  # Secrets made once and kept, so pseudonyms stay the same across runs (and mail-log-store
  # keeps sampling the same messages: its 1-in-100 choice is keyed by the sampling secret).
  local secret
  for secret in pseudonym sampling; do
    if [[ ! -s "$RUN_DIR/$secret.secret" ]]; then
      (umask 077 && od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$RUN_DIR/$secret.secret")
    fi
  done
  # The master key that wraps every subject's data key in the key store (base64 of 32 bytes), kept like the
  # secrets above: a new one would leave every key in the store unreadable.
  if [[ ! -s "$RUN_DIR/keys-master.secret" ]]; then
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >"$RUN_DIR/keys-master.secret")
  fi
}

# Ed25519 signing keys, one directory per service (what a mounted secret is in production): retention-service signs
# deletion certificates, request-service its audit anchors. Made once and kept, so what they signed keeps
# verifying; owner-only. To rotate: add <new-id>.pem, write <new-id> into <dir>.current, keep the old .pem (or only
# its public half as <old-id>.pub.pem) so it stays published, restart the service.
KEYS_DIR="$RUN_DIR/keys"

setup_signing_keys() {
  command -v openssl >/dev/null || die "openssl is needed to make the local signing keys"
  local service kid
  for service in retention request; do
    (umask 077 && mkdir -p "$KEYS_DIR/$service")
    if [[ ! -s "$KEYS_DIR/$service.current" ]]; then
      kid="$service-$(date -u +%Y%m%d)"
      (umask 077 && openssl genpkey -algorithm ed25519 -out "$KEYS_DIR/$service/$kid.pem" 2>/dev/null) \
        || die "making the $service signing key failed"
      (umask 077 && echo "$kid" >"$KEYS_DIR/$service.current")
    fi
  done
  # request-service's OpenDSR key and a self-signed certificate for this host (a production one is CA-issued):
  # answers and status callbacks to controllers' privacy tools are signed with it; without it /opendsr/v1 is off.
  if [[ ! -s "$KEYS_DIR/opendsr/certificate.pem" ]]; then
    (umask 077 && mkdir -p "$KEYS_DIR/opendsr" \
      && openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=127.0.0.1/O=privacy-platform local run" \
        -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$KEYS_DIR/opendsr/key.pem" \
        -out "$KEYS_DIR/opendsr/certificate.pem" 2>/dev/null) \
      || die "making the OpenDSR key and certificate failed"
  fi
  ok "signing keys in .run/keys/{retention,request,opendsr} (current: $(cat "$KEYS_DIR/retention.current"), $(cat "$KEYS_DIR/request.current"))"
}

# ---------------------------------------------------------------------------------
# 5. Services
# ---------------------------------------------------------------------------------
STARTED=()        # module:port:pid for services to wait on
declare -A STATE  # module -> what the summary says about it

common_env() {
  echo "KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP"
  # Every Kafka client of a service (channels, dead-letter producers, outbox relay, readiness) takes
  # these from kafka.*; the login (KAFKA_SASL_JAAS_CONFIG) is per service, see start_services.
  echo "KAFKA_SECURITY_PROTOCOL=$KAFKA_SECURITY_PROTOCOL"
  echo "KAFKA_SASL_MECHANISM=$KAFKA_SASL_MECHANISM"
  echo "QUARKUS_DATASOURCE_USERNAME=postgres"
  echo "QUARKUS_DATASOURCE_PASSWORD="
  echo "MP_JWT_VERIFY_PUBLICKEY_LOCATION=$JWT_DIR/public.pem"
  echo "MP_JWT_VERIFY_ISSUER=privacy-platform"
  echo "PRIVACY_PSEUDONYM_SECRET=$(cat "$RUN_DIR/pseudonym.secret")"
  echo "MAIL_LOG_SAMPLING_SECRET=$(cat "$RUN_DIR/sampling.secret")"
  echo "PRIVACY_KEYS_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/$KEYS_DB"
  echo "PRIVACY_KEYS_USERNAME=postgres"
  echo "PRIVACY_KEYS_MASTER_KEY=$(cat "$RUN_DIR/keys-master.secret")"
  echo "REQUESTS_MAILER_PUBLIC_KEY=$(grep -v -- '-----' "$MAILER_DIR/public.pem" | tr -d '\n')"
  echo "RETENTION_CERTIFICATE_KEYS_DIR=$KEYS_DIR/retention"
  echo "RETENTION_CERTIFICATE_CURRENT_KEY_ID=$(cat "$KEYS_DIR/retention.current")"
  echo "REQUESTS_AUDIT_KEYS_DIR=$KEYS_DIR/request"
  echo "REQUESTS_AUDIT_CURRENT_KEY_ID=$(cat "$KEYS_DIR/request.current")"
  # The public privacy page is per controller (opt-in): the local run's two tenants have it.
  echo "REQUESTS_PRIVACY_PAGE_TENANTS=platform,acme"
  echo "REQUESTS_OPENDSR_KEY_FILE=$KEYS_DIR/opendsr/key.pem"
  echo "REQUESTS_OPENDSR_CERTIFICATE_FILE=$KEYS_DIR/opendsr/certificate.pem"
  # Stores put themselves on retention-service's data map at start, each with its own store token (per service,
  # in start_services).
  echo "PRIVACY_STORE_RETENTION_URL=http://127.0.0.1:$(service_port retention-service)"
  local entry port name
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r _ port _ name <<<"$entry"
    echo "PRIVACY_SERVICES_${name}_URL=http://127.0.0.1:$port"
  done
}

# JVM options of the services (SERVICE_JAVA_OPTS="..." replaces them). See bench/profile-notes/startup.md for what
# each is measured to do to start-up, memory and throughput.
read -r -a SERVICE_JAVA_OPTS <<<"${SERVICE_JAVA_OPTS:--Xmx256m}"

# Class data sharing (JDK dynamic archive): the first start of a jar records the classes it loaded into
# .run/cds/<module>.jsa when the service exits (stop.sh); later starts map them instead of loading and verifying
# each again. A jar rebuilt after its archive gets a new one (the JVM also refuses an archive whose class path
# changed, and then simply starts without it). CDS=0 turns it off.
# Only instance 1 records ($3): two JVMs writing one archive at exit would race.
class_archive_opts() {
  [[ "${CDS:-1}" == 1 ]] || return 0
  local archive="$RUN_DIR/cds/$1.jsa"
  mkdir -p "$RUN_DIR/cds"
  if [[ -s "$archive" && "$archive" -nt "$2" ]]; then
    echo "-XX:SharedArchiveFile=$archive"
  elif (("${3:-1}" == 1)); then
    rm -f "$archive"
    echo "-XX:ArchiveClassesAtExit=$archive"
  fi
}

start_services() {
  local env_lines=() entry
  mapfile -t env_lines < <(common_env)
  # Also handy for `./mvnw quarkus:dev` in one module: set -a; . .run/services.env; set +a
  (umask 077 && printf '%s\n' "${env_lines[@]}" "# per service: QUARKUS_HTTP_PORT, QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/<db>," \
    "# KAFKA_SASL_JAAS_CONFIG='org.apache.kafka.common.security.scram.ScramLoginModule required username=\"<module>\" password=\"<.run/kafka/credentials/<module>.password>\";'" \
    "# per service: PRIVACY_EVENTS_SIGNING_KEY_FILE=$SIGNING_DIR/<module>.pem; per store: PRIVACY_STORE_TOKEN=\$(cat $TOKEN_DIR/store-<module>.jwt)" \
    >"$RUN_DIR/services.env")

  local instance
  for entry in "${SERVICES[@]}"; do
    for ((instance = 1; instance <= SERVICE_INSTANCES; instance++)); do
      start_service "$entry" "$instance" "${env_lines[@]}"
    done
  done
}

# Starts one instance (1, 2, ...) of one service (an entry of SERVICES) with the common env lines that follow;
# bench/startup.sh starts them one at a time through `run.sh --start-service <module>` (instance 1). Every
# instance of a service shares its database, Kafka principal, consumer groups and signing key: they split the
# partitions and the outbox shards between them.
start_service() {
  local entry="$1" instance="$2" module port db name jar pid store_env=() unit
  shift 2
  local env_lines=("$@")
  IFS=: read -r module port db name <<<"$entry"
  port=$(instance_port "$port" "$instance")
  unit=$(instance_name "$module" "$instance")
  jar=$(service_jar "$module")
  if [[ ! -d "$REPO_ROOT/$module" ]]; then
    warn "skipping $unit: module does not exist yet"; STATE[$unit]="not started: module does not exist yet"; return 0
  fi
  if [[ ! -f "$jar" ]]; then
    warn "skipping $unit: no $module/target/quarkus-app/quarkus-run.jar"; STATE[$unit]="not started: no jar yet"; return 0
  fi
  if pid=$(live_pid "$PID_DIR/$unit.pid" "$jar"); then
    ok "$unit already running (pid $pid) on :$port"
    STARTED+=("$unit:$port:$pid"); return 0
  fi
  rm -f "$PID_DIR/$unit.pid"
  if port_open 127.0.0.1 "$port"; then
    warn "skipping $unit: port $port is in use by a process this script did not start"
    STATE[$unit]="not started: port $port in use by another process"; return 0
  fi
  info "starting $unit on :$port (log: .run/logs/$unit.log)"
  # cwd = module dir so a module-local config/application.properties is honoured;
  # the env vars below still win over it (and over any .env file). The jars run in the prod profile, which
  # turns Swagger UI off; on this developer machine it is switched back on.
  # retention-service registers nothing on the data map: it gets no store token.
  store_env=()
  if [[ "$module" != retention-service ]]; then
    store_env=(PRIVACY_STORE_TOKEN="$(cat "$TOKEN_DIR/store-$module.jwt")")
  fi
  (
    cd "$REPO_ROOT/$module"
    exec env "${env_lines[@]}" "${store_env[@]}" \
      PRIVACY_EVENTS_SIGNING_KEY_FILE="$SIGNING_DIR/$module.pem" \
      KAFKA_SASL_JAAS_CONFIG="$(scram_jaas "$module")" \
      QUARKUS_HTTP_PORT="$port" \
      QUARKUS_MANAGEMENT_PORT="$(management_port "$port")" \
      QUARKUS_SWAGGER_UI_ENABLE=true \
      QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$db" \
      setsid "$JAVA" "${SERVICE_JAVA_OPTS[@]}" $(class_archive_opts "$module" "$jar" "$instance") -jar "$jar" \
      </dev/null >"$LOG_DIR/$unit.log" 2>&1
  ) &
  pid=$!
  echo "$pid" >"$PID_DIR/$unit.pid"
  STARTED+=("$unit:$port:$pid")
}

# Health and metrics answer on each service's management interface (API port + 1000), not on the API port.
management_port() { echo $(($1 + 1000)); }

wait_ready() {
  local module="$1" port="$2" pid="$3" deadline=$((SECONDS + SERVICE_WAIT_SECONDS)) t0=$SECONDS code
  while ((SECONDS < deadline)); do
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$(management_port "$port")/q/health/ready" || true)
    if [[ "$code" == 200 ]]; then
      ok "$module ready on :$port after $((SECONDS - t0))s"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      warn "$module (pid $pid) exited; last lines of .run/logs/$module.log:"
      tail -n 40 "$LOG_DIR/$module.log" >&2
      return 1
    fi
    sleep 1
  done
  warn "$module not ready within ${SERVICE_WAIT_SECONDS}s (last /q/health/ready: ${code:-no answer}); last lines of .run/logs/$module.log:"
  tail -n 40 "$LOG_DIR/$module.log" >&2
  return 1
}

wait_services() {
  ((${#STARTED[@]})) || return 0
  info "waiting for /q/health/ready on the management ports (up to ${SERVICE_WAIT_SECONDS}s each, in parallel)"
  local entry module port pid waits=() failed=()
  for entry in "${STARTED[@]}"; do
    IFS=: read -r module port pid <<<"$entry"
    wait_ready "$module" "$port" "$pid" &
    waits+=("$!:$module")
  done
  for entry in "${waits[@]}"; do
    wait "${entry%%:*}" || failed+=("${entry#*:}")
  done
  NOT_READY=("${failed[@]}")
  for entry in "${failed[@]}"; do STATE[$entry]="NOT READY, see .run/logs/$entry.log"; done
}

# mail-log-store stands in for the mailer, which applies consent withdrawals (suppresses marketing mail) and
# acknowledges each on privacy.consent.applied.v1. consent-service counts an acknowledgement only from a registered
# consent subscriber with the key it signs with: register it as a platform admin would (a PUT is idempotent), so the
# local run shows per decision that the mailer applied it.
register_consent_subscribers() {
  [[ -z "${STATE[consent-service]:-}" && -z "${STATE[mail-log-store]:-}" ]] || return 0
  local key code
  key=$(openssl pkey -in "$SIGNING_DIR/mail-log-store.pem" -pubout -outform DER 2>/dev/null | base64 | tr -d '\n') \
    || { warn "could not read mail-log-store's signing key; consent subscriber not registered"; return 0; }
  code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' -X PUT \
    -H "Authorization: Bearer $(cat "$TOKEN_DIR/platform-admin.jwt")" -H 'Content-Type: application/json' \
    -d "{\"description\":\"the mailer's stand-in: suppresses marketing e-mail on a withdrawal\",\"owner\":\"local run\",\"publicKey\":\"$key\"}" \
    "http://127.0.0.1:$(service_port consent-service)/v1/consent-subscribers/mail-log-store" || true)
  if [[ "$code" == 200 || "$code" == 201 ]]; then
    ok "mail-log-store registered as a consent subscriber (GET /v1/consent-subscribers)"
  else
    warn "registering mail-log-store as a consent subscriber answered ${code:-nothing}"
  fi
}

# ---------------------------------------------------------------------------------
# 6. Summary
# ---------------------------------------------------------------------------------
summary() {
  local entry module port db name instance unit pid
  echo
  echo "Local privacy platform ($(($(date +%s) - T0))s)"
  echo "----------------------------------------------------------------------"
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r module port db name <<<"$entry"
    for ((instance = 1; instance <= SERVICE_INSTANCES; instance++)); do
      unit=$(instance_name "$module" "$instance")
      port=$(instance_port "$(service_port "$module")" "$instance")
      if [[ "${STATE[$unit]:-ready}" == "not started"* ]]; then
        printf '  %-18s %s\n' "$unit" "${STATE[$unit]}"
        continue
      fi
      pid=$(cat "$PID_DIR/$unit.pid" 2>/dev/null || echo '?')
      printf '  %-18s http://127.0.0.1:%s   [%s]   pid %s, log .run/logs/%s.log\n' "$unit" "$port" \
        "${STATE[$unit]:-ready}" "$pid" "$unit"
      printf '  %-18s   swagger  http://127.0.0.1:%s/q/swagger-ui\n' "" "$port"
      printf '  %-18s   health   http://127.0.0.1:%s/q/health   metrics  http://127.0.0.1:%s/q/metrics\n' "" \
        "$(management_port "$port")" "$(management_port "$port")"
    done
  done
  echo "  operator dashboard http://127.0.0.1:$(service_port request-service)/"
  echo "  privacy page       http://127.0.0.1:$(service_port request-service)/privacy/acme   (data subjects; the code goes to privacy.notification.v1, sealed for the mailer)"
  echo "  Kafka bootstrap    $KAFKA_BOOTSTRAP  ($KAFKA_SECURITY_PROTOCOL, $KAFKA_SASL_MECHANISM; one principal per service)"
  if ((KAFKA_NODES > 1)); then
    local node
    for ((node = 1; node <= KAFKA_NODES; node++)); do
      printf '  %-18s 127.0.0.1:%s (controller :%s)   pid %s, log .run/logs/kafka%s.log\n' "Kafka node $node" \
        "$(kafka_node_port "$node")" "$(kafka_node_controller_port "$node")" \
        "$(cat "$PID_DIR/kafka$(kafka_node_suffix "$node").pid" 2>/dev/null || echo '?')" "$(kafka_node_suffix "$node")"
    done
    echo "                     replication factor $KAFKA_NODES, min.insync.replicas 2 (topics, offsets, transaction state)"
  fi
  echo "  Kafka admin        --command-config $KAFKA_ADMIN_CONFIG (super user; passwords in $KAFKA_CREDENTIALS_DIR)"
  echo "  PostgreSQL         jdbc:postgresql://127.0.0.1:$PG_PORT/<db>  user postgres, no password ($PG_MODE)"
  echo "                     psql -h 127.0.0.1 -p $PG_PORT -U postgres consent_service$DB_SUFFIX"
  echo "  JWT tokens         $TOKEN_DIR/<tenant>-<role>.jwt (tenants platform, acme; roles app, operator, admin)"
  echo "  JWT public key     $JWT_DIR/public.pem"
  echo "  mailer key         $MAILER_DIR/private.pem opens the sealed verification codes (params.sealed, a JWE)"
  echo "  logs               $LOG_DIR/"
  echo "  stop               deploy/local/stop.sh"
  echo
  echo "  example (from $REPO_ROOT; API paths are listed in each /q/swagger-ui):"
  echo "    curl -i -H \"Authorization: Bearer \$(cat .run/tokens/acme-app.jwt)\" http://127.0.0.1:$(service_port consent-service)/<api-path>"
}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

NOT_READY=()
KAFKA_NODES=1
SERVICE_INSTANCES=1
START_SERVICE=""
INFRA_ONLY=0
while (($#)); do
  case "$1" in
    # 1 or 3: a KRaft quorum of 3 survives the loss of one node, 2 would survive none; 3 pairs of ports fit a slot.
    --brokers) [[ "${2:-}" =~ ^[13]$ ]] || die "--brokers takes 1 or 3"; KAFKA_NODES=$2; shift 2 ;;
    --instances) [[ "${2:-}" =~ ^[1-9]$ ]] || die "--instances takes 1-9"; SERVICE_INSTANCES=$2; shift 2 ;;
    --start-service) START_SERVICE="${2:?--start-service needs a module}"; shift 2 ;;
    --infra-only) INFRA_ONLY=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1 (see deploy/local/run.sh --help)" ;;
  esac
done
# 90 s per service and instance: the JVMs of --instances 2 start together on the same cores (ScaleOutIT saw a second
# instance take longer than 90 s).
SERVICE_WAIT_SECONDS="${SERVICE_WAIT_SECONDS:-$((90 * SERVICE_INSTANCES))}"
# The services, run.sh's tools and admin.properties name every node: any one of them finds the rest.
KAFKA_BOOTSTRAP=""
for ((n = 1; n <= KAFKA_NODES; n++)); do KAFKA_BOOTSTRAP+="${KAFKA_BOOTSTRAP:+,}127.0.0.1:$(kafka_node_port "$n")"; done

guard_run_dir
echo "$LOCAL_RUN_SLOT" >"$RUN_DIR/slot"

if [[ -n "$START_SERVICE" ]]; then
  # bench/startup.sh: one service alone, the broker, PostgreSQL and tokens being up already; prints
  # "launched <pid> <epoch ms>" and returns at once (the caller times /q/health/ready itself).
  setup_postgres
  entry=$(printf '%s\n' "${SERVICES[@]}" | grep "^$START_SERVICE:") || die "no service $START_SERVICE"
  mapfile -t lines < <(common_env)
  start_service "$entry" 1 "${lines[@]}"
  echo "launched $(cat "$PID_DIR/$START_SERVICE.pid") $(($(date +%s%N) / 1000000))"
  exit 0
fi
build_if_needed
resolve_tools_classpath
start_kafka
setup_kafka_access
create_topics
setup_postgres
setup_jwt
if ((INFRA_ONLY)); then
  ok "Kafka, topics, PostgreSQL and tokens are up; no service started (--infra-only)"
  exit 0
fi
start_services
wait_services
register_consent_subscribers
summary
((${#NOT_READY[@]} == 0)) || exit 1
