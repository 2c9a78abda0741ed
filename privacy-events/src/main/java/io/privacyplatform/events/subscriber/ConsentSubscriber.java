package io.privacyplatform.events.subscriber;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.TopicAccess;
import io.privacyplatform.events.payload.ConsentApplied;
import io.privacyplatform.events.payload.ConsentChanged;

/**
 * The subscriber kit for consent: how an internal system that acts on consent (the mailer, an ads integration)
 * receives every decision on {@code privacy.consent.changed.v1}, applies it and acknowledges it on
 * {@code privacy.consent.applied.v1}, signed, so consent-service can show which systems applied a decision and alert
 * when a withdrawal is not applied in time (plain Java: kafka-clients and privacy-events only).
 *
 * <pre>{@code
 * ConsentSubscriber subscriber = ConsentSubscriber.builder()
 *         .bootstrapServers("kafka:9092")
 *         .systemName("mailer")                      // registered under this name with consent-service
 *         .handler((consent, envelope) -> {
 *             if ("withdrawn".equals(consent.decision()) && "marketing_email".equals(consent.category())) {
 *                 suppressions.add(consent.tenantId(), consent.subjectId(), consent.purpose()); // committed
 *             }
 *         })
 *         .appliedConsents(new JdbcAppliedConsents(dataSource))      // your AppliedConsents
 *         .ackSigningKeyFile(Path.of("/secrets/mailer-ack.pem"))    // Ed25519; its public half registered
 *         .build()
 *         .start();
 * ...
 * subscriber.close();
 * }</pre>
 *
 * The same guarantees as the {@link CommandSubscriber}, from the same loop ({@link SubscriberLoop}): consumer group
 * {@code consent-subscriber-<systemName>} unless set otherwise, manual commits; a record that is not a valid
 * {@code ConsentChanged} goes to {@code privacy.consent.changed.v1.dlq}; a decision delivered again (the same event
 * id, in {@link AppliedConsents}) is not applied again, its remembered acknowledgement is published again; an
 * acknowledgement is published only after the handler returned, and the offset committed only once the broker
 * confirmed it and it is remembered. Unlike a command, a decision has no failed answer: a handler that throws has not
 * applied it, so nothing is acknowledged and the record is taken again after the backoff, as long as it takes (a
 * withdrawal must not be skipped; consent-service alerts when one is not applied in time).
 */
public final class ConsentSubscriber extends AcknowledgingSubscriber<ConsentSubscriber> {

    ConsentSubscriber(ConsentSubscriberBuilder builder) {
        super(loop(builder));
    }

    public static ConsentSubscriberBuilder builder() {
        return new ConsentSubscriberBuilder();
    }

    private static SubscriberLoop<ConsentChanged, ConsentApplied> loop(ConsentSubscriberBuilder builder) {
        EventCodec codec = SubscriberLoop.codecOf(builder);
        ConsentSubscriberRules rules = new ConsentSubscriberRules(builder.systemName, builder.clock);
        Decisions decisions = new Decisions(rules, codec, Objects.requireNonNull(builder.handler, "handler"),
                Objects.requireNonNull(builder.appliedConsents, "appliedConsents"));
        return new SubscriberLoop<>("consent subscriber", builder, rules.systemName(),
                TopicAccess.CONSENT_SUBSCRIBER_GROUP_PREFIX, Topics.CONSENT_CHANGED, Topics.CONSENT_APPLIED,
                rules.source(), codec, decisions);
    }

    /** Every consent decision, applied by the handler and acknowledged as applied. */
    private record Decisions(ConsentSubscriberRules rules, EventCodec codec, ConsentHandler handler,
            AppliedConsents applied) implements SubscriberProtocol<ConsentChanged, ConsentApplied> {

        @Override
        public ConsentChanged decode(EventEnvelope envelope) {
            return codec.decode(envelope, ConsentChanged.class);
        }

        /** Every decision: one that does not concern the system is applied by doing nothing, and says so. */
        @Override
        public boolean concerns(ConsentChanged consent) {
            return true;
        }

        @Override
        public String idOf(ConsentChanged consent) {
            return consent.eventId();
        }

        @Override
        public String answered(ConsentApplied ack) {
            return ack.eventId();
        }

        @Override
        public String describe(ConsentChanged consent) {
            return "consent event " + consent.eventId() + " (" + consent.decision() + ")";
        }

        @Override
        public String outcomeOf(ConsentApplied ack) {
            return "applied at " + ack.appliedAt();
        }

        @Override
        public Optional<ConsentApplied> remembered(String eventId) {
            return applied.find(eventId);
        }

        @Override
        public List<ConsentApplied> answer(ConsentChanged consent, EventEnvelope envelope)
                throws RetryLater, InterruptedException {
            try {
                handler.apply(consent, envelope);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // Not applied: no acknowledgement. The message may name the subject, so only the class is logged.
                throw new RetryLater("applying " + describe(consent) + " for " + rules.systemName(), e);
            }
            return List.of(rules.applied(consent));
        }

        @Override
        public boolean remembers(ConsentChanged consent, ConsentApplied first) {
            return true;
        }

        @Override
        public void remember(ConsentApplied ack) {
            applied.remember(ack);
        }

        @Override
        public String ackEventId(ConsentApplied ack) {
            return ConsentSubscriberRules.eventIdOf(ack);
        }
    }
}
