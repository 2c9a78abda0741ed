package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.privacyplatform.retention.PurgeDecision;
import io.privacyplatform.retention.RetentionPolicy;
import io.privacyplatform.retention.config.RetentionConfig;
import io.privacyplatform.retention.repository.PurgeDecisionRepository;
import io.privacyplatform.retention.repository.RetentionPolicyRepository;
import io.privacyplatform.support.error.ApiException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** The retention policies, and the defaults the platform's policy requires when none exist for their category. */
@ApplicationScoped
public class RetentionPolicies {

    private static final Logger LOG = Logger.getLogger(RetentionPolicies.class);

    /** E-mail headers: 35 days. A 1-in-100 sample of whole messages for abuse review: 35 days. */
    static final List<String[]> DEFAULTS = List.of(
            new String[] { "email_headers", "P35D", "legitimate interest: delivery diagnostics and account access",
                    "E-mail headers of every message are kept 35 days, then deleted" },
            new String[] { "email_sample", "P35D", "legitimate interest: abuse review",
                    "1 in 100 messages is stored whole for 35 days for abuse review" });

    @Inject
    RetentionPolicyRepository policies;

    @Inject
    PurgeDecisionRepository decisions;

    @Inject
    RetentionConfig config;

    @Inject
    Clock clock;

    public record PolicySpec(String category, String retain, String basis, String description, List<String> systems,
            long scheduleSeconds) {
    }

    @Transactional
    void loadDefaults(@Observes StartupEvent event) {
        Instant now = clock.instant();
        for (String[] d : DEFAULTS) {
            if (policies.addIfCategoryUncovered(d[0], d[1], d[2], d[3],
                    config.policies().defaultSchedule().toSeconds(), now)) {
                LOG.infof("default retention policy %s (%s) loaded", d[0], d[1]);
            }
        }
    }

    /**
     * Creates or changes the policy. A change of its definition ({@link PolicyDefinition}) voids the PURGE decision
     * in force: a decision approves one exact definition, and the changed policy purges nothing until a platform
     * admin approves it again. A PUT that changes nothing keeps the decision.
     */
    @Transactional
    public boolean put(String id, PolicySpec spec, String actor) {
        Instant now = clock.instant();
        RetentionPolicy policy = policies.lock(id, true);
        boolean created = policy == null;
        String before = null;
        if (created) {
            policy = new RetentionPolicy();
            policy.id = id;
            policy.createdAt = now;
        } else {
            before = PolicyDefinition.of(policy).digest();
        }
        policy.category = spec.category();
        policy.retain = spec.retain();
        policy.basis = spec.basis();
        policy.description = spec.description();
        policy.systems = spec.systems().toArray(String[]::new);
        policy.scheduleSeconds = spec.scheduleSeconds();
        policy.updatedAt = now;
        policy.updatedBy = actor;
        if (created) {
            policies.persist(policy);
        } else if (!before.equals(PolicyDefinition.of(policy).digest())) {
            if (decisions.voidInForce(id, now, "policy changed by " + actor) > 0) {
                LOG.infof("policy %s changed by %s: its PURGE decision is void until a platform admin approves"
                        + " the new definition", id, actor);
            }
        }
        return created;
    }

    /**
     * Records {@code actor}'s decision that the policy, as defined now, may PURGE every account. The caller names
     * the definition it approves ({@code definitionDigest}, from the policy's view): a policy changed since it was
     * read is not approved (409 {@code policy_changed}). A new decision supersedes the one in force.
     */
    @Transactional
    public PurgeDecision approve(String id, String definitionDigest, String reason, String actor) {
        RetentionPolicy policy = policies.lock(id, true);
        if (policy == null) {
            throw ApiException.notFound("policy");
        }
        PolicyDefinition definition = PolicyDefinition.of(policy);
        if (!definition.digest().equals(definitionDigest)) {
            throw ApiException.conflict("policy_changed", "the policy's definition is not the one with this"
                    + " definitionDigest (it changed, or the digest is wrong): read the policy and approve what it"
                    + " says now");
        }
        Instant now = clock.instant();
        PurgeDecision decision = new PurgeDecision();
        decision.id = UUID.randomUUID();
        decision.policyId = id;
        decision.decidedBy = actor;
        decision.decidedAt = now;
        decision.reason = reason;
        decision.definition = definition.json();
        decision.definitionDigest = definition.digest();
        decisions.voidInForce(id, now, "superseded by " + decision.id);
        decisions.persist(decision);
        LOG.infof("policy %s: PURGE decision %s recorded by %s for definition %s", id, decision.id, actor,
                definition.digest());
        return decision;
    }

    /** The decision in force for the policy's current definition, if any. */
    public Optional<PurgeDecision> decisionFor(RetentionPolicy policy) {
        return decisions.inForce(policy.id, PolicyDefinition.of(policy).digest());
    }

    /** The policy, its row share-locked until the transaction ends (a run: no change or decision meanwhile). */
    @Transactional(Transactional.TxType.MANDATORY)
    public RetentionPolicy lockForRun(String id) {
        RetentionPolicy policy = policies.lock(id, false);
        if (policy == null) {
            throw ApiException.notFound("policy");
        }
        return policy;
    }

    /** Every policy, ordered by id. */
    public List<RetentionPolicy> all() {
        return policies.all();
    }

    public RetentionPolicy get(String id) {
        RetentionPolicy policy = policies.findById(id);
        if (policy == null) {
            throw ApiException.notFound("policy");
        }
        return policy;
    }
}
