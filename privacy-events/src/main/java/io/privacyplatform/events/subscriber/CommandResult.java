package io.privacyplatform.events.subscriber;

import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.privacyplatform.events.RecordDigest;
import io.privacyplatform.events.Require;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.Retained;

/**
 * What a {@link CommandHandler} reports; {@link StoreRules#acks} turns it into the {@code CommandAck} (or an
 * export's parts).
 * {@code records} and {@code digest} describe the affected records (see {@link RecordDigest}); {@code detail} is a
 * reason or error text without personal data; {@code data} is the exported data and is sent for EXPORT commands
 * only (ignored, with a warning, for any other kind).
 */
public record CommandResult(AckOutcome outcome, long records, String digest, String detail, JsonNode data,
        List<Retained> retained) {

    public CommandResult {
        Require.present(outcome, "outcome");
        if (records < 0) {
            throw new IllegalArgumentException("records must not be negative");
        }
        retained = retained == null ? List.of() : List.copyOf(retained);
    }

    /** A result that retained nothing. */
    public CommandResult(AckOutcome outcome, long records, String digest, String detail, JsonNode data) {
        this(outcome, records, digest, detail, data, List.of());
    }

    /** Done; {@code affectedIds} are the ids of the records erased, restricted, rectified … (duplicates count once). */
    public static CommandResult done(Collection<String> affectedIds) {
        return new CommandResult(AckOutcome.DONE, RecordDigest.count(affectedIds), RecordDigest.of(affectedIds), null,
                null);
    }

    /** Done, for a store that counts and digests the affected records itself. */
    public static CommandResult done(long records, String digest) {
        return new CommandResult(AckOutcome.DONE, records, Require.text(digest, "digest"), null, null);
    }

    /** The store holds nothing about the subject (or, for PURGE, nothing older than the cutoff). */
    public static CommandResult notFound() {
        return new CommandResult(AckOutcome.NOT_FOUND, 0, RecordDigest.EMPTY, null, null);
    }

    /** Not carried out because something must keep the data (a legal hold, …); {@code reason} says what. */
    public static CommandResult held(String reason) {
        return new CommandResult(AckOutcome.HELD, 0, null, Require.text(reason, "reason"), null);
    }

    /** Could not be carried out now; the issuer retries. {@code detail} must not contain personal data. */
    public static CommandResult failed(String detail) {
        return new CommandResult(AckOutcome.FAILED, 0, null, Require.text(detail, "detail"), null);
    }

    /** An EXPORT's answer: the ids of the exported records and the data itself. */
    public static CommandResult exported(Collection<String> ids, JsonNode data) {
        return new CommandResult(AckOutcome.DONE, RecordDigest.count(ids), RecordDigest.of(ids), null,
                Require.present(data, "data"));
    }

    public CommandResult withDetail(String newDetail) {
        return new CommandResult(outcome, records, digest, newDetail, data, retained);
    }

    /**
     * This result naming what the store KEPT of the subject's data instead of erasing it, and why: the ack carries
     * it and the certificate lists it as retained, never as deleted.
     */
    public CommandResult withRetained(List<Retained> kept) {
        return new CommandResult(outcome, records, digest, detail, data, kept);
    }
}
