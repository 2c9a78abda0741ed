package io.privacyplatform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TopicsTest {

    private static final String SEVEN_DAYS_MS = "604800000";

    @Test
    void shouldPrintEveryTopicAndItsDeadLetterTwinOnePerLine() {
        List<String> lines = printed();

        assertThat(lines).hasSize(2 * Topics.all().size());
        for (String topic : Topics.all()) {
            String facts = Topics.isCompacted(topic) ? "3 -1 compact"
                    : topic.equals(Topics.AUDIT_ANCHOR) ? "1 -1 delete" : "3 " + SEVEN_DAYS_MS + " delete";
            assertThat(lines).contains(topic + " " + facts,
                    Topics.deadLetterOf(topic) + " 1 " + SEVEN_DAYS_MS + " delete");
        }
    }

    @Test
    void shouldCompactOnlyTheTenantSettings() {
        assertThat(printed()).filteredOn(line -> line.endsWith(" compact"))
                .containsExactly(Topics.TENANT_SETTINGS + " 3 -1 compact");
        assertThat(Topics.all()).filteredOn(Topics::isCompacted).containsExactly(Topics.TENANT_SETTINGS);
        assertThat(Topics.isCompacted(Topics.deadLetterOf(Topics.TENANT_SETTINGS))).isFalse();
    }

    @Test
    void shouldKeepEveryAuditAnchorWithoutTimeLimit() {
        assertThat(printed()).filteredOn(line -> line.contains(" -1 delete"))
                .containsExactly(Topics.AUDIT_ANCHOR + " 1 -1 delete");
        assertThat(TopicSpec.keptForever("t", 1).configs())
                .isEqualTo(Map.of("cleanup.policy", "delete", "retention.ms", "-1"));
    }

    @Test
    void shouldListTheSameTopicsInTheAnnotationConstantAsInTheSpecs() {
        assertThat(Arrays.asList(Topics.ALL.split(","))).isEqualTo(Topics.all());
    }

    @Test
    void shouldHaveASpecForTheTopicOfEveryEventType() {
        assertThat(Topics.all()).containsAll(Arrays.stream(EventType.values()).map(EventType::topic).toList());
    }

    @Test
    void shouldGiveKafkaTheConfigsOfTheSpec() {
        assertThat(TopicSpec.compacted("t", 2).configs())
                .isEqualTo(Map.of("cleanup.policy", "compact", "retention.ms", "-1"));
        assertThat(TopicSpec.deletedAfter("t", 2, 1000).deadLetter().configs())
                .isEqualTo(Map.of("cleanup.policy", "delete", "retention.ms", SEVEN_DAYS_MS));
    }

    @Test
    void shouldRejectASpecKafkaCouldNotCreateAsMeant() {
        assertThatThrownBy(() -> TopicSpec.deletedAfter("t", 0, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicSpec.deletedAfter("t", 3, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopicSpec("t", 3, TopicSpec.CleanupPolicy.COMPACT, 1000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> printed() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Topics.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
