package io.privacyplatform.retention.outage;

import static io.privacyplatform.retention.RetentionFixtures.commandsOn;
import static io.privacyplatform.retention.RetentionFixtures.envelope;
import static io.privacyplatform.retention.RetentionFixtures.registerSystem;
import static io.privacyplatform.retention.RetentionFixtures.send;
import static io.privacyplatform.retention.RetentionFixtures.unique;
import static io.privacyplatform.retention.RetentionFixtures.verified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.payload.RightsRequestChanged;
import io.privacyplatform.testing.PlatformTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Issue 12, point 4: a valid event never goes to a dead-letter topic because the database was away. Verified erasure
 * requests arrive while retention-service's PostgreSQL is stopped for 30 s; once it is back, each becomes exactly one
 * command (in PostgreSQL and on {@code privacy.command.v1}), and nothing is on {@code privacy.rights-request.v1.dlq}.
 */
@QuarkusTest
@TestProfile(PostgresOutageProfile.class)
class PostgresOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final int REQUESTS = 5;

    @Test
    void shouldActOnceOnEveryVerifiedRequestThatArrivedWhilePostgresWasDownAndDeadLetterNone() throws Exception {
        String crm = unique("crm");
        registerSystem(crm, List.of("contact"), List.of("erase"), "PT30S");
        List<RightsRequestChanged> requests = IntStream.range(0, REQUESTS)
                .mapToObj(i -> verified("acme", "erasure", unique("subj"))).toList();
        List<EventEnvelope> events = requests.stream().map(r -> envelope(r)).toList();

        OutagePostgresTestResource.stopPostgres();
        Instant stopped = Instant.now();
        try {
            send(Topics.RIGHTS_REQUEST, events.toArray(EventEnvelope[]::new));
            // The outage itself: the only wait in this test that is not for a condition.
            Thread.sleep(Math.max(0, OUTAGE.minus(Duration.between(stopped, Instant.now())).toMillis()));
            assertThat(deadLetters()).as("nothing dead-lettered during the outage").isEmpty();
        } finally {
            OutagePostgresTestResource.startPostgres();
        }

        for (RightsRequestChanged request : requests) {
            List<PrivacyCommand> commands = await().atMost(Duration.ofSeconds(90))
                    .until(() -> commandsOn(request.requestId()), c -> !c.isEmpty());
            assertThat(commands).singleElement().satisfies(command -> {
                assertThat(command.kind()).isEqualTo(CommandKind.ERASE);
                assertThat(command.targetSystem()).isEqualTo(crm);
                assertThat(command.subject().subjectId()).isEqualTo(request.subjectId());
            });
            assertThat(storedCommands(request.requestId())).isEqualTo(1);
        }
        // The relay published everything it had: no second command of any request can still come.
        await().atMost(Duration.ofSeconds(30)).until(() -> unsentOutboxRows() == 0);
        for (RightsRequestChanged request : requests) {
            assertThat(commandsOn(request.requestId())).hasSize(1);
        }
        // This profile's broker is its own: the dead-letter topic holds nothing at all.
        assertThat(deadLetters()).isEmpty();
    }

    private static List<String> deadLetters() {
        List<String> ids = new ArrayList<>();
        PlatformTestResource.kafka().readAll(Topics.deadLetterOf(Topics.RIGHTS_REQUEST))
                .forEach(r -> ids.add(r.key() + "@" + r.offset()));
        return ids;
    }

    private static long storedCommands(String requestId) throws SQLException {
        return count("SELECT count(*) FROM subject_command WHERE request_id = ?", requestId);
    }

    private static long unsentOutboxRows() throws SQLException {
        return count("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL");
    }

    private static long count(String sql, String... params) throws SQLException {
        try (Connection connection = OutagePostgresTestResource.connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setString(i + 1, params[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
