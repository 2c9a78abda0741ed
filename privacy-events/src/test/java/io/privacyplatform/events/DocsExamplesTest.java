package io.privacyplatform.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The examples in docs/events.md are what EventCodec writes for the records in {@link Examples}. */
class DocsExamplesTest {

    private static final Path DOC = Path.of("..", "docs", "events.md");
    private static final Pattern BLOCK = Pattern.compile("```(json|text)\\n(.*?)```", Pattern.DOTALL);

    private static final EventCodec CODEC = new EventCodec(Examples.CLOCK);
    private static final List<JsonNode> jsonBlocks = new ArrayList<>();
    private static final List<String> textBlocks = new ArrayList<>();

    @BeforeAll
    static void readDoc() throws Exception {
        Matcher matcher = BLOCK.matcher(Files.readString(DOC, StandardCharsets.UTF_8));
        while (matcher.find()) {
            if (matcher.group(1).equals("json")) {
                jsonBlocks.add(CODEC.mapper().readTree(matcher.group(2)));
            } else {
                textBlocks.add(matcher.group(2));
            }
        }
    }

    @Test
    void everyPayloadTypeHasItsEncodedExampleInTheDoc() throws Exception {
        List<Object> examples = Stream.concat(Examples.all().stream(),
                Stream.of(Examples.exportAck(), Examples.purgeCommand())).toList();

        for (Object example : examples) {
            assertThat(jsonBlocks).as("docs/events.md example for %s", example.getClass().getSimpleName())
                    .contains(CODEC.mapper().readTree(CODEC.encode(example)));
        }
        assertThat(jsonBlocks).as("every JSON example in the doc is one of the encoded examples")
                .hasSize(examples.size());
    }

    @Test
    void theHeaderExampleIsWhatTheEnvelopeWrites() {
        ProducerRecord<String, byte[]> record = CODEC.envelope("5f0c7a52-7d3e-4c1b-9a51-2b8e6f4d9c10",
                "/services/consent-service", Examples.TENANT, Examples.key(), Examples.consentChanged())
                .toRecord(Topics.CONSENT_CHANGED);
        Map<String, String> written = new LinkedHashMap<>();
        written.put("key", record.key());
        for (Header header : record.headers()) {
            written.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }

        String block = textBlocks.stream().filter(b -> b.startsWith("key:")).findFirst().orElseThrow();
        Map<String, String> documented = new LinkedHashMap<>();
        for (String line : block.strip().split("\n")) {
            int colon = line.indexOf(':');
            documented.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }

        assertThat(documented).containsExactlyEntriesOf(written);
    }

    @Test
    void theDocNamesEveryTopicAndType() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);

        for (EventType type : EventType.values()) {
            assertThat(doc).contains("`" + type.topic() + "`").contains("`" + type.type() + "`")
                    .contains("`" + type.payloadType().getSimpleName() + "`");
        }
    }
}
