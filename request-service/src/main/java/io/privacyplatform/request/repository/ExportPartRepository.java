package io.privacyplatform.request.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.privacyplatform.request.ExportPart;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** What the stores exported for requests, in parts per system. */
@ApplicationScoped
public class ExportPartRepository implements PanacheRepositoryBase<ExportPart, ExportPart.Key> {

    /** The request's parts, ordered by system and part. */
    public List<ExportPart> ofRequest(String tenantId, UUID requestId) {
        return list("tenantId = ?1 and requestId = ?2 order by system, part", tenantId, requestId);
    }

    /** One system's parts of the request, in order. */
    public List<ExportPart> ofSystem(String tenantId, UUID requestId, String system) {
        return list("tenantId = ?1 and requestId = ?2 and system = ?3 order by part", tenantId, requestId, system);
    }

    public long deleteOfSystem(String tenantId, UUID requestId, String system) {
        return delete("tenantId = ?1 and requestId = ?2 and system = ?3", tenantId, requestId, system);
    }

    /** Deletes the request's parts; answers how many there were. */
    public long deleteOfRequest(String tenantId, UUID requestId) {
        return delete("tenantId = ?1 and requestId = ?2", tenantId, requestId);
    }
}
