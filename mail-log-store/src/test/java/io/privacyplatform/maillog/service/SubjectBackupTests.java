package io.privacyplatform.maillog.service;

import static io.privacyplatform.maillog.MailFixtures.message;
import static io.privacyplatform.maillog.MailFixtures.messageId;
import static io.privacyplatform.maillog.MailFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.privacyplatform.maillog.rest.MessageView;
import io.privacyplatform.support.keys.SubjectKeyStore;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/** A backup sealed with the subjects' keys: after one subject's key is destroyed, only the other's lines restore. */
@QuarkusTest
class SubjectBackupTests {

    @Inject
    SubjectBackup backup;

    @Inject
    SubjectKeyStore keyStore;

    @Test
    void shouldLeaveAnErasedSubjectsBackupUnreadableAndAnotherSubjectsReadable() {
        String tenant = "backup-" + UUID.randomUUID();
        String ann = "ann-" + UUID.randomUUID() + "@example.com";
        String bob = "bob-" + UUID.randomUUID() + "@example.com";
        for (String recipient : List.of(ann, ann, bob)) {
            post(tenant, message(messageId(false), "shop@acme.example", List.of(recipient), Instant.now(), null))
                    .then().statusCode(201);
        }
        List<SubjectBackup.Line> annLines = backup.write(tenant, "pseudonym-of-ann", ann);
        List<SubjectBackup.Line> bobLines = backup.write(tenant, "pseudonym-of-bob", bob);
        assertThat(annLines).hasSize(2).allSatisfy(line -> assertThat(line.sealed()).startsWith("sealed:v1:")
                .doesNotContain(ann));
        assertThat(backup.read(tenant, annLines).messages()).extracting(MessageView::to)
                .containsOnly(List.of(ann));

        // retention-service's part once every store acknowledged ann's erasure: her keys are destroyed.
        assertThat(keyStore.keys().orElseThrow().destroy(tenant, "pseudonym-of-ann")).hasSize(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM mail_message WHERE tenant_id = ?", tenant)).isEqualTo(3);

        SubjectBackup.Restored annRestored = backup.read(tenant, annLines);
        assertThat(annRestored.messages()).isEmpty();
        assertThat(annRestored.erased()).isEqualTo(2);
        SubjectBackup.Restored bobRestored = backup.read(tenant, bobLines);
        assertThat(bobRestored.messages()).extracting(MessageView::to).containsExactly(List.of(bob));
        assertThat(bobRestored.erased()).isZero();
    }
}
