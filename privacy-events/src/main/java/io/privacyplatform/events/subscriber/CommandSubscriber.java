package io.privacyplatform.events.subscriber;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.TopicAccess;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.PrivacyCommand;

/**
 * The subscriber kit: how a store that is not a Quarkus service of this platform receives the
 * {@code privacy.command.v1} commands addressed to it, carries them out and acknowledges them on
 * {@code privacy.command.ack.v1} (plain Java: kafka-clients and privacy-events only).
 *
 * <pre>{@code
 * CommandSubscriber subscriber = CommandSubscriber.builder()
 *         .bootstrapServers("kafka:9092")
 *         .systemName("crm")                         // the name the platform addresses commands to
 *         .handler((command, envelope) -> switch (command.kind()) {
 *             // erase(...) returns the ids of the erased records, after committing the erasure
 *             case ERASE -> CommandResult.done(store.erase(command.tenantId(), command.subject().subjectId()));
 *             case PURGE -> CommandResult.done(store.purgeOlderThan(command.tenantId(), command.cutoff()));
 *             default -> CommandResult.failed("unsupported command kind " + command.kind());
 *         })
 *         .acknowledgedCommands(new JdbcAcknowledgedCommands(dataSource))   // your AcknowledgedCommands
 *         .ackSigningKeyFile(Path.of("/secrets/crm-ack.pem"))  // Ed25519; its public half is on the data map
 *         .build()
 *         .start();
 * ...
 * subscriber.close();
 * }</pre>
 *
 * What the kit does record by record, the store rules ({@link StoreRules}) and what the handler must guarantee
 * are written once, in {@code docs/events.md}, section "Stores: receiving commands". In short: one thread polls
 * (consumer group {@code store-<systemName>} unless set otherwise, manual commits), copies a record that is not a
 * valid command to {@code privacy.command.v1.dlq} (with {@code dlq-*} headers), publishes each ack with an idempotent
 * producer (an export too large for one ack as ordered parts, one after the other) and commits a record's offset
 * only once its acks are confirmed and remembered; if publishing or remembering fails it seeks back to that record
 * and retries after {@link SubscriberBuilder#retryBackoff}, republishing the same acks without running the
 * handler again. No valid command ever goes to the dead-letter topic: an infrastructure failure (broker, the store's
 * database behind {@link AcknowledgedCommands}) and an unexpected bug alike make the kit seek back and take the record
 * again after the backoff, uncommitted, for as long as it takes (logged at ERROR for a bug), never skip it or stop.
 * A handler exception becomes a {@code FAILED} ack
 * with the exception's message as detail. Log lines name the command id, kind and system, never the subject, an
 * address or a handler's exception message. The loop itself is {@link SubscriberLoop}'s, shared with the
 * {@link ConsentSubscriber}; what is particular to commands is here.
 */
public final class CommandSubscriber extends AcknowledgingSubscriber<CommandSubscriber> {

    public static final String HEADER_DLQ_ERROR = "dlq-error";
    public static final String HEADER_DLQ_ORIGINAL_TOPIC = "dlq-original-topic";
    public static final String HEADER_DLQ_ORIGINAL_PARTITION = "dlq-original-partition";
    public static final String HEADER_DLQ_ORIGINAL_OFFSET = "dlq-original-offset";
    /** The system whose subscriber rejected the record (every store reads, and rejects, the same poison record). */
    public static final String HEADER_DLQ_SYSTEM = "dlq-system";
    /** Set, with the original size in bytes, when the value was too large to copy and was dropped. */
    public static final String HEADER_DLQ_VALUE_DROPPED = "dlq-value-dropped";

    /** Detail texts and DLQ error headers are cut to this many characters. */
    public static final int MAX_DETAIL_CHARS = StoreRules.MAX_DETAIL_CHARS;

    private static final Logger LOG = LoggerFactory.getLogger(CommandSubscriber.class);

    CommandSubscriber(CommandSubscriberBuilder builder) {
        super(loop(builder));
    }

    public static CommandSubscriberBuilder builder() {
        return new CommandSubscriberBuilder();
    }

    private static SubscriberLoop<PrivacyCommand, CommandAck> loop(CommandSubscriberBuilder builder) {
        EventCodec codec = SubscriberLoop.codecOf(builder);
        StoreRules rules = new StoreRules(builder.systemName, codec, builder.clock);
        CommandHandler handler = rules.guarded(Objects.requireNonNull(builder.handler, "handler"));
        Commands commands = new Commands(rules, codec, handler,
                Objects.requireNonNull(builder.acknowledgedCommands, "acknowledgedCommands"));
        return new SubscriberLoop<>("command subscriber", builder, rules.systemName(),
                TopicAccess.STORE_GROUP_PREFIX, Topics.COMMAND, Topics.COMMAND_ACK, rules.source(), codec, commands);
    }

    /** A store's commands: those addressed to it, answered by the store rules from the handler's result. */
    private record Commands(StoreRules rules, EventCodec codec, CommandHandler handler,
            AcknowledgedCommands acknowledged)
            implements SubscriberProtocol<PrivacyCommand, CommandAck> {

        @Override
        public PrivacyCommand decode(EventEnvelope envelope) {
            return codec.decode(envelope, PrivacyCommand.class);
        }

        @Override
        public boolean concerns(PrivacyCommand command) {
            return rules.isForThisStore(command);
        }

        @Override
        public String idOf(PrivacyCommand command) {
            return command.commandId();
        }

        @Override
        public String answered(CommandAck ack) {
            return ack.commandId();
        }

        @Override
        public String describe(PrivacyCommand command) {
            return "command " + command.commandId() + " (" + command.kind() + ")";
        }

        @Override
        public String outcomeOf(CommandAck ack) {
            return ack.outcome().name();
        }

        @Override
        public Optional<CommandAck> remembered(String commandId) {
            return acknowledged.find(commandId);
        }

        @Override
        public List<CommandAck> answer(PrivacyCommand command, EventEnvelope envelope) throws InterruptedException {
            return rules.acks(command, handle(command, envelope));
        }

        /** The handler's result; here an exception is a {@code FAILED} result with the exception's message. */
        private CommandResult handle(PrivacyCommand command, EventEnvelope envelope) throws InterruptedException {
            try {
                return handler.handle(command, envelope);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // The message goes to the ack (the issuer needs it), not to the log: it may name the subject.
                LOG.warn("command {} ({}) for {} failed in the handler: {}", command.commandId(), command.kind(),
                        rules.systemName(), e.getClass().getName());
                return CommandResult.failed(e.getMessage() == null || e.getMessage().isBlank()
                        ? e.getClass().getName() : e.getMessage());
            }
        }

        @Override
        public boolean remembers(PrivacyCommand command, CommandAck first) {
            return rules.remembers(command, first);
        }

        @Override
        public void remember(CommandAck ack) {
            acknowledged.remember(ack);
        }

        /**
         * The same ack always travels with the same event id, so a republished ack is recognisably a duplicate; each
         * part of an export has its own.
         */
        @Override
        public String ackEventId(CommandAck ack) {
            String part = ack.part() == null ? "" : "\n" + ack.part();
            return UUID.nameUUIDFromBytes((ack.system() + '\n' + ack.commandId() + '\n' + ack.completedAt() + part)
                    .getBytes(StandardCharsets.UTF_8)).toString();
        }
    }
}
