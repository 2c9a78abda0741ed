package io.privacyplatform.events.subscriber;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.payload.ConsentChanged;

/**
 * What a consent subscriber (the mailer, an ads integration) does with one consent decision, the same in both ways of
 * receiving them (the plain {@link ConsentSubscriber} and platform-support's transactional mode): e.g. on a
 * withdrawal of marketing e-mail, suppress the subject's address. Returning means applied: the subscriber then
 * acknowledges the decision ({@code privacy.consent.applied.v1}), and consent-service shows it as applied by this
 * system. Throwing means not applied yet: nothing is acknowledged and the decision is taken again after a backoff
 * (the plain kit) or the transaction rolls back and the inbox's rules apply (transactional mode).
 * <p>
 * Like a store's handler it must be idempotent (a decision may be delivered again before its acknowledgement is
 * remembered), durable when it returns, quick (it runs on the consumer's thread) and must not put personal data in
 * exception messages. A decision that does not concern the system (another purpose) is applied by doing nothing.
 */
@FunctionalInterface
public interface ConsentHandler {

    void apply(ConsentChanged consent, EventEnvelope envelope) throws Exception;
}
