package io.privacyplatform.maillog.listener;

import static io.privacyplatform.maillog.MailFixtures.message;
import static io.privacyplatform.maillog.MailFixtures.messageId;
import static io.privacyplatform.maillog.MailFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.privacyplatform.events.EventEnvelope;
import io.privacyplatform.events.InvalidEventException;
import io.privacyplatform.events.RecordDigest;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.CommandAck;
import io.privacyplatform.events.payload.CommandKind;
import io.privacyplatform.events.payload.CommandSubject;
import io.privacyplatform.events.payload.PrivacyCommand;
import io.privacyplatform.events.subscriber.StoreRules;
import io.privacyplatform.maillog.MailFixtures;
import io.privacyplatform.testing.PlatformTestResource;
import io.privacyplatform.testing.TestDatabase;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The store's side of the command protocol, in platform-support's transactional mode, against the real broker and
 * database: what each command does to the mail log. (The store rules themselves are tested in platform-support.)
 */
@QuarkusTest
class CommandListenerIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant NOW = Instant.now();

    @Test
    void shouldEraseEveryMessageOfTheSubjectAndAckWithCountAndDigest() {
        String alice = unique("alice");
        String bob = unique("bob");
        List<String> aliceIds = new ArrayList<>();
        String sampled = messageId(true);
        post("acme", message(sampled, alice, List.of("shop@acme.example"), NOW, "her words")).then().statusCode(201);
        aliceIds.add(sampled);
        for (int i = 0; i < 3; i++) {
            String id = messageId(false);
            post("acme", message(id, "shop@acme.example", List.of(alice.toUpperCase()), NOW, null))
                    .then().statusCode(201);
            aliceIds.add(id);
        }
        String bobs = messageId(false);
        post("acme", message(bobs, "shop@acme.example", List.of(bob), NOW, null)).then().statusCode(201);
        String otherTenant = messageId(false);
        post("platform", message(otherTenant, "ops@platform.example", List.of(alice), NOW, null))
                .then().statusCode(201);
        List<String> pks = TestDatabase.rows("SELECT id::text AS id FROM mail_message WHERE tenant_id = 'acme'"
                + " AND message_id = ANY (?)", (Object) aliceIds.toArray(new String[0]))
                .stream().map(r -> (String) r.get("id")).toList();

        PrivacyCommand erase = command(CommandKind.ERASE, "acme", alice, null);
        send(erase);

        CommandAck ack = awaitAck(erase.commandId());
        assertThat(ack.outcome()).isEqualTo(AckOutcome.DONE);
        assertThat(ack.records()).isEqualTo(4);
        assertThat(ack.digest()).isEqualTo(RecordDigest.of(pks));
        assertThat(ack.system()).isEqualTo("mail-log-store");
        assertThat(TestDatabase.count("SELECT count(*) FROM mail_message WHERE tenant_id = 'acme'"
                + " AND (lower(sender) = ? OR ? = ANY (recipients))", alice, alice)).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM mail_message WHERE message_id IN (?, ?)", bobs,
                otherTenant)).isEqualTo(2);
        assertThat(TestDatabase.count("SELECT count(*) FROM mail_sample s JOIN mail_message m ON m.id = s.message_pk"
                + " WHERE m.message_id = ?", sampled)).isZero();

        // Delivered again (a re-send after a timeout): answered with the same outcome, nothing done twice.
        send(erase);
        await().atMost(WAIT).until(() -> acks(erase.commandId()).size() == 2);
        assertThat(acks(erase.commandId())).extracting(CommandAck::records).containsExactly(4L, 4L);
        assertThat(TestDatabase.count("SELECT count(*) FROM store_command_outcome WHERE command_id = ?",
                erase.commandId())).isEqualTo(1);
    }

    @Test
    void shouldIgnoreCommandsForOtherSystems() {
        String carol = unique("carol");
        post("acme", message(messageId(false), "shop@acme.example", List.of(carol), NOW, null)).then().statusCode(201);
        PrivacyCommand forOther = new PrivacyCommand(UUID.randomUUID().toString(), CommandKind.ERASE, "acme",
                "billing", null, new CommandSubject("s-" + carol, carol), List.of(), null, null, NOW, null, 1);
        send(forOther);
        PrivacyCommand export = command(CommandKind.EXPORT, "acme", carol, null);
        send(export);

        assertThat(awaitAck(export.commandId()).records()).isEqualTo(1);
        assertThat(acks(forOther.commandId())).isEmpty();
        assertThat(TestDatabase.count("SELECT count(*) FROM mail_message WHERE ? = ANY (recipients)", carol))
                .isEqualTo(1);
    }

    @Test
    void shouldPurgeWhatIsOlderThanTheCutoff() {
        String tenant = "purge-" + UUID.randomUUID().toString().substring(0, 8);
        String old = messageId(true);
        String young = messageId(false);
        post(tenant, message(old, "shop@x.example", List.of("dee@example.com"), NOW.minus(Duration.ofDays(40)), "b"))
                .then().statusCode(201);
        post(tenant, message(young, "shop@x.example", List.of("dee@example.com"), NOW.minus(Duration.ofDays(2)),
                null)).then().statusCode(201);

        PrivacyCommand purge = new PrivacyCommand(UUID.randomUUID().toString(), CommandKind.PURGE, tenant,
                "mail-log-store", null, null, List.of("email_headers", "email_sample"),
                NOW.minus(Duration.ofDays(35)), null, NOW, null, 1);
        send(purge);

        CommandAck ack = awaitAck(purge.commandId());
        assertThat(ack.outcome()).isEqualTo(AckOutcome.DONE);
        assertThat(ack.records()).isEqualTo(1);
        assertThat(TestDatabase.rows("SELECT message_id FROM mail_message WHERE tenant_id = ?", tenant))
                .extracting(r -> r.get("message_id")).containsExactly(young);
        assertThat(TestDatabase.count("SELECT count(*) FROM mail_sample s JOIN mail_message m ON m.id = s.message_pk"
                + " WHERE m.tenant_id = ?", tenant)).isZero();
    }

    @Test
    void shouldRefuseAPurgeOfEveryAccountWithoutADecisionAndPurgeNothing() {
        String tenant = "purge-" + UUID.randomUUID().toString().substring(0, 8);
        String old = messageId(false);
        post(tenant, message(old, "shop@x.example", List.of("dee@example.com"), NOW.minus(Duration.ofDays(40)), null))
                .then().statusCode(201);

        PrivacyCommand purge = new PrivacyCommand(UUID.randomUUID().toString(), CommandKind.PURGE,
                PrivacyCommand.EVERY_ACCOUNT, "mail-log-store", null, null, List.of("email_headers", "email_sample"),
                NOW.minus(Duration.ofDays(35)), null, NOW, null, 1);
        send(purge);

        CommandAck ack = awaitAck(purge.commandId());
        assertThat(ack.outcome()).isEqualTo(AckOutcome.FAILED);
        assertThat(ack.detail()).isEqualTo(StoreRules.NO_DECISION);
        assertThat(ack.records()).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM mail_message WHERE tenant_id = ? AND message_id = ?",
                tenant, old)).isEqualTo(1);
    }

    @Test
    void shouldExportOnlyTheSubjectsHeaders() {
        String erin = unique("erin");
        post("acme", message(messageId(false), erin, List.of("shop@acme.example"), NOW, null)).then().statusCode(201);
        post("acme", message(messageId(false), "shop@acme.example", List.of(unique("frank")), NOW, null))
                .then().statusCode(201);

        PrivacyCommand export = command(CommandKind.EXPORT, "acme", erin, null);
        send(export);

        CommandAck ack = awaitAck(export.commandId());
        assertThat(ack.data()).hasSize(1);
        assertThat(ack.data().get(0).get("from").asText()).isEqualTo(erin);
        assertThat(ack.data().get(0).has("body")).isFalse();
        // An export is not remembered: the remembered outcomes never hold exported data.
        assertThat(TestDatabase.count("SELECT count(*) FROM store_command_outcome WHERE command_id = ?",
                export.commandId())).isZero();
    }

    @Test
    void shouldExportASubjectWithAHundredThousandMessagesInOrderedAckParts() {
        int messages = 100_000;
        String ivy = unique("ivy");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // Written straight into the table: the point is the export, not 100,000 requests to the API.
        TestDatabase.execute("""
                INSERT INTO mail_message (id, tenant_id, message_id, sender, to_addresses, cc_addresses, recipients,
                                          subject, headers, sent_at, stored_at)
                SELECT gen_random_uuid(), 'acme', '<bulk-' || n || '-' || ?::text || '>', 'shop@acme.example',
                       ARRAY[?::text], ARRAY[]::varchar[], ARRAY[?::text], 'Your order ' || n,
                       '{"X-Mailer":"pipeline"}'::jsonb, ?::timestamptz + n * interval '1 millisecond', now()
                  FROM generate_series(0, ? - 1) AS n""", tag, ivy, ivy, java.sql.Timestamp.from(NOW), messages);

        PrivacyCommand export = command(CommandKind.EXPORT, "acme", ivy, null);
        send(export);

        // Part 1 names how many parts there are; wait until all of them are on the topic.
        List<CommandAck> parts = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                .until(() -> acks(export.commandId()), found -> !found.isEmpty()
                        && found.size() == found.get(0).parts());
        assertThat(parts.size()).isGreaterThan(1);
        List<String> exported = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            CommandAck part = parts.get(i);
            assertThat(part.part()).isEqualTo(i + 1);
            assertThat(part.parts()).isEqualTo(parts.size());
            assertThat(part.outcome()).isEqualTo(AckOutcome.DONE);
            assertThat(part.records()).isEqualTo(messages);
            assertThat(part.digest()).isEqualTo(parts.get(0).digest());
            part.data().forEach(item -> exported.add(item.get("messageId").asText()));
        }
        // The parts concatenated in order are the whole export, oldest message first.
        assertThat(exported).hasSize(messages).containsExactlyElementsOf(java.util.stream.IntStream
                .range(0, messages).mapToObj(n -> "<bulk-" + n + "-" + tag + ">").toList());
    }

    @Test
    void shouldAnswerNotFoundToARectificationAndChangeNothing() {
        String hank = unique("hank");
        String id = messageId(false);
        post("acme", message(id, hank, List.of("shop@acme.example"), NOW, null)).then().statusCode(201);
        String row = "SELECT sender, recipients::text AS recipients, subject, headers::text AS headers, restricted"
                + " FROM mail_message WHERE tenant_id = 'acme' AND message_id = ?";
        List<Map<String, Object>> before = TestDatabase.rows(row, id);

        PrivacyCommand rectify = command(CommandKind.RECTIFY, "acme", hank, Map.of("email", unique("henry")));
        send(rectify);

        CommandAck ack = awaitAck(rectify.commandId());
        assertThat(ack.outcome()).isEqualTo(AckOutcome.NOT_FOUND);
        assertThat(ack.detail()).isEqualTo("sent messages are a record and are not rectified");
        assertThat(ack.records()).isZero();
        assertThat(TestDatabase.rows(row, id)).hasSize(1).isEqualTo(before);
    }

    @Test
    void shouldHideRestrictedMessagesUntilTheRestrictionIsLifted() {
        String gus = unique("gus");
        post("acme", message(messageId(false), "shop@acme.example", List.of(gus), NOW, null)).then().statusCode(201);

        PrivacyCommand restrict = command(CommandKind.RESTRICT, "acme", gus, null);
        send(restrict);
        assertThat(awaitAck(restrict.commandId()).records()).isEqualTo(1);
        listFor(gus).then().statusCode(200).body("items", hasSize(0));

        PrivacyCommand lift = command(CommandKind.LIFT_RESTRICTION, "acme", gus, null);
        send(lift);
        assertThat(awaitAck(lift.commandId()).records()).isEqualTo(1);
        listFor(gus).then().statusCode(200).body("items", hasSize(1));
    }

    private static io.restassured.response.Response listFor(String recipient) {
        return RestAssured.given().header("Authorization", TestTokens.bearer("acme", "app"))
                .queryParam("recipient", recipient).get("/v1/messages");
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static PrivacyCommand command(CommandKind kind, String tenant, String email, Map<String, String> pairs) {
        return new PrivacyCommand(UUID.randomUUID().toString(), kind, tenant, "mail-log-store",
                "req-" + UUID.randomUUID(), new CommandSubject("subject-of-" + email, email), List.of(), null, pairs,
                NOW, NOW.plus(Duration.ofDays(30)), 1);
    }

    private static void send(PrivacyCommand command) {
        MailFixtures.publish(Topics.COMMAND, command.tenantId(), "key-" + command.tenantId(), command);
    }

    private static CommandAck awaitAck(String commandId) {
        return await().atMost(WAIT).until(() -> acks(commandId), list -> !list.isEmpty()).get(0);
    }

    private static List<CommandAck> acks(String commandId) {
        List<CommandAck> acks = new ArrayList<>();
        PlatformTestResource.kafka().readAll(Topics.COMMAND_ACK).forEach(record -> {
            try {
                CommandAck ack = MailFixtures.CODEC.decode(EventEnvelope.fromRecord(record), CommandAck.class);
                if (ack.commandId().equals(commandId)) {
                    acks.add(ack);
                }
            } catch (InvalidEventException e) {
                // not an ack of ours
            }
        });
        return acks;
    }
}
