package io.privacyplatform.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The local run's admin client settings (.run/kafka/admin.properties: bootstrap servers, SASL/SCRAM as admin). */
final class KafkaSettings {

    private KafkaSettings() {
    }

    static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    /** The same connection as {@code admin}, logged in as another SCRAM user. */
    static Properties as(Properties admin, String user, String password) {
        Properties properties = new Properties();
        properties.putAll(admin);
        properties.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return properties;
    }
}
