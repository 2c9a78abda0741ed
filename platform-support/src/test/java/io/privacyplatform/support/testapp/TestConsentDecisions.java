package io.privacyplatform.support.testapp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.payload.ConsentChanged;
import io.privacyplatform.events.subscriber.ConsentHandler;

/**
 * The test consent subscriber's handler: records one {@code store_effect} row (kind {@code CONSENT}) per run, then
 * does what the decision's purpose asks for, so each test can provoke one rule.
 */
@ApplicationScoped
public class TestConsentDecisions implements ConsentHandler {

    public static final String SYSTEM = "support-test-consents";
    public static final String APPLY = "apply";
    /** Fails once (after its effect, which is rolled back), then applies. */
    public static final String FAIL_ONCE = "fail-once";
    /** Throws IllegalArgumentException after its effect: the decision itself is at fault. */
    public static final String REJECT = "reject";

    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    @Inject
    EntityManager entityManager;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(ConsentChanged consent, EventEnvelope envelope) {
        entityManager.createNativeQuery("INSERT INTO store_effect (command_id, kind) VALUES (?1, 'CONSENT')")
                .setParameter(1, consent.eventId()).executeUpdate();
        switch (consent.purpose()) {
            case FAIL_ONCE -> {
                if (failedOnce.add(consent.eventId())) {
                    throw new IllegalStateException("the suppression list is not reachable");
                }
            }
            case REJECT -> throw new IllegalArgumentException("the test subscriber rejects this decision");
            default -> {
                // applied
            }
        }
    }
}
