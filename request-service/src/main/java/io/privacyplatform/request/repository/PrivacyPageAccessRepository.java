package io.privacyplatform.request.repository;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.privacyplatform.request.PrivacyPageAccess;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The privacy page's request access tokens, by the hash of the token. */
@ApplicationScoped
public class PrivacyPageAccessRepository implements PanacheRepositoryBase<PrivacyPageAccess, String> {

    /** The live access of this token to exactly this tenant's request; anything else is empty. */
    public Optional<PrivacyPageAccess> live(String tokenHash, String tenantId, UUID requestId, Instant now) {
        return find("tokenHash = ?1 and tenantId = ?2 and requestId = ?3 and expiresAt > ?4", tokenHash, tenantId,
                requestId, now).firstResultOptional();
    }

    public long deleteExpired(Instant now) {
        return delete("expiresAt <= ?1", now);
    }
}
