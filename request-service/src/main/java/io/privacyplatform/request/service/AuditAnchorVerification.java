package io.privacyplatform.request.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AuditAnchor;
import io.privacyplatform.events.payload.AuditAnchor.AnchoredEntry;
import io.privacyplatform.request.AnchorProblem;
import io.privacyplatform.request.AuditEntry;
import io.privacyplatform.request.AuditMismatch;
import io.privacyplatform.request.repository.AuditEntryRepository;
import io.privacyplatform.support.error.ApiException;
import io.smallrye.common.annotation.Identifier;

/**
 * Recomputes the audit chains from the database and compares them with the anchors READ BACK FROM KAFKA, not with
 * the database's own copy of them: a rewriter of the database can change that copy but not what was published.
 * An anchor counts only with a valid signature of a published key and entries that match its signed digest; the
 * anchors must be numbered 1…n without gaps and each must name the digest of the one before it.
 */
@ApplicationScoped
public class AuditAnchorVerification {

    private static final Duration READ_WITHIN = Duration.ofSeconds(30);
    /** Requests whose chains one query loads. */
    private static final int REQUESTS_PER_QUERY = 500;

    public record ProblemAnchor(long anchor, AnchorProblem problem) {
    }

    /** The first entry of a request that no longer matches: {@code seq} names the rewritten (or missing) row. */
    public record Mismatch(UUID requestId, int seq, long anchor, AuditMismatch problem) {
    }

    /**
     * {@code valid}: every anchor is sound and every anchored entry matches. Only what was anchored is checked:
     * entries newer than {@code anchoredUntil} are covered by the chain alone.
     */
    public record Report(boolean valid, int anchors, Instant anchoredUntil, long anchoredEntries, int requests,
            int unreadableRecords, List<ProblemAnchor> anchorProblems, List<Mismatch> mismatches) {
    }

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    EventCodec codec;

    @Inject
    AuditSigningKeys keys;

    @Inject
    AuditEntryRepository entries;

    @Inject
    AuditChain chain;

    public Report verify() {
        List<ProblemAnchor> problems = new ArrayList<>();
        List<AuditAnchor> read = readAnchors();
        int unreadable = (int) read.stream().filter(java.util.Objects::isNull).count();
        Map<Long, AuditAnchor> sound = soundAnchors(read.stream().filter(java.util.Objects::nonNull).toList(),
                problems);
        // requestId -> seq -> (hash, anchor)
        Map<UUID, TreeMap<Integer, AnchoredEntry>> anchored = new HashMap<>();
        Map<AnchoredEntry, Long> anchorOf = new HashMap<>();
        long count = 0;
        for (AuditAnchor anchor : sound.values()) {
            for (AnchoredEntry entry : anchor.entries()) {
                anchored.computeIfAbsent(UUID.fromString(entry.requestId()), id -> new TreeMap<>())
                        .put(entry.seq(), entry);
                anchorOf.putIfAbsent(entry, anchor.anchor());
                count++;
            }
        }
        List<Mismatch> mismatches = new ArrayList<>();
        List<UUID> requestIds = new ArrayList<>(anchored.keySet());
        requestIds.sort(Comparator.naturalOrder());
        for (int from = 0; from < requestIds.size(); from += REQUESTS_PER_QUERY) {
            List<UUID> batch = requestIds.subList(from, Math.min(requestIds.size(), from + REQUESTS_PER_QUERY));
            Map<UUID, List<AuditEntry>> chains = new HashMap<>();
            entries.ofRequests(batch).forEach(e -> chains.computeIfAbsent(e.requestId, id -> new ArrayList<>()).add(e));
            for (UUID requestId : batch) {
                Mismatch mismatch = firstMismatch(requestId, chains.getOrDefault(requestId, List.of()),
                        anchored.get(requestId), anchorOf);
                if (mismatch != null) {
                    mismatches.add(mismatch);
                }
            }
        }
        Instant until = sound.values().stream().map(AuditAnchor::issuedAt).max(Comparator.naturalOrder()).orElse(null);
        problems.sort(Comparator.comparingLong(ProblemAnchor::anchor));
        return new Report(unreadable == 0 && problems.isEmpty() && mismatches.isEmpty(), sound.size(), until, count,
                anchored.size(), unreadable, problems, mismatches);
    }

