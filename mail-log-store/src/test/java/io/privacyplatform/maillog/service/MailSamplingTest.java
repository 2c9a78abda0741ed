package io.privacyplatform.maillog.service;

import static org.assertj.core.api.Assertions.assertThat;

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
     * Of {@code <retention-0@fixtures.example>} … {@code <retention-299@fixtures.example>}, exactly these numbers
     * are sampled. system-tests' {@code RetentionIT} relies on them (it cannot call this class, the store runs
     * as a separate process there): keep the two lists the same.
     */
    static final Set<Integer> SAMPLED_RETENTION_FIXTURES = Set.of(16, 37, 46, 128, 238, 265);

    @Test
    void shouldSampleExactlyTheKnownRetentionFixtureIds() {
        List<Integer> sampled = IntStream.range(0, 300)
                .filter(i -> MailSampling.isSampled("<retention-" + i + "@fixtures.example>")).boxed().toList();
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(SAMPLED_RETENTION_FIXTURES);
    }

    @Test
    void shouldAnswerKnownIdsWithTheirKnownSampling() {
        assertThat(MailSampling.isSampled("<51@mail.example>")).isTrue();
        assertThat(MailSampling.isSampled("<64@mail.example>")).isTrue();
        assertThat(MailSampling.isSampled("<1725@mail.example>")).isTrue();
        assertThat(MailSampling.isSampled("<0@mail.example>")).isFalse();
        assertThat(MailSampling.isSampled("<52@mail.example>")).isFalse();
        assertThat(MailSampling.isSampled("<retention-0@fixtures.example>")).isFalse();
    }

    @Test
    void shouldSampleOneInHundredOfADeterministicIdSet() {
        // 100,000 ids: about 1,000 expected (1,035 today). ±10 % fails for 1 in 10 (~10,000), 1 in 50 (~2,000),
        // 1 in 200 (~500) and 0 alike.
        long sampled = IntStream.range(0, 100_000).filter(i -> MailSampling.isSampled("<" + i + "@mail.example>"))
                .count();
        assertThat(sampled).isBetween(900L, 1_100L);
    }
}
