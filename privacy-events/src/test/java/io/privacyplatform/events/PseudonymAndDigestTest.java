package io.privacyplatform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PseudonymAndDigestTest {

    private static final String SECRET = "a-platform-secret-of-enough-length";

    @Test
    void thePseudonymIsStableForTheSameSecretTenantAndSubject() {
        assertThat(SubjectPseudonym.fromSecret(SECRET).of("acme", "subj-1"))
                .isEqualTo(SubjectPseudonym.fromSecret(SECRET).of("acme", "subj-1"))
                .matches("[0-9a-f]{64}");
    }

    @Test
    void thePseudonymDiffersAcrossTenantsSubjectsAndSecrets() {
        SubjectPseudonym pseudonym = SubjectPseudonym.fromSecret(SECRET);

        assertThat(Set.of(pseudonym.of("acme", "subj-1"), pseudonym.of("globex", "subj-1"),
                pseudonym.of("acme", "subj-2"), SubjectPseudonym.fromSecret(SECRET + "!").of("acme", "subj-1")))
                .hasSize(4);
        // The length prefix keeps the tenant/subject boundary: ("ab","c") is not ("a","bc").
        assertThat(pseudonym.of("ab", "c")).isNotEqualTo(pseudonym.of("a", "bc"));
    }

    @Test
    void thePseudonymDoesNotContainTheSubject() {
        String subject = "jane.doe@example.com";

        assertThat(SubjectPseudonym.fromSecret(SECRET).of("acme", subject))
                .doesNotContain(subject).doesNotContain("jane").doesNotContain("@");
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> SubjectPseudonym.fromSecret("short")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDigestIsIndependentOfOrderAndDuplicates() {
        assertThat(RecordDigest.of(List.of("r-3", "r-1", "r-2")))
                .isEqualTo(RecordDigest.of(List.of("r-1", "r-2", "r-3")))
                .isEqualTo(RecordDigest.of(List.of("r-2", "r-3", "r-1", "r-2")))
                .isNotEqualTo(RecordDigest.of(List.of("r-1", "r-2")));
        assertThat(RecordDigest.count(List.of("r-2", "r-3", "r-1", "r-2"))).isEqualTo(3);
    }

    @Test
    void theDigestIsSha256OfTheSortedIdsJoinedByNewlines() throws Exception {
        byte[] expected = MessageDigest.getInstance("SHA-256").digest("a-1\nb-2\nc-3".getBytes(StandardCharsets.UTF_8));

        assertThat(RecordDigest.of("c-3", "a-1", "b-2")).isEqualTo(HexFormat.of().formatHex(expected));
    }

    @Test
    void noRecordsDigestToTheHashOfTheEmptyString() throws Exception {
        String emptyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[0]));

        assertThat(RecordDigest.of(List.of())).isEqualTo(emptyHash).isEqualTo(RecordDigest.EMPTY);
    }

    @Test
    void idsThatWouldMakeTheJoinAmbiguousAreRefused() {
        assertThatThrownBy(() -> RecordDigest.of("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordDigest.of("a", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
