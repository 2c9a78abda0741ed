package io.privacyplatform.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.privacyplatform.system.PlatformProcesses.Service;

/** Scenario 4 of issue 7: headers and sampled bodies go after 35 days; a trusted account has no bodies kept. */
class RetentionIT {

    private static PlatformProcesses platform;
    private static PlatformApi api;

    @BeforeAll
    static void startPlatform() {
        platform = PlatformProcesses.get();
        api = new PlatformApi(platform);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.as(Service.RETENTION, "platform", "admin")
                .get("/v1/systems/mail-log-store").statusCode() == 200);
    }

    @Test
    void shouldDeleteMessagesOlderThan35DaysOnAPolicyRunAndKeepYoungerOnes() {
        String tenant = "ret-" + UUID.randomUUID().toString().substring(0, 8);
        String recipient = "hal@" + tenant + ".example";
        api.messages(tenant, recipient, 300, Duration.ofDays(40));
        api.messages(tenant, recipient, 300, Duration.ofDays(10));
        long oldBodies = platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_sample s JOIN mail_message m"
                + " ON m.id = s.message_pk WHERE m.tenant_id = ? AND m.sent_at < now() - interval '35 days'", tenant);
        assertThat(oldBodies).as("1 in 100 of 300 old messages sampled").isPositive();

        for (String policy : new String[] { "email_headers", "email_sample" }) {
            int status = api.as(Service.RETENTION, "platform", "admin").post("/v1/policies/" + policy + "/runs")
                    .then().extract().statusCode();
            assertThat(status).isIn(200, 201);
        }

        await().atMost(PlatformApi.COMPLETION).until(() -> platform.count(Service.MAIL_LOG,
                "SELECT count(*) FROM mail_message WHERE tenant_id = ? AND sent_at < now() - interval '35 days'",
                tenant) == 0);
        assertThat(platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_message WHERE tenant_id = ?", tenant))
                .isEqualTo(300);
        assertThat(platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_sample s JOIN mail_message m"
                + " ON m.id = s.message_pk WHERE m.tenant_id = ? AND m.sent_at < now() - interval '35 days'", tenant))
                .isZero();
    }

    @Test
    void shouldKeepNoBodiesForATrustedAccount() {
        String tenant = "trusted-" + UUID.randomUUID().toString().substring(0, 8);
        api.as(Service.RETENTION, "platform", "admin").body(Map.of("trusted", true, "region", "EEA"))
                .put("/v1/tenants/" + tenant + "/settings").then().statusCode(200);
        await().atMost(PlatformApi.COMPLETION).until(() -> platform.count(Service.MAIL_LOG,
                "SELECT count(*) FROM tenant_setting WHERE tenant_id = ? AND trusted", tenant) == 1);

        api.messages(tenant, "ivy@" + tenant + ".example", 300, Duration.ofHours(1));

        assertThat(platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_message WHERE tenant_id = ?", tenant))
                .isEqualTo(300);
        assertThat(platform.count(Service.MAIL_LOG, "SELECT count(*) FROM mail_sample s JOIN mail_message m"
                + " ON m.id = s.message_pk WHERE m.tenant_id = ?", tenant)).isZero();
    }
}
