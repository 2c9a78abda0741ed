package io.privacyplatform.maillog.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * The sampling rule pinned to known inputs. Whether a trusted account keeps bodies is decided by {@link MailLog},
 * not here: {@code MessageResourceTests.shouldStoreNoBodyForATrustedAccount} covers it with an id known to be
 * sampled.
 */
class MailSamplingTest {

    /**
     * The tests' secret: {@code %test.mail-log.sampling-secret} in application.properties, and the one
     * system-tests' {@code SystemTestSettings} gives the store's process.
     */
    static final String TEST_SECRET = "test-only-sampling-secret-7";

    /**
     * Of {@code <retention-0@fixtures.example>} … {@code <retention-299@fixtures.example>}, exactly these numbers
     * are sampled under {@link #TEST_SECRET}. system-tests' {@code RetentionIT} relies on them (it cannot call this
     * class, the store runs as a separate process there): keep the two lists the same.
     */
    static final Set<Integer> SAMPLED_RETENTION_FIXTURES = Set.of(52, 68, 165, 231, 279);

    private final MailSampling sampling = new MailSampling(TEST_SECRET);

    @Test
    void shouldSampleExactlyTheKnownRetentionFixtureIds() {
        List<Integer> sampled = IntStream.range(0, 300)
                .filter(i -> sampling.isSampled("<retention-" + i + "@fixtures.example>")).boxed().toList();
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(SAMPLED_RETENTION_FIXTURES);
    }

    @Test
    void shouldAnswerKnownIdsWithTheirKnownSampling() {
        assertThat(sampling.isSampled("<1@mail.example>")).isTrue();
        assertThat(sampling.isSampled("<115@mail.example>")).isTrue();
        assertThat(sampling.isSampled("<368@mail.example>")).isTrue();
        assertThat(sampling.isSampled("<0@mail.example>")).isFalse();
        assertThat(sampling.isSampled("<2@mail.example>")).isFalse();
        assertThat(sampling.isSampled("<retention-0@fixtures.example>")).isFalse();
    }

    @Test
    void shouldSampleOneInHundredOfADeterministicIdSet() {
        // 100,000 ids: about 1,000 expected (1,007 under the test secret). ±10 % fails for 1 in 10 (~10,000),
        // 1 in 50 (~2,000), 1 in 200 (~500) and 0 alike.
        long sampled = IntStream.range(0, 100_000).filter(i -> sampling.isSampled("<" + i + "@mail.example>"))
                .count();
        assertThat(sampled).isBetween(900L, 1_100L);
    }

    @Test
    void shouldChooseByTheSecretSoIdsAloneDoNotTellWhichAreSampled() {
        MailSampling otherSecret = new MailSampling("another-sampling-secret-0123456789");
        List<Integer> underTest = IntStream.range(0, 2_000)
                .filter(i -> sampling.isSampled("<" + i + "@mail.example>")).boxed().toList();
        List<Integer> underOther = IntStream.range(0, 2_000)
                .filter(i -> otherSecret.isSampled("<" + i + "@mail.example>")).boxed().toList();
        assertThat(underTest).isNotEmpty();
        assertThat(underOther).isNotEmpty().isNotEqualTo(underTest);
        // The old unkeyed rule (SHA-256 of the id) sampled these fixture ids, which anyone could compute.
        assertThat(IntStream.range(0, 300).filter(i -> sampling.isSampled("<retention-" + i + "@fixtures.example>"))
                .boxed().toList()).doesNotContainAnyElementsOf(Set.of(16, 37, 46, 128, 238, 265));
    }

    @Test
    void shouldRefuseAShortSecret() {
        assertThatThrownBy(() -> new MailSampling("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mail-log.sampling-secret");
        assertThatThrownBy(() -> new MailSampling((String) null)).isInstanceOf(IllegalArgumentException.class);
    }
}
