package io.privacyplatform.consent;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A version of a tenant's privacy policy; a material one asks for consent again once it takes effect. */
@Entity
@Table(name = "policy_version")
public class PolicyVersion {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    public String version;

    @Column(name = "effective_at")
    public Instant effectiveAt;

    public boolean material;

    public String summary;

    @Column(name = "created_at")
    public Instant createdAt;

    /** How many subjects were sent a notice of this version so far (batches follow the PUT). */
    public int notices;
}
