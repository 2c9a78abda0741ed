package io.privacyplatform.retention;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.subscriber.CommandResult;
import io.privacyplatform.events.subscriber.CommandSubscriber;
import io.privacyplatform.events.subscriber.InMemoryAcknowledgedCommands;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestKeyStore;

/**
 * A downstream store built on the subscriber kit, against the test broker: it records what it was asked to do. It
 * signs its acks with {@link RetentionFixtures#STORE_KEYS}, the key {@link RetentionFixtures#registerSystem}
 * registers.
 */
public final class SimulatedStore implements AutoCloseable {

    private final CommandSubscriber subscriber;
    private final List<PrivacyCommand> handled = new CopyOnWriteArrayList<>();

    private SimulatedStore(String systemName, Function<PrivacyCommand, CommandResult> behaviour) {
        this.subscriber = CommandSubscriber.builder()
                .bootstrapServers(PlatformTestResource.kafka().bootstrapServers())
                .systemName(systemName)
                .ackSigningKey(RetentionFixtures.STORE_KEYS.getPrivate())
                // The platform's key store: the commands it reads are sealed (a key cache of its own, as a store has).
                .subjectKeys(JdbcSubjectKeys.fromSettings(TestKeyStore.settings()))
                .handler((command, envelope) -> {
                    handled.add(command);
                    return behaviour.apply(command);
                })
                .acknowledgedCommands(new InMemoryAcknowledgedCommands())
                .pollTimeout(Duration.ofMillis(100))
                .retryBackoff(Duration.ofMillis(200))
                .build();
    }

    /** A store that erases (or purges) the given record ids and answers DONE. */
    public static SimulatedStore erasing(String systemName, String... recordIds) {
        return new SimulatedStore(systemName, command -> CommandResult.done(List.of(recordIds))).start();
    }

    public static SimulatedStore answering(String systemName, Function<PrivacyCommand, CommandResult> behaviour) {
        return new SimulatedStore(systemName, behaviour).start();
    }

    private SimulatedStore start() {
        subscriber.start();
        return this;
    }

    public List<PrivacyCommand> handled() {
        return handled;
    }

    @Override
    public void close() {
        subscriber.close();
    }
}
