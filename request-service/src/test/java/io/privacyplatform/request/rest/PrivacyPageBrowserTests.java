package io.privacyplatform.request.rest;

import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.notifications;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.payload.Notification;
import io.privacyplatform.request.MailerKeys;
import io.privacyplatform.request.RequestFixtures;
import io.privacyplatform.testing.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The privacy page end to end in a real headless Chromium, as a data subject uses it: the form, the code read from
 * privacy.notification.v1 on the test broker and opened with the mailer's key (what the mailer would e-mail), the
 * progress of the request while the store and retention-service report on Kafka, and the export downloaded once.
 * Leaves target/privacy-page-*.png. Skipped without Chromium like the dashboard's (failing in CI).
 */
@QuarkusTest
class PrivacyPageBrowserTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @Inject
    SubjectPseudonym pseudonym;

    private HeadlessChromium chromium;
    private WebDriver browser;

    @BeforeEach
    void startBrowser() throws Exception {
        chromium = HeadlessChromium.start("privacy-page");
        browser = chromium.driver();
        browser.manage().window().setSize(new Dimension(1000, 1100));
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void shouldSubmitConfirmFollowAndDownloadTheExportOnce() throws Exception {
        clock().set(at("2026-05-04T08:00:00Z"));
        String email = "jane-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

        browser.get(root + "privacy/acme");
        chromium.waitFor(By.id("request-form"));
        assertThat(new Select(browser.findElement(By.id("type"))).getOptions()).extracting(o -> o.getAttribute("value"))
                .contains("access", "erasure", "rectification", "restriction", "portability", "objection",
                        "information", "automated_decision_review");
        assertThat(browser.findElements(By.cssSelector("script[src], link[href^='http']"))).as("no CDN").isEmpty();
        new Select(browser.findElement(By.id("type"))).selectByValue("access");
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("details")).sendKeys("Please include the e-mails you sent me.");
        chromium.screenshot("privacy-page-form.png");
        browser.findElement(By.id("submit")).click();

        chromium.waitForPage("/privacy/acme/requests/");
        chromium.waitFor(By.id("code-form"));
        String id = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
        Cookie access = browser.manage().getCookieNamed(PrivacyPageResource.ACCESS_COOKIE);
        assertThat(access.isHttpOnly()).isTrue();
        assertThat(access.getSameSite()).isEqualTo("Strict");
        assertThat(access.getPath()).isEqualTo("/privacy/acme/requests/" + id);
        assertThat(browser.findElement(By.id("status")).getAttribute("data-status")).isEqualTo("identity_unverified");
        assertThat(browser.findElement(By.id("due")).getText()).isEqualTo("3 June 2026");
        assertThat(browser.findElement(By.id("days-left")).getText()).isEqualTo("30");
        assertThat(browser.getPageSource()).doesNotContain(email);
        chromium.screenshot("privacy-page-check-your-email.png");

        // What the mailer would write into the e-mail: the code from the sealed notification on the broker.
        Notification sent = notifications(id, 1).get(0);
        assertThat(sent.kind()).isEqualTo(Notification.VERIFICATION_CODE);
        assertThat(sent.recipient()).isEqualTo(email);
        String code = MailerKeys.code(sent);

        browser.findElement(By.id("code")).sendKeys(code.equals("000000") ? "999999" : "000000");
        browser.findElement(By.id("confirm-code")).click();
        chromium.waitFor(By.id("error"));
        assertThat(browser.findElement(By.id("error")).getText()).contains("4 tries left");
        browser.findElement(By.id("code")).sendKeys(code);
        browser.findElement(By.id("confirm-code")).click();
        chromium.waitForPage("notice=verified");
        assertThat(browser.findElement(By.id("notice")).getText()).contains("confirmed");
        assertThat(browser.findElement(By.id("status")).getAttribute("data-status")).isEqualTo("verified");
        assertThat(browser.findElements(By.id("code-form"))).isEmpty();

        // The store answers and retention-service reports, on Kafka, as in ExportTests.
        JsonNode mails = JSON.readTree("{\"mails\":[{\"id\":\"m-7\",\"subject\":\"Your invoice\"},"
                + "{\"id\":\"m-8\",\"subject\":\"Welcome\"}]}");
        RequestFixtures.completeWithExport("acme", pseudonym.of("acme", email), id, "mail-log-store", mails,
                at("2026-05-04T08:10:00Z"));
        browser.get(root + "privacy/acme/requests/" + id);
        chromium.waitFor(By.id("download-form"));
        assertThat(browser.findElement(By.id("status")).getAttribute("data-status")).isEqualTo("completed");
        List<String> steps = browser.findElements(By.cssSelector("#progress tr.step")).stream()
                .map(step -> step.getAttribute("data-state")).toList();
        assertThat(steps).containsExactly("done");
        assertThat(browser.getPageSource()).as("no store names").doesNotContain("mail-log-store");
        chromium.screenshot("privacy-page-progress.png");

        browser.findElement(By.id("get-download-link")).click();
        chromium.waitFor(By.id("download-link"));
        String link = browser.findElement(By.id("download-link")).getAttribute("href");
        chromium.screenshot("privacy-page-download-link.png");
        browser.findElement(By.id("download-link")).click();
        Path file = await().atMost(Duration.ofSeconds(20)).until(() -> downloaded("export-" + id + ".json"),
                path -> path != null);
        JsonNode export = JSON.readTree(Files.readString(file));
        assertThat(export.get("requestId").asText()).isEqualTo(id);
        assertThat(export.at("/systems/mail-log-store")).isEqualTo(mails);
        assertThat(TestDatabase.count("SELECT count(*) FROM request_audit WHERE request_id = ? AND action = "
                + "'export_downloaded'", UUID.fromString(id))).isOne();

        // The link worked once.
        browser.get(link);
        chromium.waitFor(By.id("message-title"));
        assertThat(browser.findElement(By.id("message-title")).getText()).isEqualTo("This link no longer works");
        chromium.screenshot("privacy-page-link-used.png");
    }

    private Path downloaded(String name) throws Exception {
        Path file = chromium.downloads().resolve(name);
        return Files.exists(file) && Files.size(file) > 0 ? file : null;
    }
}
