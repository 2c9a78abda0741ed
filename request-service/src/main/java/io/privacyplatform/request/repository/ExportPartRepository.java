package io.privacyplatform.request.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.privacyplatform.request.ExportPart;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** What the stores exported for requests, one part per system. */
@ApplicationScoped
public class ExportPartRepository implements PanacheRepositoryBase<ExportPart, ExportPart.Key> {

    /** The request's parts, ordered by system. */
    public List<ExportPart> ofRequest(String tenantId, UUID requestId) {
        return list("tenantId = ?1 and requestId = ?2 order by system", tenantId, requestId);
    }

    /** Deletes the request's parts; answers how many there were. */
    public long deleteOfRequest(String tenantId, UUID requestId) {
        return delete("tenantId = ?1 and requestId = ?2", tenantId, requestId);
    }
}
