package io.privacyplatform.support.health;

/** Reads one sample from Prometheus' text format. */
final class MetricsText {

    private MetricsText() {
    }

    /** The value of the sample {@code name} with exactly these labels (e.g. {@code group="a",topic="b"}, or none). */
    static double value(String metrics, String name, String... labels) {
        String prefix = labels.length == 0 ? name + " " : name + "{";
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            boolean matches = true;
            for (String label : labels) {
                matches &= line.contains(label);
            }
            if (matches) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError(name + " " + String.join(",", labels) + " not in /q/metrics");
    }
}
