package io.privacyplatform.consent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A processing purpose of one tenant, e.g. {@code newsletter} in category {@code marketing_email}. */
@Entity
@Table(name = "purpose")
public class Purpose extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "purpose_id")
    public String purposeId;

    public String title;

    public String description;

    public String category;

    @Column(name = "default_lawful_basis")
    public String defaultLawfulBasis;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Optional<Purpose> find(String tenantId, String purposeId) {
        return find("tenantId = ?1 and purposeId = ?2", tenantId, purposeId).firstResultOptional();
    }

    public static List<Purpose> ofTenant(String tenantId) {
        return list("tenantId = ?1 order by purposeId", tenantId);
    }
}
