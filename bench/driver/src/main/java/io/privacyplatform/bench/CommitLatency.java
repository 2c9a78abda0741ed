package io.privacyplatform.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

import io.privacyplatform.events.Topics;

/**
 * Issue 13, item 2: from a consent's 201 to its {@code ConsentChanged} being readable by a {@code read_committed}
 * consumer. A consumer on every partition of the consent topic (admin principal, assigned at the end, no group)
 * is ready first; then {@code POST /v1/consents} (random subject, one of 8 purposes, acme-app token,
 * Idempotency-Key) goes out at a fixed open-loop rate ({@code --rate R}: request i is due at {@code i/R} seconds,
 * whatever the answers before it did, and its REST latency counts from that due time, so a stalled service is not
 * hidden by the load generator waiting for it), or, with {@code --rate 0}, one at a time with 50 ms pauses (idle).
 * Each event read is matched to its 201 by consent id: commit-to-consumer latency = read time - 201 time, both on
 * this JVM's monotonic clock. A read before the 201 (the relay can beat the HTTP answer) counts as 0 and is
 * counted. Writes {@code figure=value} lines to {@code --out}.
 */
public final class CommitLatency {

    /** The purposes bench/lib/common.sh creates too (bench-&lt;category&gt;), so both drivers write the same data. */
    static final List<String> CATEGORIES = List.of("marketing_email", "analytics", "advertising", "social", "survey",
            "live_chat", "service", "other");

    private static final int MAX_IN_FLIGHT = 1024;

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        String consentUrl = options.text("consent-url");
        String appToken = Rest.token(options.path("app-token-file"));
        String adminToken = Rest.token(options.path("admin-token-file"));
        Properties kafka = KafkaSettings.load(options.path("kafka-config"));
        double rate = options.decimal("rate", 0);
        int seconds = options.integer("seconds", 20);
        int warmup = options.integer("warmup", 5);
        int idleSamples = options.integer("samples", 500);

        Rest rest = new Rest(4);
        ensurePurposes(rest, consentUrl, adminToken);

        Map<String, Long> readAt = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch consumerReady = new CountDownLatch(1);
        Thread consumer = new Thread(() -> consume(kafka, readAt, stop, consumerReady), "consent-consumer");
        consumer.start();
        if (!consumerReady.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the consumer did not get its partitions within 60 s");
        }

        // consent id -> 201 time (nanoTime), for the requests inside the measured window only
        Map<String, Long> answeredAt = new ConcurrentHashMap<>();
        List<double[]> restMillis = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        // Requests the open loop did not send because too many were still unanswered: the service fell behind the
        // rate. Not the service's errors (non-201 answers, failures), which are counted apart.
        AtomicLong shed = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        long measuredFrom;
        long measuredUntil;
        if (rate <= 0) {
            double[] rests = new double[idleSamples];
            int warm = Math.min(20, idleSamples / 10);
            for (int i = -warm; i < idleSamples; i++) {
                long t0 = System.nanoTime();
                Rest.Answer answer = rest.postAsync(consentUrl + "/v1/consents", appToken, consentBody()).get(30,
                        TimeUnit.SECONDS);
                long t1 = System.nanoTime();
                sent.incrementAndGet();
                if (answer.status() != 201) {
                    errors.incrementAndGet();
                } else if (i >= 0) {
                    rests[i] = (t1 - t0) / 1e6;
                    answeredAt.put(answer.json().path("consentId").asText(), t1);
                }
                Thread.sleep(50);
            }
            restMillis.add(rests);
            measuredFrom = start;
            measuredUntil = System.nanoTime();
        } else {
            long intervalNanos = (long) (1e9 / rate);
            long total = (long) (rate * (warmup + seconds));
            measuredFrom = start + TimeUnit.SECONDS.toNanos(warmup);
            measuredUntil = start + TimeUnit.SECONDS.toNanos(warmup + seconds);
            double[] rests = new double[(int) Math.max(1, rate * seconds + 16)];
            AtomicLong restCount = new AtomicLong();
            AtomicLong inFlight = new AtomicLong();
            CountDownLatch done = new CountDownLatch((int) total);
            for (long i = 0; i < total; i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (inFlight.get() >= MAX_IN_FLIGHT) { // the service is far behind: count, do not pile up
                    shed.incrementAndGet();
                    done.countDown();
                    continue;
                }
                inFlight.incrementAndGet();
                sent.incrementAndGet();
                boolean measured = due >= measuredFrom;
                rest.postAsync(consentUrl + "/v1/consents", appToken, consentBody()).whenComplete((answer, failure) -> {
                    long now = System.nanoTime();
                    inFlight.decrementAndGet();
                    if (failure != null || answer.status() != 201) {
                        errors.incrementAndGet();
                    } else if (measured) {
                        int slot = (int) restCount.getAndIncrement();
                        if (slot < rests.length) {
                            rests[slot] = (now - due) / 1e6;
                        }
                        answeredAt.put(answer.json().path("consentId").asText(), now);
                    }
                    done.countDown();
                });
            }
            if (!done.await(60, TimeUnit.SECONDS)) {
                System.err.println("warn: " + done.getCount() + " requests still unanswered after 60 s");
            }
            restMillis.add(java.util.Arrays.copyOf(rests, (int) Math.min(rests.length, restCount.get())));
        }
        long sendEnd = System.nanoTime();

