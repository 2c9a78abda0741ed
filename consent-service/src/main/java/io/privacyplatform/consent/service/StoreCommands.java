package io.privacyplatform.consent.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.privacyplatform.consent.ConsentRecord;
import io.privacyplatform.consent.TcfConsent;
import io.privacyplatform.consent.repository.ConsentRecordRepository;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.subscriber.CommandHandler;
import io.privacyplatform.events.subscriber.CommandResult;

/**
 * What this service does as the store {@value #SYSTEM}. Runs in the transaction of platform-support's
 * {@code StoreCommandInbox}, which applies the store rules (target, remembered acks, the ack itself) around it, so
 * an ack exists exactly when its effect does.
 */
@ApplicationScoped
public class StoreCommands implements CommandHandler {

    public static final String SYSTEM = "consent-service";
    /** Prefix of the pseudonym that replaces an erased subject id. */
    public static final String ERASED_PREFIX = "erased:";

    @Inject
    EntityManager entityManager;

    @Inject
    ConsentRecordRepository records;

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
     * Replaces the subject id by a one-way pseudonym everywhere this service holds it and drops the evidence;
     * decisions, purposes, bases and timestamps stay as proof of consent. Counted and digested: the ledger records
     * and TCF strings whose subject was replaced.
     */
    CommandResult erase(PrivacyCommand command) {
        String tenant = command.tenantId();
        String subject = command.subject().subjectId();
        String replacement = ERASED_PREFIX + pseudonym.of(tenant, subject);
        ledger.lockSubjects(tenant, Set.of(subject));
        List<String> ids = new ArrayList<>();
        for (ConsentRecord record : records.allOf(tenant, subject)) {
            ids.add(record.consentId.toString());
        }
        TcfConsent.<TcfConsent>list("tenantId = ?1 and subjectId = ?2", tenant, subject)
                .forEach(t -> ids.add(t.id.toString()));
        entityManager.flush();
        entityManager.clear();
        update("""
                UPDATE consent_record SET subject_id = ?3, evidence_ip = NULL, evidence_user_agent = NULL,
                       evidence_text = NULL, erased = TRUE
                 WHERE tenant_id = ?1 AND subject_id = ?2""", tenant, subject, replacement);
        // A subject erased before and recorded again: the newer current rows win over the older pseudonymous ones.
        update("""
                DELETE FROM consent_current e WHERE e.tenant_id = ?1 AND e.subject_id = ?3
                   AND EXISTS (SELECT 1 FROM consent_current c WHERE c.tenant_id = ?1 AND c.subject_id = ?2
                                 AND c.purpose_id = e.purpose_id)""", tenant, subject, replacement);
        update("UPDATE consent_current SET subject_id = ?3 WHERE tenant_id = ?1 AND subject_id = ?2", tenant,
                subject, replacement);
        update("UPDATE tcf_consent SET subject_id = ?3, erased = TRUE WHERE tenant_id = ?1 AND subject_id = ?2",
                tenant, subject, replacement);
        update("DELETE FROM restricted_subject WHERE tenant_id = ?1 AND subject_id = ?2", tenant, replacement);
        update("UPDATE restricted_subject SET subject_id = ?3 WHERE tenant_id = ?1 AND subject_id = ?2", tenant,
                subject, replacement);
        // Stored answers to Idempotency-Key requests repeat the subject id; sent events of the subject too.
        update("DELETE FROM idempotency_key WHERE tenant_id = ?1 AND strpos(response_body, ?2) > 0", tenant,
                "\"subjectId\":" + jsonString(subject));
        update("DELETE FROM outbox_event WHERE tenant_id = ?1 AND record_key = ?2 AND sent_at IS NOT NULL",
                tenant, pseudonym.of(tenant, subject));
        return ids.isEmpty() ? CommandResult.notFound() : CommandResult.done(ids);
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

    private void update(String sql, Object... params) {
        var query = entityManager.createNativeQuery(sql);
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        query.executeUpdate();
    }

    private String jsonString(String value) {
        try {
            return codec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
