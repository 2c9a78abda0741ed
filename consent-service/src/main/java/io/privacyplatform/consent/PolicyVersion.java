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

/** A version of a tenant's privacy policy; a material one asks for consent again once it takes effect. */
@Entity
@Table(name = "policy_version")
public class PolicyVersion extends PanacheEntityBase {

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

    /** How many subjects were sent a notice when this version was announced. */
    public int notices;

    public static Optional<PolicyVersion> find(String tenantId, String version) {
        return find("tenantId = ?1 and version = ?2", tenantId, version).firstResultOptional();
    }

    public static List<PolicyVersion> ofTenant(String tenantId) {
        return list("tenantId = ?1 order by effectiveAt desc, version", tenantId);
    }

    /** The effective time of the latest material version in effect at {@code at}, if any. */
    public static Optional<Instant> latestMaterialEffectiveAt(String tenantId, Instant at) {
        return find("tenantId = ?1 and material = true and effectiveAt <= ?2 order by effectiveAt desc", tenantId,
                at).<PolicyVersion>firstResultOptional().map(v -> v.effectiveAt);
    }
}
