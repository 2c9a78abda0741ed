package io.privacyplatform.events.subscriber;

/**
 * Configures a {@link ConsentSubscriber}; {@link ConsentSubscriber#builder()} makes one. Required: the bootstrap
 * servers, the system name, the handler, the {@link AppliedConsents} and the ack signing key; the rest
 * ({@link SubscriberBuilder}) has defaults.
 */
public final class ConsentSubscriberBuilder extends SubscriberBuilder<ConsentSubscriberBuilder> {

    ConsentHandler handler;
    AppliedConsents appliedConsents;

    ConsentSubscriberBuilder() {
    }

    public ConsentSubscriberBuilder handler(ConsentHandler handler) {
        this.handler = handler;
        return this;
    }

    public ConsentSubscriberBuilder appliedConsents(AppliedConsents appliedConsents) {
        this.appliedConsents = appliedConsents;
        return this;
    }

    public ConsentSubscriber build() {
        return new ConsentSubscriber(this);
    }
}
