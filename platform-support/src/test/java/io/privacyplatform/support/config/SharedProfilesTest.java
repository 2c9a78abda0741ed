package io.privacyplatform.support.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The shared defaults every service starts from, read per profile as Quarkus reads them. A prod-profile Quarkus test
 * would cost a whole boot; what matters is that the settings are there and resolve per profile.
 */
class SharedProfilesTest {

    private static final String SHARED = "META-INF/microprofile-config.properties";

    @Test
    void shouldTurnSwaggerUiOffInTheProdProfile() {
        assertThat(profile("prod").getOptionalValue("quarkus.swagger-ui.enable", Boolean.class)).contains(false);
    }

    @ParameterizedTest(name = "Swagger UI stays on in {0}")
    @ValueSource(strings = { "dev", "test" })
    void shouldKeepSwaggerUiInDevAndTest(String name) {
        SmallRyeConfig config = profile(name);
        assertThat(config.getOptionalValue("quarkus.swagger-ui.enable", Boolean.class).orElse(true)).isTrue();
        assertThat(config.getValue("quarkus.swagger-ui.always-include", Boolean.class)).isTrue();
    }

    @ParameterizedTest(name = "health and metrics on the management interface in {0}")
    @ValueSource(strings = { "prod", "dev", "test" })
    void shouldServeHealthAndMetricsOnTheManagementInterface(String name) {
        SmallRyeConfig config = profile(name);
        assertThat(config.getValue("quarkus.management.enabled", Boolean.class)).isTrue();
        // Tests take a free port, like the API's, so parallel builds and a running system never clash.
        assertThat(config.getValue("quarkus.management.test-port", Integer.class)).isZero();
    }

    private static SmallRyeConfig profile(String name) {
        return new SmallRyeConfigBuilder().withProfile(name)
                .withSources(new PropertiesConfigSource(shared(), "platform-support shared defaults", 100)).build();
    }

    private static Map<String, String> shared() {
        Properties properties = new Properties();
        // This module's own copy comes first on its test class path.
        try (InputStream in = SharedProfilesTest.class.getClassLoader().getResourceAsStream(SHARED)) {
            assertThat(in).as(SHARED + " on the class path").isNotNull();
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
        assertThat(values).as("platform-support's shared defaults").containsKey("quarkus.devservices.enabled");
        return values;
    }
}
