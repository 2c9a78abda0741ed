package io.privacyplatform.consent.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.consent.PolicyVersion;
import io.privacyplatform.consent.repository.ConsentRecordRepository;
import io.privacyplatform.consent.repository.PolicyVersionRepository;
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
    PolicyVersionRepository versions;

    @Inject
    ConsentRecordRepository records;

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
        PolicyVersion existing = versions.findByVersion(tenantId, version).orElse(null);
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
        versions.persist(created);
        if (material) {
            created.notices = announce(created, now);
        }
        return new Saved(created, true);
    }

    @Transactional
    public List<PolicyVersion> list(String tenantId) {
        return versions.ofTenant(tenantId);
    }

    /**
     * One notice per subject that currently grants a consent-based purpose recorded under an older version (or
     * under none): those are the decisions that need asking again once the new version is in effect.
     */
    private int announce(PolicyVersion version, Instant now) {
        List<String> subjects = records.grantingUnderVersionBefore(version.tenantId, version.effectiveAt);
        for (String subject : subjects) {
            Notification notice = Notification.of(Notification.POLICY_CHANGE, version.tenantId, null, subject, null,
                    Map.of("policyVersion", version.version, "effectiveAt", version.effectiveAt.toString(),
                            "summary", version.summary == null ? "" : version.summary),
                    now);
            outbox.publish(notice.notificationId(), version.tenantId, pseudonym.of(version.tenantId, subject),
                    notice);
        }
        return subjects.size();
    }
}
