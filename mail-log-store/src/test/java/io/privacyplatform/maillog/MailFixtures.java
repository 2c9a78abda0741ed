package io.privacyplatform.maillog;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

import io.privacyplatform.events.EventCodec;
import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.keys.JdbcSubjectKeys;
import io.privacyplatform.maillog.service.MailSampling;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestKeyStore;
import io.privacyplatform.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Messages and events as the delivery pipeline and the platform send them. */
public final class MailFixtures {

    // With the key store the services under test use: their events' personal fields are sealed.
    public static final EventCodec CODEC = new EventCodec(Clock.systemUTC(),
            JdbcSubjectKeys.fromSettings(TestKeyStore.settings()));

    private MailFixtures() {
    }

    public static Map<String, Object> message(String messageId, String from, List<String> to, Instant sentAt,
            String body) {
        Map<String, Object> message = new LinkedHashMap<>(Map.of("messageId", messageId, "from", from, "to", to,
                "cc", List.of(), "subject", "Hello", "sentAt", sentAt.toString(), "headers",
                Map.of("X-Mailer", "pipeline")));
        if (body != null) {
            message.put("body", body);
        }
        return message;
    }

    public static Response post(String tenant, Object body) {
        return RestAssured.given().header("Authorization", TestTokens.bearer(tenant, "app"))
                .contentType(ContentType.JSON).body(body).post("/v1/messages");
    }

    /** A message id the 1-in-100 rule samples (or not) under the application's secret, with a unique prefix. */
    public static String messageId(boolean sampled) {
        MailSampling sampling = new MailSampling(
                ConfigProvider.getConfig().getValue("mail-log.sampling-secret", String.class));
        String prefix = "m-" + UUID.randomUUID() + "-";
        for (int i = 0;; i++) {
            if (sampling.isSampled(prefix + i) == sampled) {
                return prefix + i;
            }
        }
    }

    public static void publish(String topic, String tenant, String key, Object payload) {
        PlatformTestResource.kafka().send(CODEC.envelope("/tests", tenant, key, payload).toRecord(topic));
    }
}
