package io.privacyplatform.maillog.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.privacyplatform.support.store.StoreRegistration;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class StoreDescriptionTests {

    @Inject
    StoreRegistration registration;

    @Test
    void shouldDescribeItselfToRetentionServiceAsTheMailLogInTheEea() {
        assertThat(registration.description())
                .containsEntry("region", "EEA")
                .containsEntry("categories", List.of("email_headers", "email_sample"))
                .containsEntry("capabilities", List.of("erase", "purge", "export", "restrict"))
                .containsEntry("ackTimeout", "PT30S");
        // No retention URL or token in tests: it does not try to register.
        assertThat(registration.isRegistered()).isFalse();
    }
}
