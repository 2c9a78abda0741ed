package io.privacyplatform.retention.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.privacyplatform.retention.RetentionPolicy;
import io.privacyplatform.retention.config.RetentionConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
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
    EntityManager entityManager;

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
            // Several instances may start at once: the insert is conditional and keyed.
            int added = entityManager.createNativeQuery("INSERT INTO retention_policy (id, category, retain, basis,"
                    + " description, systems, schedule_seconds, created_at, updated_at, updated_by)"
                    + " SELECT ?1, ?1, ?2, ?3, ?4, '{}', ?5, ?6, ?6, 'default'"
                    + " WHERE NOT EXISTS (SELECT 1 FROM retention_policy WHERE category = ?1)"
                    + " ON CONFLICT (id) DO NOTHING")
                    .setParameter(1, d[0]).setParameter(2, d[1]).setParameter(3, d[2]).setParameter(4, d[3])
                    .setParameter(5, config.policies().defaultSchedule().toSeconds()).setParameter(6, now)
                    .executeUpdate();
            if (added == 1) {
                LOG.infof("default retention policy %s (%s) loaded", d[0], d[1]);
            }
        }
    }

    @Transactional
    public boolean put(String id, PolicySpec spec, String actor) {
        Instant now = clock.instant();
        RetentionPolicy policy = RetentionPolicy.findById(id);
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
            policy.persist();
        }
        return created;
    }
}
