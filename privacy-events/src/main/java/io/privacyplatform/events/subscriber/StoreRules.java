package io.privacyplatform.events.subscriber;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.PrivacyCommand;

/**
 * The rules every store follows for one command, whichever way it receives commands: the plain
 * {@link CommandSubscriber}, or platform-support's transactional mode for Quarkus services. Which commands are
 * this store's, how a {@link CommandResult} becomes the {@link CommandAck} it publishes, and which acks it
 * remembers. The rules and what a handler must guarantee are described once, in {@code docs/events.md}, section
 * "Stores: receiving commands".
 */
public final class StoreRules {

    /** Detail texts (and the kit's DLQ error headers) are cut to this many characters. */
    public static final int MAX_DETAIL_CHARS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(StoreRules.class);
    private static final Pattern SYSTEM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final String systemName;
    private final EventCodec codec;
    private final Clock clock;

    /**
     * @param codec encodes the ack to check its size
     * @param clock for the ack's {@code completedAt}
     */
    public StoreRules(String systemName, EventCodec codec, Clock clock) {
        if (systemName == null || systemName.isBlank()) {
            throw new IllegalArgumentException("systemName is required");
        }
        if (!SYSTEM_NAME.matcher(systemName).matches()) {
            throw new IllegalArgumentException("systemName must match " + SYSTEM_NAME + ": " + systemName);
        }
        this.systemName = systemName;
        this.codec = Objects.requireNonNull(codec, "codec");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String systemName() {
        return systemName;
    }

    /** The {@code ce_source} of this store's acks. */
    public String source() {
        return "/stores/" + systemName;
    }

    /**
     * Rejects a command whose payload tenant is not the envelope's: a store acts in the tenant the platform
     * addressed, and a mismatch means a broken producer.
     *
     * @throws InvalidEventException the record is poison and belongs on the dead-letter topic
     */
    public void checkTenant(EventEnvelope envelope, PrivacyCommand command) {
        if (!command.tenantId().equals(envelope.tenantId())) {
            throw new InvalidEventException("command tenant differs from ce_tenantid");
        }
    }

    /** Every store reads every command; it acts only on those whose {@code targetSystem} is its own name. */
    public boolean isForThisStore(PrivacyCommand command) {
        return systemName.equals(command.targetSystem());
    }

    /**
     * The ack of {@code command} for the handler's {@code result}: data only for EXPORT, detail cut to
     * {@value #MAX_DETAIL_CHARS} characters, and {@code FAILED} when the ack would be too large to publish.
     */
    public CommandAck ack(PrivacyCommand command, CommandResult result) {
        if (result == null) {
            result = CommandResult.failed("the handler returned no result");
        }
        JsonNode data = result.data();
        if (data != null && command.kind() != CommandKind.EXPORT) {
            LOG.warn("command {} ({}) for {}: the handler returned data for a non-EXPORT command; not sent",
                    command.commandId(), command.kind(), systemName);
            data = null;
        }
        // To the millisecond: a remembered ack read back from a database equals the one that was published.
        CommandAck ack = new CommandAck(command.commandId(), systemName, command.tenantId(), command.requestId(),
                result.outcome(), result.records(), result.digest(), truncate(result.detail()), data,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), result.retained(), null, null);
        try {
            codec.encode(ack);
        } catch (InvalidEventException e) {
            LOG.warn("command {} ({}) for {}: the ack is too large; answering FAILED", command.commandId(),
                    command.kind(), systemName);
            ack = new CommandAck(ack.commandId(), ack.system(), ack.tenantId(), ack.requestId(), AckOutcome.FAILED,
                    0, null, truncate("the result is too large to acknowledge: " + e.getMessage()), null,
                    ack.completedAt());
        }
        LOG.info("command {} ({}) for {}: {} ({} records)", command.commandId(), command.kind(), systemName,
                ack.outcome(), ack.records());
        return ack;
    }

    /**
     * Whether the store remembers {@code ack} (and answers a re-sent command with it instead of acting again).
     * Not a {@code FAILED} ack: a re-sent failed command must be carried out again. Not an EXPORT's ack: reading
     * again is harmless, and the remembered outcomes then never hold the exported personal data.
     */
    public boolean remembers(PrivacyCommand command, CommandAck ack) {
        return ack.outcome() != AckOutcome.FAILED && command.kind() != CommandKind.EXPORT;
    }

    static String truncate(String text) {
        if (text == null || text.length() <= MAX_DETAIL_CHARS) {
            return text;
        }
        return text.substring(0, MAX_DETAIL_CHARS - 1) + "…";
    }
}
