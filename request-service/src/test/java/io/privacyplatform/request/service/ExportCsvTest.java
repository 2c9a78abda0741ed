package io.privacyplatform.request.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The CSV of an export: a spreadsheet must never run a formula from a store's data, in a header or a value cell. */
class ExportCsvTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "a header starting with {0} is kept as text")
    @ValueSource(strings = { "=", "+", "-", "@", "\t", "\r" })
    void shouldNeutraliseAHeaderCellStartingLikeAFormula(String start) {
        String key = start + "HYPERLINK(\"http://evil.example\")";
        ObjectNode row = JSON.createObjectNode().put(key, "plain").put("subject", "s-1");

        String csv = ExportAssembler.csv(JSON.createArrayNode().add(row));

        String header = headerOf(csv);
        assertThat(header).as("the header names the key behind a quote, never the bare formula")
                .startsWith("\"'" + start).doesNotStartWith(start).doesNotStartWith("\"" + start);
        assertThat(csv).endsWith("\r\nplain,s-1\r\n");
    }

    @ParameterizedTest(name = "a value starting with {0} is kept as text")
    @ValueSource(strings = { "=", "+", "-", "@", "\t", "\r" })
    void shouldNeutraliseAValueCellStartingLikeAFormula(String start) {
        ObjectNode row = JSON.createObjectNode().put("note", start + "1+1");

        String csv = ExportAssembler.csv(JSON.createArrayNode().add(row));

        String value = csv.substring(csv.indexOf("\r\n") + 2);
        // A value holding CR is quoted as a whole; inside the quotes it still starts with the neutralising quote.
        assertThat(value.replaceFirst("^\"", "")).startsWith("'" + start);
    }

    @Test
    void shouldNeutraliseNestedKeysAndTheRecordTypeOfNamedArrays() {
        ObjectNode data = JSON.createObjectNode();
        ArrayNode records = data.putArray("=cmd|' /C calc'!A0");
        records.add(JSON.createObjectNode().set("@meta", JSON.createObjectNode().put("-x", "v")));

        String csv = ExportAssembler.csv(data);

        assertThat(csv).isEqualTo("record_type,'@meta.-x\r\n'=cmd|' /C calc'!A0,v\r\n");
    }

    @Test
    void shouldLeaveOrdinaryHeadersAndNumbersAlone() {
        ObjectNode row = JSON.createObjectNode().put("subject", "s-1").put("balance", -5);

        assertThat(ExportAssembler.csv(JSON.createArrayNode().add(row))).isEqualTo("subject,balance\r\ns-1,-5\r\n");
    }

    private static String headerOf(String csv) {
        // A quoted header cell may itself hold CR; the data row is the last line.
        return csv.substring(0, csv.lastIndexOf("\r\n", csv.length() - 3));
    }
}
