package io.privacyplatform.retention.repository;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.privacyplatform.retention.PurgeDecision;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Platform admins' decisions that a policy may PURGE every account; at most one in force per policy. */
@ApplicationScoped
public class PurgeDecisionRepository implements PanacheRepositoryBase<PurgeDecision, UUID> {

    /** The decision in force for the policy, if it approved exactly {@code definitionDigest}. */
    public Optional<PurgeDecision> inForce(String policyId, String definitionDigest) {
        return find("policyId = ?1 and voidedAt is null and definitionDigest = ?2", policyId, definitionDigest)
                .firstResultOptional();
    }

    /** The decision in force for the policy, whatever it approved. */
    public Optional<PurgeDecision> inForce(String policyId) {
        return find("policyId = ?1 and voidedAt is null", policyId).firstResultOptional();
    }

    /** Voids the policy's decision in force, if any; returns how many were voided (0 or 1). */
    public int voidInForce(String policyId, Instant now, String reason) {
        return update("voidedAt = ?1, voidedReason = ?2 where policyId = ?3 and voidedAt is null", now, reason,
                policyId);
    }
}
