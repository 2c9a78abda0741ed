package io.privacyplatform.events.subscriber;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

import io.privacyplatform.events.payload.ConsentApplied;
import io.privacyplatform.events.payload.ConsentChanged;

/**
 * What every consent subscriber does alike, whichever way it receives the decisions (the plain
 * {@link ConsentSubscriber}, or platform-support's transactional mode for Quarkus services): the source its
 * acknowledgements are published under and the acknowledgement of a decision its handler applied.
 */
public final class ConsentSubscriberRules {

    private final String systemName;
    private final Clock clock;

    /** @param clock for the acknowledgement's {@code appliedAt} */
    public ConsentSubscriberRules(String systemName, Clock clock) {
        this.systemName = StoreRules.requireSystemName(systemName);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String systemName() {
        return systemName;
    }

    /** The {@code ce_source} of this system's acknowledgements. */
    public String source() {
        return "/consent-subscribers/" + systemName;
    }

    /** The acknowledgement that this system applied {@code consent}, now. */
    public ConsentApplied applied(ConsentChanged consent) {
        // To the millisecond: a remembered acknowledgement read back from a database equals the published one.
        return ConsentApplied.of(consent, systemName, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * The acknowledgement's event id, derived from what it says: republished, it is recognisably the same event.
     */
    static String eventIdOf(ConsentApplied applied) {
        return UUID.nameUUIDFromBytes((applied.system() + '\n' + applied.eventId() + '\n' + applied.appliedAt())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
