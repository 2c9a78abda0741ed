package io.privacyplatform.events.payload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.privacyplatform.events.Require;
import io.privacyplatform.events.TenantScoped;

/**
 * A signed statement of request-service's audit chains, on {@code privacy.audit-anchor.v1}: the hash of every audit
 * entry appended since the previous anchor, so that an entry rewritten in the database afterwards no longer matches
 * what was published outside it. Anchors are numbered from 1 and chained ({@code previous} is the digest of the
 * previous anchor's signed form), so a missing or replaced anchor shows too.
 * <p>
 * <b>Signed form</b> ({@link #signedForm()}): {@code {"anchor":n,"entries":count,"entriesDigest":"…",
 * "issuedAt":"yyyy-MM-ddTHH:mm:ssZ","keyId":"…","previous":"…"}}, keys in this (sorted) order, no whitespace, UTF-8;
 * {@code entriesDigest} = hex SHA-256 of one line {@code requestId ":" seq ":" hash "\n"} per entry, in the order of
 * {@code entries} (by request id, then seq). {@code signature} is the base64 Ed25519 signature of the signed form
 * with request-service's audit key {@code keyId} ({@code GET /v1/audit/keys}).
 */
public record AuditAnchor(long anchor, Instant issuedAt, String keyId, String previous, String entriesDigest,
        List<AnchoredEntry> entries, String signature) implements TenantScoped {

    /** An anchor covers the audit of every tenant: it is the platform's event, published under its tenant. */
    public static final String TENANT = "platform";

    /** The previous digest of anchor 1. */
    public static final String GENESIS = "0".repeat(64);

    /** Entries in one anchor: about 130 bytes each, so an anchor stays far below the payload limit. */
    public static final int MAX_ENTRIES = 4000;

    /** Not a field on the wire: always {@link #TENANT}, so an anchor filed under a tenant's id is rejected. */
    @Override
    @JsonIgnore
    public String tenantId() {
        return TENANT;
    }

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** One audit entry as anchored: its request, its position in the request's chain and its hash. */
    public record AnchoredEntry(String requestId, int seq, String hash) {

        public AnchoredEntry {
            Require.text(requestId, "requestId");
            if (seq < 1) {
                throw new IllegalArgumentException("seq must be at least 1");
            }
            requireHex(hash, "hash");
        }
    }

    public AuditAnchor {
        if (anchor < 1) {
            throw new IllegalArgumentException("anchor must be at least 1");
        }
        Require.present(issuedAt, "issuedAt");
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("keyId must match " + KEY_ID.pattern());
        }
        requireHex(previous, "previous");
        requireHex(entriesDigest, "entriesDigest");
        entries = List.copyOf(Require.notEmpty(entries, "entries"));
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("an anchor holds at most " + MAX_ENTRIES + " entries");
        }
        Require.text(signature, "signature");
    }

    /** An anchor of {@code entries} (ordered by request id, then seq) before it is signed: sign its signed form. */
    public static AuditAnchor of(long anchor, Instant issuedAt, String keyId, String previous,
            List<AnchoredEntry> entries, Signer signer) {
        Instant at = issuedAt.truncatedTo(ChronoUnit.SECONDS);
        String digest = digestOf(entries);
        String signature = signer.sign(signedForm(anchor, at, keyId, previous, entries.size(), digest)
                .getBytes(StandardCharsets.UTF_8));
        return new AuditAnchor(anchor, at, keyId, previous, digest, entries, signature);
    }

    /** Signs the UTF-8 bytes of an anchor's signed form, answering the base64 signature. */
    @FunctionalInterface
    public interface Signer {
        String sign(byte[] signedForm);
    }

    /** What {@link #signature} signs. */
    public String signedForm() {
        return signedForm(anchor, issuedAt, keyId, previous, entries.size(), entriesDigest);
    }

    /** The {@code previous} of the next anchor: hex SHA-256 of this one's signed form. */
    @JsonIgnore
    public String digest() {
        return sha256(signedForm());
    }

    /** Whether {@link #entriesDigest} is the digest of the {@link #entries} carried. */
    @JsonIgnore
    public boolean entriesMatchDigest() {
        return digestOf(entries).equals(entriesDigest);
    }

    public static String digestOf(List<AnchoredEntry> entries) {
        StringBuilder lines = new StringBuilder();
        for (AnchoredEntry entry : entries) {
            lines.append(entry.requestId()).append(':').append(entry.seq()).append(':').append(entry.hash())
                    .append('\n');
        }
        return sha256(lines.toString());
    }

    private static String signedForm(long anchor, Instant issuedAt, String keyId, String previous, int entries,
            String entriesDigest) {
        // Written by hand: the fields are numbers, hex, a key id ([A-Za-z0-9._-]) and an instant, none needs escaping.
        return "{\"anchor\":" + anchor + ",\"entries\":" + entries + ",\"entriesDigest\":\"" + entriesDigest
                + "\",\"issuedAt\":\"" + issuedAt.truncatedTo(ChronoUnit.SECONDS) + "\",\"keyId\":\"" + keyId
                + "\",\"previous\":\"" + previous + "\"}";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireHex(String value, String field) {
        if (value == null || !HEX_64.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 64 lower-case hex characters");
        }
    }
}
