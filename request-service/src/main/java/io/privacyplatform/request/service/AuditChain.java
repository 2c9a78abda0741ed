package io.privacyplatform.request.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.privacyplatform.request.AuditChained;
import io.privacyplatform.request.AuditEntry;
import io.privacyplatform.request.repository.AuditEntryRepository;

/**
 * The append-only, hash-chained audit trail of a request. Each entry's
 * {@code hash = hex(SHA-256(prevHash || canonical))}, where {@code prevHash} is the previous entry's hash (64 zeros
 * for the first) and {@code canonical} the UTF-8 JSON object
 * {@code {"seq":<int>,"at":"<yyyy-MM-ddTHH:mm:ss.SSSSSSZ>","actor":"…","action":"…","detail":"…"}} with exactly
 * these fields in this order, no spaces, and {@code at} in UTC with the microsecond precision PostgreSQL stores.
 * The request row keeps the head (last seq and hash), so removing the newest entries is detected as well. Breaches
 * keep their chains the same way, in the same table ({@link AuditChained}).
 */
@ApplicationScoped
public class AuditChain {

    public static final String GENESIS = "0".repeat(64);
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final ObjectMapper CANONICAL = new ObjectMapper();

    public record Verification(boolean valid, Integer brokenAt, int entries) {
    }

    @Inject
    AuditEntryRepository entries;

    /** Appends an entry; the caller holds the record's row lock, which orders the chain. */
    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEntry append(AuditChained record, Instant at, String actor, String action, String detail) {
        AuditEntry entry = new AuditEntry();
        entry.requestId = record.auditChainId();
        entry.seq = record.auditSeq + 1;
        entry.at = at.truncatedTo(ChronoUnit.MICROS);
        // The column holds 200 characters; a token's name is normally far shorter.
        entry.actor = actor.length() > 200 ? actor.substring(0, 200) : actor;
        entry.action = action;
        entry.detail = detail == null ? "" : detail;
        entry.prevHash = record.auditHead == null ? GENESIS : record.auditHead;
        entry.hash = hash(entry.prevHash, canonical(entry));
        entries.persist(entry);
        record.auditAppended(entry.seq, entry.hash);
        return entry;
    }

    public List<AuditEntry> entries(UUID requestId) {
        return entries.ofRequest(requestId);
    }

    /** Recomputes the chain; {@code brokenAt} is the first seq that does not match (or is missing). */
    public Verification verify(AuditChained record) {
        List<AuditEntry> entries = entries(record.auditChainId());
        String prev = GENESIS;
        int expectedSeq = 1;
        for (AuditEntry entry : entries) {
            if (entry.seq != expectedSeq || !prev.equals(entry.prevHash)
                    || !hash(entry.prevHash, canonical(entry)).equals(entry.hash)) {
                return new Verification(false, expectedSeq, entries.size());
            }
            prev = entry.hash;
            expectedSeq++;
        }
        if (entries.size() != record.auditSeq || (record.auditHead != null && !record.auditHead.equals(prev))) {
            return new Verification(false, expectedSeq, entries.size());
        }
        return new Verification(true, null, entries.size());
    }

    /**
     * An entry's detail: a small JSON object of the given name/value pairs, in this order, nulls left out (values are
     * text, numbers, booleans or lists of them).
     */
    public String detail(Object... pairs) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return detail(values);
    }

    /** An entry's detail from name/value pairs in the map's order, nulls left out. */
    public String detail(Map<String, ?> values) {
        ObjectNode node = CANONICAL.createObjectNode();
        values.forEach((name, value) -> {
            if (value != null) {
                node.set(name, CANONICAL.valueToTree(value));
            }
        });
        return write(node);
    }

    public String canonical(AuditEntry entry) {
        ObjectNode node = CANONICAL.createObjectNode();
        node.put("seq", entry.seq);
        node.put("at", AT.format(entry.at));
        node.put("actor", entry.actor);
        node.put("action", entry.action);
        node.put("detail", entry.detail);
        return write(node);
    }

    private static String write(ObjectNode node) {
        try {
            // A plain mapper of our own: the service's ObjectMapper is configurable, the canonical form is not.
            return CANONICAL.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hash(String prevHash, String canonical) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prevHash.getBytes(StandardCharsets.UTF_8));
            sha.update(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
