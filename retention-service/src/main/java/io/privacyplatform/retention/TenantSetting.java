package io.privacyplatform.retention;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A tenant's data-handling settings, as last published on {@code privacy.tenant.settings.v1}. */
@Entity
@Table(name = "tenant_settings")
public class TenantSetting {

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    public boolean trusted;

    public String region;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;
}
