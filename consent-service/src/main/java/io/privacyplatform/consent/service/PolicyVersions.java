package io.privacyplatform.consent.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.privacyplatform.consent.PolicyVersion;
import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.support.error.ApiException;
import io.privacyplatform.support.outbox.Outbox;

/**
 * Policy versions of each tenant. Announcing a material version sends a {@code policy_change} notice to every
 * subject whose consent it affects, in the same transaction; the mailer resolves the subject's address.
 */
@ApplicationScoped
public class PolicyVersions {

    @Inject
    EntityManager entityManager;

    @Inject
    Outbox outbox;

    @Inject
    SubjectPseudonym pseudonym;

    @Inject
    Clock clock;

    public record Saved(PolicyVersion version, boolean created) {
    }

    /**
     * Creates a version. A version is announced once: repeating the same PUT answers it unchanged, a PUT with other
     * values is a 409 (the notices already went out with the first).
     */
    @Transactional
    public Saved put(String tenantId, String version, Instant effectiveAt, boolean material, String summary) {
        PolicyVersion existing = PolicyVersion.find(tenantId, version).orElse(null);
        if (existing != null) {
            if (existing.effectiveAt.equals(effectiveAt) && existing.material == material
                    && Objects.equals(existing.summary, summary)) {
                return new Saved(existing, false);
            }
            throw ApiException.conflict("policy_version_exists",
                    "this policy version was announced with other values; publish a new version instead");
        }
        Instant now = clock.instant();
        if (material && !effectiveAt.isAfter(now)) {
            throw ApiException.validation("effectiveAt", "a material change must take effect in the future");
        }
        PolicyVersion created = new PolicyVersion();
        created.id = UUID.randomUUID();
        created.tenantId = tenantId;
        created.version = version;
        created.effectiveAt = effectiveAt;
        created.material = material;
        created.summary = summary;
        created.createdAt = now;
        created.persist();
        if (material) {
            created.notices = announce(created, now);
        }
        return new Saved(created, true);
    }

    @Transactional
    public List<PolicyVersion> list(String tenantId) {
        return PolicyVersion.ofTenant(tenantId);
    }

    /**
     * One notice per subject that currently grants a consent-based purpose recorded under an older version (or
     * under none): those are the decisions that need asking again once the new version is in effect.
     */
    private int announce(PolicyVersion version, Instant now) {
        @SuppressWarnings("unchecked")
        List<String> subjects = entityManager.createNativeQuery("""
                SELECT DISTINCT r.subject_id FROM consent_current c
                  JOIN consent_record r ON r.id = c.record_id
                  LEFT JOIN policy_version p ON p.tenant_id = r.tenant_id AND p.version = r.policy_version
                 WHERE c.tenant_id = ?1 AND r.lawful_basis = 'consent' AND r.decision = 'granted' AND NOT r.erased
                   AND (p.id IS NULL OR p.effective_at < ?2)
                 ORDER BY r.subject_id""")
                .setParameter(1, version.tenantId)
                .setParameter(2, version.effectiveAt)
                .getResultList();
        for (String subject : subjects) {
            Notification notice = new Notification(UUID.randomUUID().toString(), version.tenantId,
                    Notification.POLICY_CHANGE, null, subject, null,
                    Map.of("policyVersion", version.version, "effectiveAt", version.effectiveAt.toString(),
                            "summary", version.summary == null ? "" : version.summary),
                    now);
            outbox.publish(notice.notificationId(), version.tenantId, pseudonym.of(version.tenantId, subject),
                    notice);
        }
        return subjects.size();
    }
}
