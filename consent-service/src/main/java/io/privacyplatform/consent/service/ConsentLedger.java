package io.privacyplatform.consent.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.consent.Channel;
import io.privacyplatform.consent.ConsentRecord;
import io.privacyplatform.consent.Decision;
import io.privacyplatform.consent.EffectiveDecision;
import io.privacyplatform.consent.LawfulBasis;
import io.privacyplatform.consent.Purpose;
import io.privacyplatform.consent.PurposeCategory;
import io.privacyplatform.support.mapping.WireValue;
import io.privacyplatform.consent.config.ConsentConfig;
import io.privacyplatform.consent.repository.ConsentRecordRepository;
import io.privacyplatform.consent.repository.PolicyVersionRepository;
import io.privacyplatform.consent.repository.PurposeRepository;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.error.ErrorResponse.FieldProblem;
import io.privacyplatform.support.outbox.Outbox;

/**
 * The consent ledger: every decision is a new record, the current state per purpose follows it in the same
 * transaction, and a {@code ConsentChanged} event is written to the outbox with it. Writes of one subject are
 * serialised, so its events leave in the order of its records.
 */
@ApplicationScoped
public class ConsentLedger {

    public static final int MAX_BATCH = 1000;
    static final int MAX_SUBJECT_ID = 200;
    static final int MAX_IP = 45;
    static final int MAX_USER_AGENT = 500;
    static final int MAX_TEXT = 2000;

    @Inject
    ConsentRecordRepository records;

    @Inject
    PurposeRepository purposes;

    @Inject
    PolicyVersionRepository versions;

    @Inject
    SubjectRestrictions restrictions;

    @Inject
    Outbox outbox;

    @Inject
    SubjectPseudonym pseudonym;

    @Inject
    ConsentConfig config;

    @Inject
    Clock clock;

    /** What one request recorded: its own records in request order, then those Global Privacy Control caused. */
    public record Outcome(List<ConsentRecord> records, List<ConsentRecord> gpcWithdrawals) {
    }

    /**
     * The state per purpose at an instant, with whether each needs consent again after a material policy change, and
     * whether the subject was under a restriction of processing then (then no grant is effective).
     */
    public record State(Instant asOf, boolean restricted, List<PurposeState> purposes) {
    }

    public record PurposeState(ConsentRecord record, boolean reconsentRequired, EffectiveDecision effective) {
    }

    /**
     * Records the decisions of one request, all or nothing.
     *
     * @param batch whether the inputs came as {@code records[]} (field paths and indexes name the item)
     * @param gpc whether the request carried {@code Sec-GPC: 1}
     */
    @Transactional
    public Outcome record(String tenantId, List<ConsentInput> inputs, boolean batch, boolean gpc) {
        return record(tenantId, inputs, batch, gpc, true);
    }

    /**
     * Records one decision in the caller's transaction, which already holds the subject's lock stripe (group
     * commit: {@link ConsentGroupCommit} takes the stripes of a whole batch at once, in ascending order). Not
     * {@code @Transactional} on purpose: an {@link ApiException} (a refused decision) must not mark the shared
     * transaction for rollback; the caller rolls back to the decision's savepoint instead.
     */
    public Outcome recordHoldingLock(String tenantId, ConsentInput input, boolean gpc) {
        return record(tenantId, List.of(input), false, gpc, false);
    }

    private Outcome record(String tenantId, List<ConsentInput> inputs, boolean batch, boolean gpc,
            boolean lock) {
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            validate(inputs.get(i), batch ? "records[" + i + "]." : "", batch ? i : null, problems);
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        Map<String, Purpose> purposes = resolvePurposes(tenantId, inputs, batch);
        resolvePolicyVersions(tenantId, inputs, batch);
        refuseGrantsAgainstGpc(inputs, purposes, batch, gpc);

        Set<String> subjects = new LinkedHashSet<>();
        inputs.forEach(input -> subjects.add(input.subjectId()));
        if (lock) {
            lockSubjects(tenantId, subjects);
        }
        refuseGrantsWhileRestricted(tenantId, inputs, purposes, batch);

        Instant now = clock.instant();
        List<ConsentRecord> written = new ArrayList<>();
        Map<String, Channel> channelOfSubject = new HashMap<>();
        for (ConsentInput input : inputs) {
            Purpose purpose = purposes.get(input.purpose());
            Channel channel = input.channel() == null ? Channel.API : valid(Channel.class, input.channel());
            channelOfSubject.putIfAbsent(input.subjectId(), channel);
            written.add(append(tenantId, input.subjectId(), purpose, valid(Decision.class, input.decision()),
                    input.lawfulBasis() == null ? purpose.defaultLawfulBasis
                            : valid(LawfulBasis.class, input.lawfulBasis()),
                    input.policyVersion(), channel, gpc, input.evidence(),
                    input.occurredAt() == null ? now : input.occurredAt(), null));
        }
        List<ConsentRecord> gpcWithdrawals = new ArrayList<>();
        if (gpc) {
            for (String subject : subjects) {
                gpcWithdrawals.addAll(withdrawAdvertising(tenantId, subject, channelOfSubject.get(subject), now));
            }
        }
        return new Outcome(written, gpcWithdrawals);
    }

