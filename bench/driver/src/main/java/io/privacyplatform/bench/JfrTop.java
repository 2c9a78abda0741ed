package io.privacyplatform.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's time went, as text for bench/PROFILE.md (JDK 17's {@code jfr} has no {@code view}):
 * {@code JfrTop <file.jfr> [--top 20]} prints the execution samples by thread group, the hottest methods (self),
 * the platform's own methods by inclusive samples, inclusive samples per library bucket (JDBC, Kafka client,
 * Jackson, crypto, …), and blocking socket I/O per remote port (which is PostgreSQL, which the broker).
 */
public final class JfrTop {

    /** Library buckets by package prefix, in the order they are printed. */
    private static final Map<String, List<String>> BUCKETS = new LinkedHashMap<>();

    static {
        BUCKETS.put("PostgreSQL JDBC driver", List.of("org.postgresql."));
        BUCKETS.put("Agroal pool", List.of("io.agroal."));
        BUCKETS.put("Hibernate ORM", List.of("org.hibernate."));
        BUCKETS.put("transactions (Narayana)", List.of("com.arjuna.", "io.quarkus.narayana."));
        BUCKETS.put("Kafka client", List.of("org.apache.kafka."));
        BUCKETS.put("SmallRye messaging", List.of("io.smallrye.reactive.messaging."));
        BUCKETS.put("Jackson", List.of("com.fasterxml.jackson."));
        BUCKETS.put("JWT (smallrye-jwt, jose4j)", List.of("io.smallrye.jwt.", "org.jose4j."));
        BUCKETS.put("crypto (JCA)", List.of("sun.security.", "java.security.", "javax.crypto.", "com.sun.crypto."));
        BUCKETS.put("Vert.x / Netty", List.of("io.vertx.", "io.netty."));
        BUCKETS.put("RESTEasy Reactive", List.of("org.jboss.resteasy.reactive.", "io.quarkus.resteasy.reactive."));
        BUCKETS.put("logging", List.of("org.jboss.logmanager.", "org.jboss.logging."));
        BUCKETS.put("CloudEvents", List.of("io.cloudevents."));
        BUCKETS.put("the platform's code", List.of("io.privacyplatform."));
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(java.util.Arrays.copyOfRange(args, 1, args.length));
        int top = options.integer("top", 20);
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> own = new HashMap<>();
        Map<String, Integer> buckets = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, long[]> sockets = new HashMap<>(); // "read :5432" -> {count, nanos}
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = event.getEventType().getName();
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                RecordedStackTrace stack = event.getStackTrace();
                String thread = event.getThread("sampledThread") == null ? "?"
                        : event.getThread("sampledThread").getJavaName();
                threads.merge(thread == null ? "?" : thread.replaceAll("[0-9]+", "N"), 1, Integer::sum);
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                self.merge(name(stack.getFrames().get(0)), 1, Integer::sum);
                Set<String> seenOwn = new HashSet<>();
                Set<String> seenBucket = new HashSet<>();
                for (RecordedFrame frame : stack.getFrames()) {
                    String method = name(frame);
                    if (method.startsWith("io.privacyplatform.") && seenOwn.add(method)) {
                        own.merge(method, 1, Integer::sum);
                    }
                    for (Map.Entry<String, List<String>> bucket : BUCKETS.entrySet()) {
                        if (bucket.getValue().stream().anyMatch(method::startsWith) && seenBucket.add(bucket.getKey())) {
                            buckets.merge(bucket.getKey(), 1, Integer::sum);
                        }
                    }
                }
            } else if (type.equals("jdk.SocketRead") || type.equals("jdk.SocketWrite")) {
                String key = (type.endsWith("Read") ? "read  " : "write ") + ":" + event.getInt("port");
                long[] sum = sockets.computeIfAbsent(key, k -> new long[2]);
                sum[0]++;
                sum[1] += event.getDuration().toNanos();
            }
        }
        System.out.println("execution samples: " + samples);
        print("by thread (digits folded)", threads, samples, top);
        print("hottest methods (self)", self, samples, top);
        print("the platform's methods (inclusive)", own, samples, top);
        print("inclusive per library", buckets, samples, 100);
        System.out.println("\nblocking socket I/O over the threshold (default 20 ms in 'profile' settings; count, total):");
        sockets.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(top)
                .forEach(e -> System.out.printf("  %-14s %7d  %8.1f s%n", e.getKey(), e.getValue()[0],
                        Duration.ofNanos(e.getValue()[1]).toMillis() / 1000.0));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int total, int top) {
        System.out.println("\n" + title + ":");
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                .forEach(e -> System.out.printf("  %5.1f%%  %6d  %s%n", 100.0 * e.getValue() / Math.max(1, total),
                        e.getValue(), e.getKey()));
    }
}
