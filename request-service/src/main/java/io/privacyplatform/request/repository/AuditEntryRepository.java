package io.privacyplatform.request.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.privacyplatform.request.AuditEntry;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The links of requests' audit chains. */
@ApplicationScoped
public class AuditEntryRepository implements PanacheRepositoryBase<AuditEntry, AuditEntry.Key> {

    /** The request's chain, in order. */
    public List<AuditEntry> ofRequest(UUID requestId) {
        return list("requestId = ?1 order by seq", requestId);
    }

    /** The chains of these requests, each in order. */
    public List<AuditEntry> ofRequests(List<UUID> requestIds) {
        return list("requestId in ?1 order by requestId, seq", requestIds);
    }
}
