package io.privacyplatform.support.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class StoreRegistrationTest {

    @Test
    void shouldDeclareTheSubjectIdAsIdentifierUnlessConfiguredOtherwise() {
        assertThat(describe(Map.of("privacy.store.system-name", "crm")))
                .containsEntry("identifiers", List.of("subjectId"));
        assertThat(describe(Map.of("privacy.store.system-name", "mail-log", "privacy.store.identifiers", "email")))
                .containsEntry("identifiers", List.of("email"));
        assertThat(describe(Map.of("privacy.store.identifiers", "subjectId,email")))
                .containsEntry("identifiers", List.of("subjectId", "email"));
    }

    /** The registration body built from {@code properties} alone, as a store would send it. */
    private static Map<String, Object> describe(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(StoreRegistrationConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        StoreRegistration registration = new StoreRegistration();
        registration.config = config.getConfigMapping(StoreRegistrationConfig.class);
        return registration.description();
    }
}
