package io.privacyplatform.events.subscriber;

/**
 * Configures a {@link CommandSubscriber}; {@link CommandSubscriber#builder()} makes one. Required: the bootstrap
 * servers, the system name, the handler, the {@link AcknowledgedCommands} and the ack signing key; the rest
 * ({@link SubscriberBuilder}) has defaults.
 */
public final class CommandSubscriberBuilder extends SubscriberBuilder<CommandSubscriberBuilder> {

    CommandHandler handler;
    AcknowledgedCommands acknowledgedCommands;

    CommandSubscriberBuilder() {
    }

    public CommandSubscriberBuilder handler(CommandHandler handler) {
        this.handler = handler;
        return this;
    }

    public CommandSubscriberBuilder acknowledgedCommands(AcknowledgedCommands acknowledgedCommands) {
        this.acknowledgedCommands = acknowledgedCommands;
        return this;
    }

    public CommandSubscriber build() {
        return new CommandSubscriber(this);
    }
}