    /** Recomputes the chain from the entries' content; the first anchored seq whose hash differs is the answer. */
    private Mismatch firstMismatch(UUID requestId, List<AuditEntry> chainEntries,
            TreeMap<Integer, AnchoredEntry> anchoredEntries, Map<AnchoredEntry, Long> anchorOf) {
        Map<Integer, String> recomputed = new HashMap<>();
        String prev = AuditChain.GENESIS;
        int expectedSeq = 1;
        for (AuditEntry entry : chainEntries) {
            if (entry.seq != expectedSeq) {
                break;
            }
            prev = AuditChain.hash(prev, chain.canonical(entry));
            recomputed.put(entry.seq, prev);
            expectedSeq++;
        }
        for (AnchoredEntry entry : anchoredEntries.values()) {
            String actual = recomputed.get(entry.seq());
            if (actual == null) {
                return new Mismatch(requestId, entry.seq(), anchorOf.get(entry), AuditMismatch.MISSING);
            }
            if (!actual.equals(entry.hash())) {
                return new Mismatch(requestId, entry.seq(), anchorOf.get(entry), AuditMismatch.REWRITTEN);
            }
        }
        return null;
    }

    /** The anchors that can be relied on, by number; what is wrong with the others goes to {@code problems}. */
    private Map<Long, AuditAnchor> soundAnchors(List<AuditAnchor> read, List<ProblemAnchor> problems) {
        Map<Long, AuditAnchor> sound = new TreeMap<>();
        for (AuditAnchor anchor : read) {
            byte[] signed = anchor.signedForm().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (keys.published().stream().noneMatch(k -> k.keyId().equals(anchor.keyId()))) {
                problems.add(new ProblemAnchor(anchor.anchor(), AnchorProblem.UNKNOWN_KEY));
            } else if (!keys.verify(anchor.keyId(), signed, anchor.signature())) {
                problems.add(new ProblemAnchor(anchor.anchor(), AnchorProblem.BAD_SIGNATURE));
            } else if (!anchor.entriesMatchDigest()) {
                problems.add(new ProblemAnchor(anchor.anchor(), AnchorProblem.ENTRIES_DIGEST));
            } else {
                AuditAnchor earlier = sound.putIfAbsent(anchor.anchor(), anchor);
                // The relay may publish an anchor twice (same event after a broker outage): only a different one is
                // a conflict.
                if (earlier != null && !earlier.equals(anchor)) {
                    problems.add(new ProblemAnchor(anchor.anchor(), AnchorProblem.CONFLICT));
                }
            }
        }
        long newest = sound.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        for (long number = 1; number <= newest; number++) {
            AuditAnchor anchor = sound.get(number);
            if (anchor == null) {
                problems.add(new ProblemAnchor(number, AnchorProblem.MISSING));
                continue;
            }
            AuditAnchor before = sound.get(number - 1);
            String expected = number == 1 ? AuditAnchor.GENESIS : before == null ? null : before.digest();
            if (expected != null && !expected.equals(anchor.previous())) {
                problems.add(new ProblemAnchor(number, AnchorProblem.BROKEN_LINK));
            }
        }
        return sound;
    }

    /**
     * Every anchor on the topic, from its beginning to its current end ({@code null} for a record that is none).
     * 503 when the broker cannot be read.
     */
    private List<AuditAnchor> readAnchors() {
        Properties props = new Properties();
        props.putAll(kafkaConfig);
        // Read-only and without a group: nothing is committed, every verification reads everything.
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "audit-anchor-verification");
        List<AuditAnchor> anchors = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUDIT_ANCHOR, READ_WITHIN).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_WITHIN);
            long deadline = System.nanoTime() + READ_WITHIN.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new org.apache.kafka.common.errors.TimeoutException("reading " + Topics.AUDIT_ANCHOR);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    anchors.add(decode(record));
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new ApiException(503, "anchors_unavailable",
                    "the audit anchors could not be read from " + Topics.AUDIT_ANCHOR + ": " + e.getMessage(), null);
        }
        return anchors;
    }

    private AuditAnchor decode(ConsumerRecord<String, byte[]> record) {
        try {
            return codec.decode(EventEnvelope.fromRecord(record), AuditAnchor.class);
        } catch (RuntimeException e) {
            // Not an anchor at all (counted as unreadable: the topic should hold nothing else).
            return null;
        }
    }
}