    /**
     * Global Privacy Control opts the subject out of every advertising purpose it has currently granted (a purpose
     * it never granted, or already withdrew or denied, needs no new record).
     */
    private List<ConsentRecord> withdrawAdvertising(String tenantId, String subjectId, Channel channel, Instant now) {
        List<ConsentRecord> withdrawn = new ArrayList<>();
        for (ConsentRecord current : records.current(tenantId, subjectId)) {
            Optional<Purpose> purpose = purposes.findByPurposeId(tenantId, current.purposeId);
            if (purpose.isPresent() && purpose.get().category == PurposeCategory.ADVERTISING
                    && current.decision == Decision.GRANTED) {
                withdrawn.add(withdraw(current, purpose.get(), channel, true, null, now));
            }
        }
        return withdrawn;
    }

    /**
     * Records {@code withdrawn} for a purpose whose current record is {@code current}, keeping its lawful basis
     * and policy version. The caller holds the subject's lock.
     */
    public ConsentRecord withdraw(ConsentRecord current, Purpose purpose, Channel channel, boolean gpc,
            String requestId, Instant occurredAt) {
        return append(current.tenantId, current.subjectId, purpose, Decision.WITHDRAWN, current.lawfulBasis,
                current.policyVersion, channel, gpc, null, occurredAt, requestId);
    }

    /** Appends one record, moves the current state, and writes its event. The caller holds the subject's lock. */
    public ConsentRecord append(String tenantId, String subjectId, Purpose purpose, Decision decision,
            LawfulBasis lawfulBasis, String policyVersion, Channel channel, boolean gpc, ConsentInput.Evidence evidence,
            Instant occurredAt, String requestId) {
        ConsentRecord record = new ConsentRecord();
        record.consentId = UUID.randomUUID();
        record.eventId = UUID.randomUUID();
        record.tenantId = tenantId;
        record.subjectId = subjectId;
        record.purposeId = purpose.purposeId;
        record.category = purpose.category;
        record.decision = decision;
        record.lawfulBasis = lawfulBasis;
        record.policyVersion = policyVersion;
        record.channel = channel;
        record.gpc = gpc;
        if (evidence != null) {
            record.evidenceIp = evidence.ipAddress();
            record.evidenceUserAgent = evidence.userAgent();
            record.evidenceText = evidence.text();
        }
        record.occurredAt = occurredAt;
        record.recordedAt = clock.instant();
        record.requestId = requestId;
        records.persistAndFlush(record);
        records.advanceCurrent(record);
        ConsentChanged event = ConsentChanged.of(record.eventId, tenantId, subjectId, purpose.purposeId,
                purpose.category.wire(), decision.wire(), lawfulBasis.wire(), policyVersion, channel.wire(), gpc,
                occurredAt, record.consentId);
        outbox.publish(event.eventId(), tenantId, pseudonym.of(tenantId, subjectId), event);
        return record;
    }

    /**
     * Takes the write locks of the subjects, at most {@link ConsentRecordRepository#SUBJECT_LOCK_STRIPES} lock
     * stripes in ascending order, so that two batches cannot deadlock and no batch fills the lock table. Once per
     * transaction: the locks of a second call could be taken crosswise with another transaction's.
     */
    public void lockSubjects(String tenantId, Set<String> subjects) {
        records.lockSubjects(tenantId, subjects);
    }

