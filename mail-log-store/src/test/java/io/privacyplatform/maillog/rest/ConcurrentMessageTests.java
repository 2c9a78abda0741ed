package io.privacyplatform.maillog.rest;

import static io.privacyplatform.maillog.MailFixtures.message;
import static io.privacyplatform.maillog.MailFixtures.messageId;
import static io.privacyplatform.maillog.MailFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.privacyplatform.testing.Concurrently;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The same message id posted by several requests at once: one is stored, the others are told 409. */
@QuarkusTest
class ConcurrentMessageTests {

    @Test
    void shouldAnswer409ToConcurrentPostsOfOneMessageId() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String id = messageId(false);
        Instant sentAt = Instant.now().minus(1, ChronoUnit.MINUTES);
        List<Response> responses = Concurrently.run(8, Duration.ofSeconds(60),
                () -> post(tenant, message(id, "sender@example.com", List.of("to@example.com"), sentAt, null)));
        List<Integer> statuses = responses.stream().map(Response::statusCode).toList();
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        responses.stream().filter(r -> r.statusCode() == 409)
                .forEach(r -> assertThat(r.jsonPath().getString("error.code")).isEqualTo("duplicate_message"));
        assertThat(TestDatabase.count("SELECT count(*) FROM mail_message WHERE tenant_id = ? AND message_id = ?",
                tenant, id)).isEqualTo(1);
    }
}
