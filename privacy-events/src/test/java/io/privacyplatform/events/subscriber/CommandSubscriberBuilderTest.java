package io.privacyplatform.events.subscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.privacyplatform.events.Examples;
import io.privacyplatform.events.RecordDigest;
import io.privacyplatform.events.payload.AckOutcome;

class CommandSubscriberBuilderTest {

    private CommandSubscriberBuilder valid() {
        return CommandSubscriber.builder()
                .bootstrapServers("127.0.0.1:1")
                .systemName("mail-log-store")
                .ackSigningKey(Examples.STORE_KEYS.getPrivate())
                .handler((command, envelope) -> CommandResult.notFound())
                .acknowledgedCommands(new InMemoryAcknowledgedCommands());
    }

    @Test
    void theGroupDefaultsToTheSystemName() {
        assertThat(valid().build().groupId()).isEqualTo("store-mail-log-store");
        assertThat(valid().groupId("custom").build().groupId()).isEqualTo("custom");
    }

    @Test
    void settingsTheGuaranteesDependOnCannotBeOverridden() {
        assertThatThrownBy(() -> valid().clientProperty("enable.auto.commit", true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.auto.commit");
        assertThatThrownBy(() -> valid().consumerProperties(Map.of("auto.offset.reset", "latest")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auto.offset.reset");
        assertThatThrownBy(() -> valid().producerProperties(Map.of("acks", "1")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks");
        assertThat(valid().clientProperty("enable.auto.commit", false).producerProperties(Map.of("acks", "all"))
                .build()).isNotNull();
    }

    @Test
    void shouldHandADeadSubscribersPartitionsOnBeforeTheDefaultAckTimeout() {
        // 30 s: StoreRegistrationConfig's default ackTimeout; Kafka's own 45 s made every waiting command a re-send.
        assertThat((int) ClientSettings.of(valid(), "g").consumer().get("session.timeout.ms")).isLessThan(30_000);
        assertThat(ClientSettings.of(valid().consumerProperties(Map.of("session.timeout.ms", 20_000)), "g").consumer())
                .containsEntry("session.timeout.ms", 20_000);
    }

    @Test
    void shouldRequireAnAckSigningKey() {
        assertThatThrownBy(() -> valid().ackSigningKey(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("ackSigningKey");
    }

    @Test
    void aSystemNameMustBeUsableInTheAckSource() {
        assertThatThrownBy(() -> valid().systemName("mail log").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().systemName(null).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingASubscriberThatNeverStartedIsHarmlessAndFinal() {
        CommandSubscriber subscriber = valid().build();

        subscriber.close();

        assertThat(subscriber.isRunning()).isFalse();
        assertThatThrownBy(subscriber::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void resultFactoriesCountAndDigestTheAffectedRecords() {
        assertThat(CommandResult.done(List.of("b", "a", "b")))
                .isEqualTo(new CommandResult(AckOutcome.DONE, 2, RecordDigest.of("a", "b"), null, null));
        assertThat(CommandResult.notFound())
                .isEqualTo(new CommandResult(AckOutcome.NOT_FOUND, 0, RecordDigest.EMPTY, null, null));
        assertThat(CommandResult.held("legal hold until 2026-01-01").detail()).isEqualTo("legal hold until 2026-01-01");
        assertThat(CommandResult.failed("archive offline").outcome()).isEqualTo(AckOutcome.FAILED);
        assertThat(CommandResult.exported(List.of("m-1"), JsonNodeFactory.instance.objectNode()).records())
                .isEqualTo(1);
        assertThatThrownBy(() -> CommandResult.held(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