    @Transactional
    public Optional<State> state(String tenantId, String subjectId, Instant asOf) {
        Instant at = asOf == null ? clock.instant() : asOf;
        List<ConsentRecordRepository.StateRow> rows = records.stateRows(tenantId, subjectId, asOf, at);
        if (rows.isEmpty()) {
            // No decision (at asOf): an unknown subject is a 404; a known one has an empty state.
            if (!records.subjectKnown(tenantId, subjectId)) {
                return Optional.empty();
            }
            return Optional.of(new State(at, restrictedAt(restrictions.restrictedSince(tenantId, subjectId), at),
                    List.of()));
        }
        ConsentRecordRepository.StateRow first = rows.get(0);
        Optional<Instant> material = Optional.ofNullable(first.latestMaterialAt());
        Map<String, Instant> effective = new HashMap<>();
        rows.forEach(row -> {
            if (row.versionEffectiveAt() != null) {
                effective.put(row.record().policyVersion, row.versionEffectiveAt());
            }
        });
        boolean restricted = restrictedAt(Optional.ofNullable(first.restrictedAt()), at);
        List<PurposeState> purposes = new ArrayList<>();
        for (ConsentRecordRepository.StateRow row : rows) {
            purposes.add(new PurposeState(row.record(), reconsentRequired(row.record(), material, effective),
                    EffectiveDecision.of(row.record().decision, restricted)));
        }
        return Optional.of(new State(at, restricted, purposes));
    }

    /** A restriction holds from when it was set until it is lifted (a lifted one leaves no row). */
    private static boolean restrictedAt(Optional<Instant> since, Instant at) {
        return since.filter(s -> !s.isAfter(at)).isPresent();
    }

    /**
     * One page of the subject's decisions, newest first, after the keyset position ({@code afterAt},
     * {@code afterId}); one row more than {@code size} when there is a next page. Empty when the subject is unknown.
     */
    @Transactional
    public Optional<List<ConsentRecord>> history(String tenantId, String subjectId, String purpose, Instant afterAt,
            Long afterId, int size) {
        List<ConsentRecord> rows = records.history(tenantId, subjectId, purpose, afterAt, afterId, size);
        // Rows prove the subject known; only an empty page needs the second query.
        if (rows.isEmpty() && !records.subjectKnown(tenantId, subjectId)) {
            return Optional.empty();
        }
        return Optional.of(rows);
    }

    /**
     * A consent-based grant recorded under a policy version older than the latest material version in effect (or
     * under none) must be asked for again; a new decision under the new version clears it.
     */
    static boolean reconsentRequired(ConsentRecord record, Optional<Instant> latestMaterial,
            Map<String, Instant> effectiveOfVersion) {
        if (latestMaterial.isEmpty() || record.lawfulBasis != LawfulBasis.CONSENT
                || record.decision != Decision.GRANTED) {
            return false;
        }
        Instant recordedUnder = record.policyVersion == null ? null : effectiveOfVersion.get(record.policyVersion);
        return recordedUnder == null || recordedUnder.isBefore(latestMaterial.get());
    }

    private void validate(ConsentInput input, String prefix, Integer index, List<FieldProblem> problems) {
        if (input == null) {
            problems.add(new FieldProblem(prefix.isEmpty() ? "$" : prefix.substring(0, prefix.length() - 1),
                    "a record is required", index));
            return;
        }
        text(input.subjectId(), prefix + "subjectId", MAX_SUBJECT_ID, true, index, problems);
        text(input.purpose(), prefix + "purpose", 100, true, index, problems);
        text(input.policyVersion(), prefix + "policyVersion", 100, false, index, problems);
        enumeration(Decision.class, input.decision(), prefix + "decision", true, index, problems);
        enumeration(LawfulBasis.class, input.lawfulBasis(), prefix + "lawfulBasis", false, index, problems);
        enumeration(Channel.class, input.channel(), prefix + "channel", false, index, problems);
        if (input.evidence() != null) {
            ConsentInput.Evidence evidence = input.evidence();
            text(evidence.ipAddress(), prefix + "evidence.ipAddress", MAX_IP, false, index, problems);
            if (evidence.ipAddress() != null && !evidence.ipAddress().matches("[0-9A-Fa-f:.]+")) {
                problems.add(new FieldProblem(prefix + "evidence.ipAddress", "must be an IPv4 or IPv6 address",
                        index));
            }
            text(evidence.userAgent(), prefix + "evidence.userAgent", MAX_USER_AGENT, false, index, problems);
            text(evidence.text(), prefix + "evidence.text", MAX_TEXT, false, index, problems);
        }
        if (input.occurredAt() != null && input.occurredAt().isAfter(clock.instant().plus(config.clockSkew()))) {
            problems.add(new FieldProblem(prefix + "occurredAt", "must not be in the future", index));
        }
    }

