package io.privacyplatform.support.store;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.subscriber.CommandHandler;
import io.privacyplatform.events.subscriber.CommandResult;
import io.privacyplatform.events.subscriber.StoreRules;
import io.privacyplatform.support.inbox.EventInbox;
import io.privacyplatform.support.outbox.Outbox;

/**
 * The transactional mode of a store, for a Quarkus service of this platform: its {@code @Incoming("commands")
 * @Blocking} listener hands each {@code privacy.command.v1} record here with its system name and its
 * {@link CommandHandler} (written as for the plain subscriber kit). The command's effect, its inbox row, its
 * remembered outcome and its ack (through the {@link Outbox}; an export too large for one ack as one row per part)
 * commit in one database transaction, so an ack exists exactly when its effect does. The store rules are the kit's
 * ({@link StoreRules}); what differs from the plain kit, and what a handler must guarantee, is in
 * {@code docs/events.md}, section "Stores: receiving commands". In
 * short: a handler that throws rolls everything back and {@link EventInbox}'s rules apply (tried again, or the
 * record goes to {@code privacy.command.v1.dlq} when the exception says the command itself is at fault); a
 * handler that knows it cannot do the command returns {@link CommandResult#failed(String)}.
 */
@ApplicationScoped
public class StoreCommandInbox {

    private static final Logger LOG = Logger.getLogger(StoreCommandInbox.class);

    @Inject
    EventInbox inbox;

    @Inject
    Outbox outbox;

    @Inject
    StoreCommandOutcomes outcomes;

    @Inject
    EventCodec codec;

    @Inject
    Clock clock;

    /**
     * Carries out and acknowledges the command in {@code record} if it is addressed to {@code systemName}.
     *
     * @return whether the record was taken (false for an event id this service processed before)
     */
    public boolean receive(ConsumerRecord<String, byte[]> record, String systemName, CommandHandler handler) {
        StoreRules rules = new StoreRules(systemName, codec, clock);
        return inbox.receive(record, PrivacyCommand.class, (envelope, command) -> {
            if (!rules.isForThisStore(command)) {
                return;
            }
            Optional<CommandAck> remembered = outcomes.find(command.commandId());
            if (remembered.isPresent()) {
                LOG.infof("command %s (%s) for %s was acknowledged before (%s); publishing its ack again",
                        command.commandId(), command.kind(), systemName, remembered.get().outcome());
                outbox.publishAs(rules.source(), command.tenantId(), envelope.key(), remembered.get());
                return;
            }
            List<CommandAck> acks = rules.acks(command, run(rules.guarded(handler), command, envelope));
            CommandAck first = acks.get(0); // several acks are an EXPORT's parts, which is never remembered
            if (rules.remembers(command, first)) {
                outcomes.remember(first);
            }
            // One outbox row per part, same key: the relay publishes them in this order.
            for (CommandAck ack : acks) {
                outbox.publishAs(rules.source(), command.tenantId(), envelope.key(), ack);
            }
        });
    }

    /** Unchecked exceptions pass as they are (EventInbox sorts them); a checked one is a failure to try again. */
    private static CommandResult run(CommandHandler handler, PrivacyCommand command, EventEnvelope envelope) {
        try {
            return handler.handle(command, envelope);
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handling command " + command.commandId(), e);
        } catch (Exception e) {
            throw new IllegalStateException("the handler of command " + command.commandId() + " failed", e);
        }
    }
}
