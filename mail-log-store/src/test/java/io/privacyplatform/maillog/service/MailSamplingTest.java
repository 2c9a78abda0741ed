package io.privacyplatform.maillog.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class MailSamplingTest {

    @Test
    void shouldSampleTheSameMessageAlikeEveryTime() {
        for (int i = 0; i < 500; i++) {
            String id = "<" + i + "@mail.example>";
            assertThat(MailSampling.isSampled(id)).isEqualTo(MailSampling.isSampled(id));
        }
    }

    @Test
    void shouldSampleAboutOneInHundred() {
        long sampled = IntStream.range(0, 20_000).filter(i -> MailSampling.isSampled("<" + i + "@mail.example>"))
                .count();
        assertThat(sampled).isBetween(150L, 250L);
    }
}
