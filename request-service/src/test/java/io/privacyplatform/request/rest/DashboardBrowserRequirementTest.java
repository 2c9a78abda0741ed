package io.privacyplatform.request.rest;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.File;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** When the browser tests may skip for want of Chromium, and when that must fail the build. */
class DashboardBrowserRequirementTest {

    private static final File MISSING = new File("/nonexistent/chromium");
    private static final File PRESENT = new File("/bin/sh");

    @Test
    void shouldFailInCiWhenTheBrowserIsMissing() {
        assertThatThrownBy(() -> HeadlessChromium.requireBrowser(MISSING, PRESENT, "true"))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("CI=true");
        assertThatThrownBy(() -> HeadlessChromium.requireBrowser(PRESENT, MISSING, "TRUE"))
                .isInstanceOf(AssertionFailedError.class);
    }

    @Test
    void shouldSkipOutsideCiWhenTheBrowserIsMissing() {
        assertThatThrownBy(() -> HeadlessChromium.requireBrowser(MISSING, PRESENT, null))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("SKIPPED");
        assertThatThrownBy(() -> HeadlessChromium.requireBrowser(MISSING, PRESENT, "false"))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void shouldRunWhenTheBrowserIsThere() {
        assertThatCode(() -> HeadlessChromium.requireBrowser(PRESENT, PRESENT, "true")).doesNotThrowAnyException();
        assertThatCode(() -> HeadlessChromium.requireBrowser(PRESENT, PRESENT, null)).doesNotThrowAnyException();
    }
}
