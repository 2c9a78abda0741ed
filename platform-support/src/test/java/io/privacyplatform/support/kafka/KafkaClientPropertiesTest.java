package io.privacyplatform.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Which of the {@code kafka.*} settings every hand-built client shares. */
class KafkaClientPropertiesTest {

    @Test
    void shouldKeepTheConnectionAndSecuritySettingsOnly() {
        Map<String, Object> common = KafkaClientProperties.common(Map.of(
                "bootstrap.servers", "broker:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/kafka/truststore.p12",
                "ssl.keystore.location", "/etc/kafka/keystore.p12",
                "group.id", "someone-elses",
                "value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
                "auto.offset.reset", "latest"));

        assertThat(common).containsOnlyKeys("bootstrap.servers", "security.protocol", "sasl.mechanism",
                "sasl.jaas.config", "ssl.truststore.location", "ssl.keystore.location");
        assertThat(common).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldAddTheClientsOwnSettingsToACopy() {
        KafkaClientProperties clients = new KafkaClientProperties(Map.of("bootstrap.servers", "broker:9093",
                "security.protocol", "SASL_PLAINTEXT"));

        Map<String, Object> admin = clients.with(Map.of("client.id", "readiness"));

        assertThat(admin).containsEntry("client.id", "readiness").containsEntry("security.protocol", "SASL_PLAINTEXT");
        assertThat(clients.common()).doesNotContainKey("client.id");
    }

    @Test
    void shouldRejectAConfigurationWithoutBootstrapServers() {
        assertThatThrownBy(() -> KafkaClientProperties.common(Map.of("security.protocol", "SASL_SSL")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("kafka.bootstrap.servers");
    }
}
