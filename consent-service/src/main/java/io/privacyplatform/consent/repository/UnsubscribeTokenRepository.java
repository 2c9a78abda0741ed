package io.privacyplatform.consent.repository;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.privacyplatform.consent.UnsubscribeToken;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Unsubscribe links by the hash of their token. */
@ApplicationScoped
public class UnsubscribeTokenRepository implements PanacheRepositoryBase<UnsubscribeToken, String> {

    public long deleteSubject(String tenantId, String subjectId) {
        return delete("tenantId = ?1 and subjectId = ?2", tenantId, subjectId);
    }

    public long deleteExpiredBefore(Instant cutoff) {
        return delete("expiresAt < ?1", cutoff);
    }
}
