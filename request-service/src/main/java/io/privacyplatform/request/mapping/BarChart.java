package io.privacyplatform.request.mapping;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.qute.TemplateData;

/**
 * A bar chart laid out for inline SVG: every rectangle and text already placed, so the template only prints them
 * and the page needs no script and no chart library. {@link #columns} draws vertical bars in groups (one bar per
 * series), {@link #rows} horizontal bars with their labels. Each bar carries its key, series and value as data
 * attributes (what a test or a screen reader can read back) and a tooltip.
 */
@TemplateData
public record BarChart(String id, String title, String caption, int width, int height, List<Bar> bars,
        List<Label> labels, List<LegendItem> legend, String empty) {

    static final int WIDTH = 560;
    private static final int COLUMN_HEIGHT = 210;
    private static final int TOP = 18;
    private static final int BOTTOM = 30;
    private static final int SIDE = 12;
    private static final int ROW_HEIGHT = 24;
    private static final int ROW_LABEL_WIDTH = 160;
    private static final int ROW_TEXT_WIDTH = 200;

    /** One rectangle; {@code value} is the figure it shows, as its data-value attribute says it. */
    @TemplateData
    public record Bar(String key, String series, String value, String cssClass, int x, int y, int width, int height,
            String tooltip) {
    }

    /** A text at (x, y); anchor is start, middle or end. */
    @TemplateData
    public record Label(String text, int x, int y, String anchor, String cssClass) {
    }

    @TemplateData
    public record LegendItem(String name, String cssClass) {
    }

    /** A series of a column chart: one value per group, drawn in {@code cssClass}. */
    public record Series(String name, String cssClass, List<Long> values) {
    }

    /**
     * A row of a row chart: {@code magnitude} sets the bar's length against the chart's scale (negative counts as
     * zero, above the scale as the scale), {@code value} is what data-value says, {@code text} what is printed
     * after the bar.
     */
    public record Row(String key, String label, double magnitude, String value, String text, String cssClass) {
    }

    /** Vertical bars: a group per key (labelled below the axis), in each group one bar per series. */
    public static BarChart columns(String id, String title, String caption, List<String> keys, List<String> groupLabels,
            List<Series> series, String empty) {
        long max = series.stream().flatMap(s -> s.values().stream()).mapToLong(Long::longValue).max().orElse(0);
        int plotHeight = COLUMN_HEIGHT - TOP - BOTTOM;
        int baseline = TOP + plotHeight;
        double groupWidth = (double) (WIDTH - 2 * SIDE) / Math.max(1, keys.size());
        double barWidth = groupWidth * 0.76 / Math.max(1, series.size());
        List<Bar> bars = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int g = 0; g < keys.size(); g++) {
            double groupX = SIDE + g * groupWidth + groupWidth * 0.12;
            for (int s = 0; s < series.size(); s++) {
                Series one = series.get(s);
                long value = one.values().get(g);
                int height = max == 0 ? 0 : (int) Math.round(plotHeight * (double) value / max);
                int x = (int) Math.round(groupX + s * barWidth);
                int width = Math.max(1, (int) Math.floor(barWidth) - 2);
                bars.add(new Bar(keys.get(g), one.name(), Long.toString(value), one.cssClass(), x, baseline - height,
                        width, height, groupLabels.get(g) + ": " + value + " " + one.name()));
                labels.add(new Label(Long.toString(value), x + width / 2, baseline - height - 4, "middle",
                        "value"));
            }
            labels.add(new Label(groupLabels.get(g), (int) Math.round(SIDE + (g + 0.5) * groupWidth), baseline + 16,
                    "middle", "axis"));
        }
        List<LegendItem> legend = series.size() < 2 ? List.of()
                : series.stream().map(s -> new LegendItem(s.name(), s.cssClass())).toList();
        return chart(id, title, caption, COLUMN_HEIGHT, bars, labels, legend, max == 0 ? empty : null);
    }

    /** Horizontal bars, one per row, labelled on the left, longest = {@code scale} (the largest magnitude if 0). */
    public static BarChart rows(String id, String title, String caption, List<Row> rows, double scale, String empty) {
        double longest = scale > 0 ? scale : rows.stream().mapToDouble(Row::magnitude).max().orElse(0);
        int plotWidth = WIDTH - ROW_LABEL_WIDTH - ROW_TEXT_WIDTH;
        int height = TOP + Math.max(1, rows.size()) * ROW_HEIGHT + 6;
        List<Bar> bars = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            int y = TOP + i * ROW_HEIGHT;
            double share = longest <= 0 ? 0 : Math.min(1, Math.max(0, row.magnitude()) / longest);
            int width = (int) Math.round(plotWidth * share);
            bars.add(new Bar(row.key(), row.cssClass(), row.value(), row.cssClass(), ROW_LABEL_WIDTH, y, width,
                    ROW_HEIGHT - 8, row.label() + ": " + row.text()));
            labels.add(new Label(row.label(), ROW_LABEL_WIDTH - 8, y + ROW_HEIGHT / 2 + 1, "end", "axis"));
            labels.add(new Label(row.text(), ROW_LABEL_WIDTH + width + 6, y + ROW_HEIGHT / 2 + 1, "start", "value"));
        }
        return chart(id, title, caption, height, bars, labels, List.of(), rows.isEmpty() ? empty : null);
    }

    /** Says so in the middle of the chart when there is nothing to draw. */
    private static BarChart chart(String id, String title, String caption, int height, List<Bar> bars,
            List<Label> labels, List<LegendItem> legend, String empty) {
        List<Label> all = new ArrayList<>(labels);
        if (empty != null) {
            all.add(new Label(empty, WIDTH / 2, height / 2 + 4, "middle", "empty"));
        }
        return new BarChart(id, title, caption, WIDTH, height, bars, all, legend, empty);
    }
}
