package io.privacyplatform.consent;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.privacyplatform.consent.mapping.WireColumns;

/** A processing purpose of one tenant, e.g. {@code newsletter} in category {@code marketing_email}. */
@Entity
@Table(name = "purpose")
public class Purpose {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "purpose_id")
    public String purposeId;

    public String title;

    public String description;

    @Convert(converter = WireColumns.PurposeCategoryColumn.class)
    public PurposeCategory category;

    @Column(name = "default_lawful_basis")
    @Convert(converter = WireColumns.LawfulBasisColumn.class)
    public LawfulBasis defaultLawfulBasis;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
