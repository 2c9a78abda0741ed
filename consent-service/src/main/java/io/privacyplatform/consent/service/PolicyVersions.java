package io.privacyplatform.consent.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.privacyplatform.consent.PolicyVersion;
import io.privacyplatform.consent.repository.PolicyVersionRepository;
import io.privacyplatform.support.error.ApiException;

/**
 * Policy versions of each tenant. A material version is announced with a {@code policy_change} notice to every
 * subject of the tenant, in batches after it is saved ({@link PolicyNotices}); the mailer resolves the address.
 */
@ApplicationScoped
public class PolicyVersions {

    @Inject
    PolicyVersionRepository versions;

    @Inject
    PolicyNotices notices;

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
        versions.lockVersion(tenantId, version);
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
            notices.schedule(created);
        }
        return new Saved(created, true);
    }

    @Transactional
    public List<PolicyVersion> list(String tenantId) {
        return versions.ofTenant(tenantId);
    }
}
