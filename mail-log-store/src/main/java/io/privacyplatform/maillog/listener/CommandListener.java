package io.privacyplatform.maillog.listener;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.privacyplatform.events.subscriber.CommandSubscriber;
import io.privacyplatform.maillog.config.MailLogConfig;
import io.privacyplatform.maillog.service.MailLogCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Receives the platform's commands through the subscriber kit from privacy-events, the same code any internal
 * system uses: this store is the reference for how one plugs in.
 */
@ApplicationScoped
public class CommandListener {

    @Inject
    MailLogCommands commands;

    @Inject
    MailLogConfig config;

    @Inject
    Clock clock;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private CommandSubscriber subscriber;

    void start(@Observes StartupEvent event) {
        subscriber = CommandSubscriber.builder()
                .bootstrapServers(bootstrapServers)
                .systemName(config.systemName())
                .handler((command, envelope) -> commands.handle(command))
                .acknowledgedCommands(commands)
                .clock(clock)
                .build()
                .start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.close();
        }
    }

    public boolean isRunning() {
        return subscriber != null && subscriber.isRunning();
    }
}
