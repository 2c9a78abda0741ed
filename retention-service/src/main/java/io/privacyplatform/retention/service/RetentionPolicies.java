package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.privacyplatform.retention.RetentionPolicy;
import io.privacyplatform.retention.config.RetentionConfig;
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

    @Transactional
    public boolean put(String id, PolicySpec spec, String actor) {
        Instant now = clock.instant();
        RetentionPolicy policy = policies.findById(id);
        boolean created = policy == null;
        if (created) {
            policy = new RetentionPolicy();
            policy.id = id;
            policy.createdAt = now;
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
        }
        return created;
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
