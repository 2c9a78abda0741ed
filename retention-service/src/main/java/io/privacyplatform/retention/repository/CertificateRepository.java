package io.privacyplatform.retention.repository;

import io.privacyplatform.retention.Certificate;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Deletion certificates, by request id. */
@ApplicationScoped
public class CertificateRepository implements PanacheRepositoryBase<Certificate, String> {
}
