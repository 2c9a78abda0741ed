package io.privacyplatform.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a driver measured, as {@code figure=value} lines in a file the calling script turns into result rows
 * (bench/lib/results.sh), and echoed on stderr for the person watching.
 */
final class Figures {

    private final Map<String, String> values = new LinkedHashMap<>();

    void put(String figure, double value) {
        values.put(figure, Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.2f", value));
    }

    void put(String figure, long value) {
        values.put(figure, Long.toString(value));
    }

    void put(String figure, String value) {
        values.put(figure, value);
    }

    void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        values.forEach((figure, value) -> text.append(figure).append('=').append(value).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        System.err.print(text);
    }
}
