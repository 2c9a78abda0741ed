package io.privacyplatform.request.rest;

import static io.privacyplatform.request.RequestFixtures.at;
import static io.privacyplatform.request.RequestFixtures.body;
import static io.privacyplatform.request.RequestFixtures.clock;
import static io.privacyplatform.request.RequestFixtures.subject;
import static io.privacyplatform.request.RequestFixtures.submitted;
import static io.privacyplatform.request.RequestFixtures.verifiedBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.privacyplatform.events.SubjectPseudonym;
import io.privacyplatform.events.Topics;
import io.privacyplatform.events.payload.AckOutcome;
import io.privacyplatform.events.payload.RequestProgress.SystemProgress;
import io.privacyplatform.request.BreachFixtures;
import io.privacyplatform.request.RequestFixtures;
import io.privacyplatform.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The operator dashboard in a real headless Chromium (Debian's chromium + chromium-driver). Skipped, with the
 * reason, only where the two are not installed, and never in CI ({@code CI=true}): there it fails (.ci/run installs
 * them).
 */
@QuarkusTest
class DashboardBrowserTests {

    @TestHTTPResource("/")
    URL root;

    @Inject
    SubjectPseudonym pseudonym;

    private HeadlessChromium chromium;
    private WebDriver browser;

    @BeforeEach
    void startBrowser() throws Exception {
        chromium = HeadlessChromium.start("dashboard");
        browser = chromium.driver();
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void shouldShowTheOverdueRequestFirstFilterAndOpenItsPage() throws Exception {
        String tenant = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        clock().set(at("2025-04-20T09:00:00Z"));
        String overdue = submitted(tenant, verifiedBody("erasure", "cust-1042"));
        clock().set(at("2025-05-05T14:00:00Z"));
        String dueSoon = submitted(tenant, body("access", "cust-2210"));
        clock().set(at("2025-05-25T08:30:00Z"));
        String portability = submitted(tenant, verifiedBody("portability", "cust-3307"));
        clock().set(at("2025-05-30T16:45:00Z"));
        Map<String, Object> rectification = body("rectification", "cust-4411");
        rectification.put("rectification", Map.of("lastName", "Doe-Smith"));
        String onTrack = submitted(tenant, rectification);
        clock().set(at("2025-06-01T12:00:00Z"));

        browser.get(root + "login");
        browser.findElement(By.id("token")).sendKeys(TestTokens.of(tenant, "operator"));
        browser.findElement(By.id("sign-in")).click();
        waitFor(By.id("requests"));
        Cookie session = browser.manage().getCookieNamed(OperatorSession.COOKIE);
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getValue()).as("a session id, not the token").doesNotContain(".");

        List<WebElement> rows = browser.findElements(By.cssSelector("#requests tr.request"));
        assertThat(rows).extracting(r -> r.getAttribute("data-request-id"))
                .containsExactly(overdue, dueSoon, portability, onTrack);
        assertThat(rows.get(0).getAttribute("class")).contains("overdue");
        assertThat(rows.get(0).getText()).contains("overdue");
        assertThat(rows.get(0).findElement(By.tagName("td")).getCssValue("background-color"))
                .isEqualTo("rgba(253, 232, 232, 1)");
        assertThat(rows.get(1).getAttribute("class")).contains("due-soon");
        assertThat(rows.get(1).findElement(By.cssSelector(".days-left")).getText()).isEqualTo("3");
        assertThat(rows.get(2).getAttribute("class")).contains("on-track");
        assertThat(browser.findElement(By.id("count-overdue")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.cssSelector("#type-counts [data-type=access] b")).getText())
                .isEqualTo("1");
        assertThat(browser.findElement(By.cssSelector("#status-counts [data-status=verified] b")).getText())
                .isEqualTo("2");
        screenshot("dashboard.png");

        new Select(browser.findElement(By.id("type"))).selectByValue("access");
        browser.findElement(By.id("apply-filters")).click();
        waitForPage("type=access");
        assertThat(browser.findElements(By.cssSelector("#requests tr.request")))
                .extracting(r -> r.getAttribute("data-request-id")).containsExactly(dueSoon);
        assertThat(browser.getCurrentUrl()).contains("type=access");
        new Select(browser.findElement(By.id("type"))).selectByValue("");
        new Select(browser.findElement(By.id("status"))).selectByValue("identity_unverified");
        browser.findElement(By.id("apply-filters")).click();
        waitForPage("status=identity_unverified");
        assertThat(browser.findElements(By.cssSelector("#requests tr.request")))
                .extracting(r -> r.getAttribute("data-request-id")).containsExactly(dueSoon, onTrack);

        browser.get(root.toString());
        browser.findElement(By.cssSelector("tr[data-request-id='" + overdue + "'] a")).click();
        waitFor(By.id("audit"));
        assertThat(browser.findElement(By.id("request-id")).getText()).isEqualTo(overdue);
        assertThat(browser.findElements(By.cssSelector("#audit tr.audit-entry"))).extracting(WebElement::getText)
                .anySatisfy(text -> assertThat(text).contains("submitted"))
                .anySatisfy(text -> assertThat(text).contains("verified"));
        assertThat(browser.findElement(By.id("chain")).getText()).isEqualTo("chain verified");
        assertThat(browser.findElement(By.id("days-left")).getText()).isEqualTo("-12");
        // Past the original due date: no extension any more, but it can still be denied.
        assertThat(browser.findElements(By.id("extension-form"))).isEmpty();

        browser.get(root + "requests/" + dueSoon);
        waitFor(By.id("extension-form"));
        new Select(browser.findElement(By.id("months"))).selectByValue("2");
        browser.findElement(By.id("extension-reason")).sendKeys("Seven systems involved");
        browser.findElement(By.id("extend")).click();
        waitFor(By.id("notice"));
        assertThat(browser.findElement(By.id("notice")).getText()).contains("extended");
        assertThat(browser.getPageSource()).contains("Seven systems involved");
        screenshot("dashboard-request.png");

        browser.get(root + "requests/" + portability);
        waitFor(By.id("denial-form"));
        browser.findElement(By.id("denial-reason")).sendKeys("Manifestly unfounded: repetitive request");
        browser.findElement(By.id("deny")).click();
        waitFor(By.id("notice"));
        assertThat(browser.findElement(By.id("request-status")).getText()).isEqualTo("denied");
        assertThat(browser.findElement(By.id("outcome-reason")).getText())
                .isEqualTo("Manifestly unfounded: repetitive request");

        // Another tenant's request is not there for this operator.
        String foreign = submitted("acme", verifiedBody("erasure", subject()));
        browser.get(root + "requests/" + foreign);
        assertThat(browser.getPageSource()).contains("no such request");
    }

    /**
     * The charts of a tenant seeded through the API and the progress topic (three requests completed, three open,
     * two stores answering, one stuck, three breaches): each chart's bars carry the figures SQL computed.
     */
    @Test
    void shouldDrawTheChartsWithTheTenantsFigures() throws Exception {
        String tenant = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        clock().set(at("2025-04-15T09:00:00Z"));
        String late = submittedWithKey(tenant, "cust-c");
        clock().set(at("2025-05-01T09:00:00Z"));
        String overdue = submittedWithKey(tenant, "cust-d");
        clock().set(at("2025-05-05T10:00:00Z"));
        String inAWeek = submittedWithKey(tenant, "cust-a");
        clock().set(at("2025-05-06T10:00:00Z"));
        String inFourWeeks = submittedWithKey(tenant, "cust-b");
        clock().set(at("2025-05-08T09:00:00Z"));
        submittedWithKey(tenant, "cust-f");

        report(tenant, "cust-a", inAWeek, "completed", "2025-05-12T10:00:00Z",
                done("mail-log-store", "2025-05-05T16:00:00Z"), done("crm", "2025-05-07T10:00:00Z"));
        report(tenant, "cust-c", late, "completed", "2025-05-20T09:00:00Z",
                done("mail-log-store", "2025-04-15T13:00:00Z"));
        report(tenant, "cust-d", overdue, "stuck", "2025-05-25T09:00:00Z", new SystemProgress("crm",
                UUID.randomUUID().toString(), "ERASE", "stuck", null, 0, null, "no answer", 5,
                at("2025-05-25T09:00:00Z")));
        clock().set(at("2025-06-02T09:00:00Z"));
        submittedWithKey(tenant, "cust-e");
        report(tenant, "cust-b", inFourWeeks, "completed", "2025-06-03T10:00:00Z",
                done("mail-log-store", "2025-05-06T20:00:00Z"), done("crm", "2025-05-08T10:00:00Z"));

        clock().set(at("2025-06-04T12:00:00Z"));
        String breachOverdue = BreachFixtures.recorded(tenant, "2025-06-01T06:00:00Z");
        String breachRunning = BreachFixtures.recorded(tenant, "2025-06-03T18:00:00Z");
        String breachNotified = BreachFixtures.recorded(tenant, "2025-06-02T10:00:00Z");
        RequestFixtures.post(tenant, "operator", "/v1/breaches/" + breachNotified + "/authority-notification",
                Map.of("notifiedAt", "2025-06-03T10:00:00Z")).statusCode(200);

        browser.manage().window().setSize(new Dimension(1280, 2600));
        browser.get(root + "login");
        browser.findElement(By.id("token")).sendKeys(TestTokens.of(tenant, "operator"));
        browser.findElement(By.id("sign-in")).click();
        waitFor(By.id("charts"));

        assertThat(browser.findElements(By.cssSelector("#charts figure.chart svg.bar-chart"))).hasSize(7)
                .allSatisfy(svg -> assertThat(svg.isDisplayed()).isTrue());
        assertThat(browser.findElements(By.cssSelector("script[src], link[href^='http']"))).as("no CDN").isEmpty();
        // Weeks start on Monday (UTC); the last eight, this one (2 June) included.
        assertThat(bars("chart-weekly", "received")).containsExactly(entry("2025-04-14", "1"),
                entry("2025-04-21", "0"), entry("2025-04-28", "1"), entry("2025-05-05", "3"), entry("2025-05-12", "0"),
                entry("2025-05-19", "0"), entry("2025-05-26", "0"), entry("2025-06-02", "1"));
        assertThat(bars("chart-weekly", "completed")).containsOnly(entry("2025-04-14", "0"),
                entry("2025-04-21", "0"), entry("2025-04-28", "0"), entry("2025-05-05", "0"), entry("2025-05-12", "1"),
                entry("2025-05-19", "1"), entry("2025-05-26", "0"), entry("2025-06-02", "1"));
        assertThat(Integer.parseInt(bar("chart-weekly", "2025-05-05", "received").getAttribute("height")))
                .as("the tallest bar").isGreaterThan(Integer.parseInt(bar("chart-weekly", "2025-06-02", "received")
                        .getAttribute("height")));
        assertThat(bars("chart-on-time", null)).containsExactly(entry("on-time", "2"), entry("late", "1"));
        assertThat(browser.findElement(By.cssSelector("#chart-on-time .chart-title")).getText())
                .isEqualTo("Completed on time: 67%");
        assertThat(bars("chart-time-to-complete", "completed")).containsExactly(entry("0-7", "1"), entry("8-14", "0"),
                entry("15-21", "0"), entry("22-30", "1"), entry("31-60", "1"), entry("over-60", "0"));
        assertThat(bars("chart-days-left", null)).containsExactly(entry("overdue", "1"), entry("0-7", "1"),
                entry("8-14", "0"), entry("15-30", "1"), entry("over-30", "0"));
        assertThat(bars("chart-store-latency", null)).containsExactly(entry("crm", "48.0"),
                entry("mail-log-store", "6.0"));
        assertThat(browser.findElement(By.id("chart-store-latency")).getAttribute("textContent"))
                .contains("median 6.0 h, max 10.0 h (3)")
                .contains("not when each command was sent");
        assertThat(bars("chart-stuck", null)).containsExactly(entry("crm", "1"));
        assertThat(bars("chart-breaches", null)).containsExactly(entry(breachOverdue, "-6"),
                entry(breachRunning, "54"));
        assertThat(bar("chart-breaches", breachOverdue, null).getAttribute("class")).contains("overdue");
        screenshot("dashboard-charts.png");
        assertThat(Files.size(Path.of("target", "dashboard-charts.png"))).isPositive();
    }

    private String submittedWithKey(String tenant, String subject) {
        return submitted(tenant, verifiedBody("erasure", subject));
    }

    /** retention-service's report on the request, published on the topic and awaited in the request's state. */
    private void report(String tenant, String subject, String id, String state, String at, SystemProgress... systems) {
        clock().set(at(at));
        RequestFixtures.publish(Topics.REQUEST_PROGRESS, RequestFixtures.progress(tenant, pseudonym.of(tenant, subject),
                id, state, at(at), systems));
        String expected = "completed".equals(state) ? "completed" : "in_progress";
        await().atMost(RequestFixtures.WAIT).untilAsserted(() -> RequestFixtures.get(tenant, id).statusCode(200)
                .body("status", equalTo(expected)));
    }

    private static SystemProgress done(String system, String at) {
        return new SystemProgress(system, UUID.randomUUID().toString(), "ERASE", "done", AckOutcome.DONE, 3, null,
                null, 1, at(at));
    }

    /** The bars of one chart (of one series, or all), in drawing order: data-key → data-value. */
    private List<Map.Entry<String, String>> bars(String chart, String series) {
        String selector = "#" + chart + " svg.bar-chart rect.bar"
                + (series == null ? "" : "[data-series='" + series + "']");
        return browser.findElements(By.cssSelector(selector)).stream()
                .<Map.Entry<String, String>>map(r -> entry(r.getAttribute("data-key"), r.getAttribute("data-value")))
                .toList();
    }

    private WebElement bar(String chart, String key, String series) {
        return browser.findElement(By.cssSelector("#" + chart + " svg.bar-chart rect.bar[data-key='" + key + "']"
                + (series == null ? "" : "[data-series='" + series + "']")));
    }

    @Test
    void shouldNotOpenTheDashboardAgainAfterSigningOut() {
        String tenant = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        String id = submitted(tenant, verifiedBody("erasure", subject()));
        browser.get(root + "login");
        browser.findElement(By.id("token")).sendKeys(TestTokens.of(tenant, "operator"));
        browser.findElement(By.id("sign-in")).click();
        waitFor(By.id("requests"));
        assertThat(browser.findElements(By.cssSelector("#requests tr.request")))
                .extracting(r -> r.getAttribute("data-request-id")).containsExactly(id);

        browser.findElement(By.cssSelector("form[action='/logout'] button")).click();
        waitFor(By.id("token"));
        assertThat(browser.manage().getCookieNamed(OperatorSession.COOKIE)).isNull();
        // The dashboard and the request's page send the browser back to the login form.
        browser.get(root.toString());
        waitFor(By.id("token"));
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        assertThat(browser.findElements(By.id("requests"))).isEmpty();
        browser.get(root + "requests/" + id);
        waitFor(By.id("token"));
        assertThat(browser.getPageSource()).doesNotContain(id);
    }

    @Test
    void shouldRefuseATokenWithoutTheOperatorRole() {
        browser.get(root.toString());
        waitFor(By.id("token"));
        browser.findElement(By.id("token")).sendKeys(TestTokens.of("acme", "app"));
        browser.findElement(By.id("sign-in")).click();
        waitFor(By.id("login-error"));
        assertThat(browser.manage().getCookieNamed(OperatorSession.COOKIE)).isNull();
    }

    private void waitForPage(String urlPart) {
        chromium.waitForPage(urlPart);
    }

    private void waitFor(By locator) {
        chromium.waitFor(locator);
    }

    private void screenshot(String name) throws Exception {
        chromium.screenshot(name);
    }
}
