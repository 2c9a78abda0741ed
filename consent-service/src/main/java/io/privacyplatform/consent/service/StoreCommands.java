package io.privacyplatform.consent.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;

import io.privacyplatform.consent.ConsentRecord;
import io.privacyplatform.consent.Decision;
import io.privacyplatform.consent.PurposeCategory;
import io.privacyplatform.consent.repository.ConsentRecordRepository;
import io.privacyplatform.consent.repository.TcfConsentRepository;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.subscriber.CommandHandler;
import io.privacyplatform.events.subscriber.CommandResult;
import io.privacyplatform.support.idempotency.IdempotentRequests;
import io.privacyplatform.support.outbox.Outbox;

/**
 * What this service does as the store {@value #SYSTEM}. Runs in the transaction of platform-support's
 * {@code StoreCommandInbox}, which applies the store rules (target, remembered acks, the ack itself) around it, so
 * an ack exists exactly when its effect does.
 */
@ApplicationScoped
public class StoreCommands implements CommandHandler {

    public static final String SYSTEM = "consent-service";
    @Inject
    ConsentRecordRepository records;

    @Inject
    TcfConsentRepository tcf;

    @Inject
    IdempotentRequests idempotentRequests;

    @Inject
    Outbox outbox;

    @Inject
    Suppressions suppressions;

    @Inject
    UnsubscribeTokens unsubscribeTokens;

    @Inject
    ConsentLedger ledger;

    @Inject
    SubjectRestrictions restrictions;

    @Inject
    SubjectPseudonym pseudonym;

    @Inject
    EventCodec codec;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public CommandResult handle(PrivacyCommand command, EventEnvelope envelope) {
        return switch (command.kind()) {
            case ERASE -> erase(command);
            case EXPORT -> export(command);
            case RESTRICT -> CommandResult.done(List.of()).withDetail(restrictions.restrict(command.tenantId(),
                    command.subject().subjectId(), command.requestId()) ? "restricted" : "already restricted");
            case LIFT_RESTRICTION -> restrictions.lift(command.tenantId(), command.subject().subjectId())
                    ? CommandResult.done(List.of()).withDetail("restriction lifted")
                    : CommandResult.notFound().withDetail("not restricted");
            case PURGE -> CommandResult.held(
                    "consent records are kept as proof of consent (Art. 7(1) GDPR); erasure is per subject");
            case RECTIFY -> (records.subjectKnown(command.tenantId(), command.subject().subjectId())
                    ? CommandResult.done(List.of()) : CommandResult.notFound())
                    .withDetail("consent records hold decisions, no attributes to rectify");
        };
    }

    /**
     * Deletes everything this service holds about the subject: ledger records and current state, TCF strings, its
     * restriction, its unsubscribe links, stored Idempotency-Key answers naming it and its sent events. A subject
     * that had withdrawn marketing e-mail leaves only a suppression entry per such purpose (a keyed hash, see
     * {@link Suppressions}), and the ack says so in {@code retained}. Counted and digested: the ledger records and
     * TCF strings deleted.
     */
    CommandResult erase(PrivacyCommand command) {
        String tenant = command.tenantId();
        String subject = command.subject().subjectId();
        ledger.lockSubjects(tenant, Set.of(subject));
        List<String> ids = new ArrayList<>();
        records.allOf(tenant, subject).forEach(r -> ids.add(r.consentId.toString()));
        tcf.ofSubject(tenant, subject).forEach(t -> ids.add(t.id.toString()));
        boolean suppressed = false;
        for (ConsentRecord current : records.current(tenant, subject)) {
            if (current.category == PurposeCategory.MARKETING_EMAIL && current.decision == Decision.WITHDRAWN) {
                suppressions.suppress(tenant, current.purposeId, subject);
                suppressed = true;
            }
        }
        records.deleteSubject(tenant, subject);
        tcf.deleteSubject(tenant, subject);
        restrictions.lift(tenant, subject);
        unsubscribeTokens.forget(tenant, subject);
        idempotentRequests.forgetSubject(tenant, subject);
        outbox.forgetSent(tenant, pseudonym.of(tenant, subject));
        CommandResult result = ids.isEmpty() ? CommandResult.notFound() : CommandResult.done(ids);
        return suppressed ? result.withRetained(List.of(Suppressions.RETAINED)) : result;
    }

    /** The subject's consent history, oldest first, with the evidence (it is the subject's own data). */
    CommandResult export(PrivacyCommand command) {
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> history = new ArrayList<>();
        for (ConsentRecord record : records.allOf(command.tenantId(), command.subject().subjectId())) {
            ids.add(record.consentId.toString());
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("consentId", record.consentId.toString());
            item.put("purpose", record.purposeId);
            item.put("category", record.category);
            item.put("decision", record.decision);
            item.put("lawfulBasis", record.lawfulBasis);
            item.put("policyVersion", record.policyVersion);
            item.put("channel", record.channel);
            item.put("gpc", record.gpc);
            item.put("occurredAt", record.occurredAt.toString());
            item.put("recordedAt", record.recordedAt.toString());
            item.put("requestId", record.requestId);
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("ipAddress", record.evidenceIp);
            evidence.put("userAgent", record.evidenceUserAgent);
            evidence.put("text", record.evidenceText);
            item.put("evidence", evidence);
            history.add(item);
        }
        if (ids.isEmpty()) {
            return CommandResult.notFound();
        }
        JsonNode data = codec.mapper().valueToTree(history);
        return CommandResult.exported(ids, data);
    }
}
