package dev.rnn4j.runs.report;

import com.google.gson.JsonObject;
import dev.rnn4j.runs.report.MetricsJson;
import dev.rnn4j.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A Markdown report with tables and inline figures, plus the {@code metrics.json} that goes with it. */
public final class Report {
    private final String title;
    private final StringBuilder md = new StringBuilder();
    private final JsonObject metrics = new JsonObject();

    public Report(String title) {
        this.title = title;
        md.append("# ").append(title).append("\n\n");
    }

    public String title() {
        return title;
    }

    public JsonObject metrics() {
        return metrics;
    }

    public Report heading(String text) {
        md.append("## ").append(text).append("\n\n");
        return this;
    }

    public Report text(String paragraph) {
        md.append(paragraph.strip()).append("\n\n");
        return this;
    }

    /** A table; cells are formatted with {@link #fmt} when they are numbers. */
    public Report table(List<String> header, List<List<Object>> rows) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> md.append("---|"));
        md.append('\n');
        for (List<Object> row : rows) {
            md.append("| ");
            for (Object cell : row) {
                String text = cell instanceof Integer || cell instanceof Long ? String.valueOf(cell)
                        : cell instanceof Number n ? fmt(n.doubleValue()) : String.valueOf(cell);
                md.append(text).append(" | ");
            }
            md.setLength(md.length() - 1);
            md.append('\n');
        }
        md.append('\n');
        return this;
    }

    /** An inline figure (a PNG in the report's folder). */
    public Report figure(String file, String caption) {
        md.append("![").append(caption).append("](").append(file).append(")\n\n*").append(caption).append("*\n\n");
        return this;
    }

    /** Four significant digits, or scientific notation for very small or large values. */
    public static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4g", v);
    }

    /** Writes {@code report.md} and {@code metrics.json} into {@code dir}, atomically. */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve("report.md"), md.toString());
        MetricsJson.write(dir.resolve("metrics.json"), metrics);
    }
}
