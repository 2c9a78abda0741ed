package io.privacyplatform.consent.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.privacyplatform.consent.TcfConsent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** TCF consent strings as received. */
@ApplicationScoped
public class TcfConsentRepository implements PanacheRepositoryBase<TcfConsent, UUID> {

    public List<TcfConsent> ofSubject(String tenantId, String subjectId) {
        return list("tenantId = ?1 and subjectId = ?2", tenantId, subjectId);
    }

    /** @return the TCF strings deleted */
    public long deleteSubject(String tenantId, String subjectId) {
        return delete("tenantId = ?1 and subjectId = ?2", tenantId, subjectId);
    }
}
