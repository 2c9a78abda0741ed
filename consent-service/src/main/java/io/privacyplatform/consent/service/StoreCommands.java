package io.privacyplatform.consent.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.privacyplatform.consent.ConsentRecord;
import io.privacyplatform.consent.TcfConsent;
import io.privacyplatform.consent.repository.ConsentRecordRepository;
import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.RecordDigest;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.support.outbox.Outbox;

/**
 * This service as the downstream store {@value #SYSTEM}: commands addressed to it take effect and are acknowledged
 * (through the outbox) in one transaction, so an ack exists exactly when its effect does.
 */
@ApplicationScoped
public class StoreCommands {

    public static final String SYSTEM = "consent-service";
    /** Prefix of the pseudonym that replaces an erased subject id. */
    public static final String ERASED_PREFIX = "erased:";
    private static final Logger LOG = Logger.getLogger(StoreCommands.class);

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
    Outbox outbox;

    @Inject
    EventCodec codec;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.MANDATORY)
    public void handle(EventEnvelope envelope, PrivacyCommand command) {
        if (!SYSTEM.equals(command.targetSystem())) {
            return;
        }
        CommandAck remembered = remembered(command.commandId());
        if (remembered != null) {
            // A re-sent command (the issuer missed our ack): the same answer again, no second effect.
            outbox.publish(command.tenantId(), envelope.key(), remembered);
            return;
        }
        CommandAck ack = switch (command.kind()) {
            case ERASE -> erase(command);
            case EXPORT -> export(command);
            case RESTRICT -> restrictions.restrict(command.tenantId(), command.subject().subjectId(),
                    command.requestId()) ? ack(command, AckOutcome.DONE, List.of(), "restricted", null)
                            : ack(command, AckOutcome.DONE, List.of(), "already restricted", null);
            case LIFT_RESTRICTION -> restrictions.lift(command.tenantId(), command.subject().subjectId())
                    ? ack(command, AckOutcome.DONE, List.of(), "restriction lifted", null)
                    : ack(command, AckOutcome.NOT_FOUND, List.of(), "not restricted", null);
            case PURGE -> ack(command, AckOutcome.HELD, List.of(),
                    "consent records are kept as proof of consent (Art. 7(1) GDPR); erasure is per subject", null);
            case RECTIFY -> ack(command,
                    records.subjectKnown(command.tenantId(), command.subject().subjectId()) ? AckOutcome.DONE
                            : AckOutcome.NOT_FOUND,
                    List.of(), "consent records hold decisions, no attributes to rectify", null);
        };
        if (command.kind() != CommandKind.EXPORT) {
            // An export's ack carries personal data: it is not kept, a re-sent EXPORT simply runs again.
            remember(command, ack);
        }
        outbox.publish(command.tenantId(), envelope.key(), ack);
        LOG.infof("command %s (%s) answered %s with %d records", command.commandId(), command.kind(),
                ack.outcome(), ack.records());
    }

    /**
     * Replaces the subject id by a one-way pseudonym everywhere this service holds it and drops the evidence;
     * decisions, purposes, bases and timestamps stay as proof of consent. Counted and digested: the ledger records
     * and TCF strings whose subject was replaced.
     */
    CommandAck erase(PrivacyCommand command) {
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
        return ids.isEmpty() ? ack(command, AckOutcome.NOT_FOUND, ids, null, null)
                : ack(command, AckOutcome.DONE, ids, null, null);
    }

    /** The subject's consent history, oldest first, with the evidence (it is the subject's own data). */
    CommandAck export(PrivacyCommand command) {
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
        JsonNode data = codec.mapper().valueToTree(history);
        return ack(command, ids.isEmpty() ? AckOutcome.NOT_FOUND : AckOutcome.DONE, ids, null, data);
    }

    private CommandAck ack(PrivacyCommand command, AckOutcome outcome, List<String> ids, String detail,
            JsonNode data) {
        return new CommandAck(command.commandId(), SYSTEM, command.tenantId(), command.requestId(), outcome,
                RecordDigest.count(ids), RecordDigest.of(ids), detail, data, clock.instant());
    }

    private void update(String sql, Object... params) {
        var query = entityManager.createNativeQuery(sql);
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        query.executeUpdate();
    }

    private CommandAck remembered(String commandId) {
        @SuppressWarnings("unchecked")
        List<String> acks = entityManager.createNativeQuery("SELECT ack FROM handled_command WHERE command_id = ?1")
                .setParameter(1, commandId).getResultList();
        if (acks.isEmpty()) {
            return null;
        }
        try {
            return codec.mapper().readValue(acks.get(0), CommandAck.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable remembered ack of command " + commandId, e);
        }
    }

    private void remember(PrivacyCommand command, CommandAck ack) {
        try {
            entityManager.createNativeQuery("""
                    INSERT INTO handled_command (command_id, tenant_id, kind, ack, handled_at)
                    VALUES (?1, ?2, ?3, ?4, ?5)""")
                    .setParameter(1, command.commandId()).setParameter(2, command.tenantId())
                    .setParameter(3, command.kind().name())
                    .setParameter(4, codec.mapper().writeValueAsString(ack))
                    .setParameter(5, clock.instant()).executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String jsonString(String value) {
        try {
            return codec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
