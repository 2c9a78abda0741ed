# shellcheck shell=bash
# Helpers of the Java driver's scripts (commit-latency.sh, erasure-fanout.sh): the driver writes figure=value
# lines; these read them and do the arithmetic of a result row. Depends only on the bench interface.

# figure <file> <name> -> the value, or "FAILED" when the driver did not write it.
figure() { local v; v=$(grep -m1 "^$2=" "$1" 2>/dev/null | cut -d= -f2-) || true; echo "${v:-FAILED}"; }

# ratio <value> <baseline> -> value / baseline, 2 decimals, "n/a" when either is no number.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.eE+-]+$/ && b ~ /^[0-9.eE+-]+$/ && b+0 != 0) printf "%.2f", a/b; else print "n/a" }'; }

# met <value> <le|ge> <limit> -> yes / no / n/a
met() {
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { if (v !~ /^[0-9.eE+-]+$/) { print "n/a"; exit }
    if (op == "ge") print (v+0 >= l+0 ? "yes" : "no"); else print (v+0 <= l+0 ? "yes" : "no") }'
}

# A scratch topic for a Kafka baseline tool (3 partitions like the platform's topics), created with the admin login.
scratch_topic() {
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" \
    --create --if-not-exists --topic "$1" --partitions "${2:-3}" --replication-factor 1 >/dev/null
}
delete_topic() {
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG" \
    --delete --topic "$1" >/dev/null 2>&1 || true
}