        // Events may still be on their way: wait for every answered consent's event, at most 30 s.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !answeredAt.keySet().stream().allMatch(readAt::containsKey)) {
            Thread.sleep(20);
        }
        stop.set(true);
        consumer.join(10_000);

        List<Double> commit = new ArrayList<>();
        long negatives = 0;
        long missing = 0;
        for (Map.Entry<String, Long> entry : answeredAt.entrySet()) {
            Long read = readAt.get(entry.getKey());
            if (read == null) {
                missing++;
                continue;
            }
            long latency = read - entry.getValue();
            if (latency < 0) {
                negatives++;
                latency = 0;
            }
            commit.add(latency / 1e6);
        }
        Percentiles restP = new Percentiles(restMillis.get(0));
        Percentiles commitP = new Percentiles(commit.stream().mapToDouble(Double::doubleValue).toArray());
        double windowSeconds = rate <= 0 ? (measuredUntil - measuredFrom) / 1e9 : seconds;

        Figures figures = new Figures();
        figures.put("rate-target", rate);
        figures.put("rate-achieved", restP.count() / windowSeconds);
        figures.put("sent", sent.get());
        figures.put("measured", restP.count());
        figures.put("errors", errors.get());
        figures.put("shed", shed.get());
        figures.put("rest-p50-ms", restP.at(50));
        figures.put("rest-p99-ms", restP.at(99));
        figures.put("rest-max-ms", restP.max());
        figures.put("commit-p50-ms", commitP.at(50));
        figures.put("commit-p99-ms", commitP.at(99));
        figures.put("commit-max-ms", commitP.max());
        figures.put("commit-samples", commitP.count());
        figures.put("read-before-201", negatives);
        figures.put("events-missing", missing);
        figures.put("send-seconds", (sendEnd - start) / 1e9);
        figures.write(options.path("out"));
        System.exit(0); // the HttpClient's executor threads are not daemons
    }

    static String consentBody() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String purpose = "bench-" + CATEGORIES.get(random.nextInt(CATEGORIES.size()));
        String decision = random.nextBoolean() ? "granted" : "withdrawn";
        return "{\"subjectId\":\"bench-lat-" + Long.toHexString(random.nextLong()) + "\",\"purpose\":\"" + purpose
                + "\",\"decision\":\"" + decision + "\",\"channel\":\"web\"}";
    }

    /** Creates the 8 purposes the load writes to, where missing (PUT is idempotent; GET first keeps re-runs quiet). */
    static void ensurePurposes(Rest rest, String consentUrl, String adminToken) throws Exception {
        Rest.Answer list = rest.get(consentUrl + "/v1/purposes", adminToken);
        if (list.status() != 200) {
            throw new IllegalStateException("GET /v1/purposes answered " + list.status() + ": " + list.body());
        }
        String existing = list.body();
        for (String category : CATEGORIES) {
            if (existing.contains("\"bench-" + category + "\"")) {
                continue;
            }
            String basis = category.equals("service") ? "contract" : "consent";
            Rest.Answer put = rest.send("PUT", consentUrl + "/v1/purposes/bench-" + category, adminToken,
                    "{\"title\":\"Bench " + category + "\",\"category\":\"" + category
                            + "\",\"defaultLawfulBasis\":\"" + basis + "\"}");
            if (put.status() / 100 != 2) {
                throw new IllegalStateException("PUT purpose bench-" + category + " answered " + put.status() + ": "
                        + put.body());
            }
        }
    }

    private static void consume(Properties kafka, Map<String, Long> readAt, AtomicBoolean stop,
            CountDownLatch ready) {
        Properties properties = new Properties();
        properties.putAll(kafka);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CONSENT_CHANGED, Duration.ofSeconds(30))
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end offsets now, before any request goes out
            ready.countDown();
            while (!stop.get()) {
                var records = consumer.poll(Duration.ofMillis(20));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    try {
                        JsonNode payload = Rest.JSON.readTree(record.value());
                        readAt.putIfAbsent(payload.path("consentId").asText(), now);
                    } catch (Exception e) {
                        System.err.println("warn: unreadable consent event at offset " + record.offset());
                    }
                }
            }
        }
    }
}
