package io.privacyplatform.request.repository;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.privacyplatform.request.ExportDownloadLink;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** One-time export download links, by the hash of the token. */
@ApplicationScoped
public class ExportDownloadLinkRepository implements PanacheRepositoryBase<ExportDownloadLink, String> {

    /**
     * Spends the link: if it is this tenant's, unused and not expired, {@code used_at} is set. The row is locked
     * (SELECT … FOR UPDATE), so of two concurrent downloads the second waits and then finds it spent. Answers the
     * request id when this call spent it.
     */
    public Optional<UUID> spend(String tokenHash, String tenantId, Instant now) {
        Optional<ExportDownloadLink> found = find("tokenHash = ?1 and tenantId = ?2", tokenHash, tenantId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
        if (found.isEmpty() || found.get().usedAt != null || !now.isBefore(found.get().expiresAt)) {
            return Optional.empty();
        }
        found.get().usedAt = now;
        return Optional.of(found.get().requestId);
    }

    /** Deletes the links that expired (used or not); a used one stays until then, so its second use is a 410. */
    public long deleteExpired(Instant now) {
        return delete("expiresAt <= ?1", now);
    }
}
