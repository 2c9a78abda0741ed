package io.privacyplatform.support.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.Ed25519Keys;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class StoreRegistrationTest {

    private static final String ACK_KEY = Ed25519Keys.publicKeyBase64(Ed25519Keys.generate().getPublic());

    @Test
    void shouldDeclareTheSubjectIdAsIdentifierUnlessConfiguredOtherwise() {
        assertThat(describe(Map.of("privacy.store.system-name", "crm")))
                .containsEntry("identifiers", List.of("subjectId"));
        assertThat(describe(Map.of("privacy.store.system-name", "mail-log", "privacy.store.identifiers", "email")))
                .containsEntry("identifiers", List.of("email"));
        assertThat(describe(Map.of("privacy.store.identifiers", "subjectId,email")))
                .containsEntry("identifiers", List.of("subjectId", "email"));
    }

    @Test
    void shouldSendThePublicKeyItsAcksAreSignedWith() {
        assertThat(describe(Map.of("privacy.store.system-name", "crm"))).containsEntry("ackPublicKey", ACK_KEY);
    }

    /** The registration body built from {@code properties} alone, as a store would send it. */
    private static Map<String, Object> describe(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(StoreRegistrationConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        StoreRegistration registration = new StoreRegistration();
        registration.config = config.getConfigMapping(StoreRegistrationConfig.class);
        return registration.description(ACK_KEY);
    }
}