    static void text(String value, String field, int max, boolean required, Integer index,
            List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            if (required) {
                problems.add(new FieldProblem(field, "must not be blank", index));
            }
        } else if (value.length() > max) {
            problems.add(new FieldProblem(field, "must be at most " + max + " characters", index));
        }
    }

    /** An input value {@link #validate} accepted. */
    private static <E extends Enum<E> & WireValue> E valid(Class<E> type, String value) {
        return WireValue.parse(type, value).orElseThrow();
    }

    static <E extends Enum<E> & WireValue> void enumeration(Class<E> type, String value, String field,
            boolean required, Integer index, List<FieldProblem> problems) {
        if (value == null) {
            if (required) {
                problems.add(new FieldProblem(field, "must not be blank; " + WireValue.mustBeOneOf(type), index));
            }
        } else if (WireValue.parse(type, value).isEmpty()) {
            problems.add(new FieldProblem(field, WireValue.mustBeOneOf(type), index));
        }
    }

    private Map<String, Purpose> resolvePurposes(String tenantId, List<ConsentInput> inputs, boolean batch) {
        Map<String, Purpose> found = new HashMap<>();
        List<FieldProblem> unknown = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String id = inputs.get(i).purpose();
            if (!found.containsKey(id)) {
                purposes.findByPurposeId(tenantId, id).ifPresent(p -> found.put(id, p));
            }
            if (!found.containsKey(id)) {
                unknown.add(new FieldProblem(batch ? "records[" + i + "].purpose" : "purpose",
                        "no purpose with this id exists for the tenant", batch ? i : null));
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.unprocessable("unknown_purpose", "the request names a purpose that does not exist",
                    unknown);
        }
        return found;
    }

    private void resolvePolicyVersions(String tenantId, List<ConsentInput> inputs, boolean batch) {
        Map<String, Boolean> known = new TreeMap<>();
        List<FieldProblem> unknown = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String version = inputs.get(i).policyVersion();
            if (version == null) {
                continue;
            }
            boolean exists = known.computeIfAbsent(version, v -> versions.findByVersion(tenantId, v).isPresent());
            if (!exists) {
                unknown.add(new FieldProblem(batch ? "records[" + i + "].policyVersion" : "policyVersion",
                        "no policy version with this name exists for the tenant", batch ? i : null));
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.unprocessable("unknown_policy_version",
                    "the request names a policy version that does not exist", unknown);
        }
    }

    private static void refuseGrantsAgainstGpc(List<ConsentInput> inputs, Map<String, Purpose> purposes,
            boolean batch, boolean gpc) {
        if (!gpc) {
            return;
        }
        List<FieldProblem> refused = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            ConsentInput input = inputs.get(i);
            if (Decision.GRANTED.wire().equals(input.decision())
                    && purposes.get(input.purpose()).category == PurposeCategory.ADVERTISING) {
                refused.add(new FieldProblem(batch ? "records[" + i + "].decision" : "decision",
                        "an advertising purpose cannot be granted in a request carrying Sec-GPC: 1",
                        batch ? i : null));
            }
        }
        if (!refused.isEmpty()) {
            throw new ApiException(409, "gpc_conflict",
                    "Global Privacy Control (Sec-GPC: 1) opts out of advertising; the signal wins over a grant",
                    refused);
        }
    }

    private void refuseGrantsWhileRestricted(String tenantId, List<ConsentInput> inputs,
            Map<String, Purpose> purposes, boolean batch) {
        List<FieldProblem> refused = new ArrayList<>();
        Map<String, Boolean> restricted = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            ConsentInput input = inputs.get(i);
            if (Decision.GRANTED.wire().equals(input.decision())
                    && purposes.get(input.purpose()).category != PurposeCategory.SERVICE
                    && restricted.computeIfAbsent(input.subjectId(),
                            s -> restrictions.isRestricted(tenantId, s))) {
                refused.add(new FieldProblem(batch ? "records[" + i + "].decision" : "decision",
                        "the subject's processing is restricted; only essential (service) purposes can be granted",
                        batch ? i : null));
            }
        }
        if (!refused.isEmpty()) {
            throw new ApiException(409, "subject_restricted",
                    "the subject is under a restriction of processing", refused);
        }
    }
}
