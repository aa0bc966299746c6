package dev.rnn4j.spark;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.rnn4j.runs.report.Report;
import dev.rnn4j.runs.report.MetricsJson;
import dev.rnn4j.runs.report.Plots;
import dev.rnn4j.train.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep's {@code summary.json} and {@code report.md}: the best trials, the metric by cell (box plot), the metric
 * against each numeric setting (scatter; a log axis for log-uniform ones), and each setting's importance: the share
 * of the metric's variance that the setting's marginal means explain (the fANOVA-style main effect Greff et al. report,
 * computed simply: numeric settings in up to {@value #BINS} quantile bins of at least two trials). A setting whose
 * every value was tried once (a grid axis without repeats) explains everything by construction; repeats (seeds,
 * draws) make the share meaningful.
 */
final class SweepReport {
    /** Numeric settings with more distinct values than this are binned for the importance. */
    static final int BINS = 5;

    private SweepReport() {
    }

    static void write(SweepSpec spec, Sweep.Result result, int parallelism, Path out) throws IOException {
        List<TrialResult> ok = result.rows().stream().filter(TrialResult::ok).toList();
        String metric = ok.isEmpty() ? "metric" : ok.get(0).metric();
        Map<String, Double> importance = new LinkedHashMap<>();
        for (String setting : spec.space().keySet()) {
            importance.put(setting, importance(ok, setting));
        }
        List<TrialResult> best = Sweep.best(result.rows(), 10);

        JsonObject summary = new JsonObject();
        summary.addProperty("task", spec.task());
        summary.addProperty("metric", metric);
        summary.addProperty("higher_is_better", Metrics.higherIsBetter(metric));
        summary.addProperty("trials", result.rows().size());
        summary.addProperty("ok", ok.size());
        summary.addProperty("failed", result.rows().size() - ok.size());
        summary.addProperty("ran_now", result.ran());
        summary.addProperty("wall_seconds", result.wallSeconds());
        summary.addProperty("parallelism", parallelism);
        summary.addProperty("trials_per_minute", result.ran() / Math.max(result.wallSeconds(), 1e-9) * 60);
        JsonObject imp = new JsonObject();
        importance.forEach(imp::addProperty);
        summary.add("importance", imp);
        JsonArray top = new JsonArray();
        for (TrialResult r : best) {
            JsonObject o = new JsonObject();
            o.addProperty("id", r.id());
            r.settings().forEach(o::addProperty);
            o.addProperty("seed", r.seed());
            o.addProperty(metric, r.value());
            top.add(o);
        }
        summary.add("best", top);
        MetricsJson.write(out.resolve("summary.json"), summary);

        Report report = new Report("Sweep: " + spec.task());
        report.text(result.rows().size() + " trials (" + ok.size() + " ok, " + (result.rows().size() - ok.size())
                + " failed); this run " + result.ran() + " in " + Report.fmt(result.wallSeconds()) + " s with "
                + parallelism + " at once. Fixed flags: " + spec.flags() + ". Swept: " + spec.space().keySet() + ", "
                + spec.trials() + " draw(s) per grid point, seeds " + spec.seeds() + ". Metric: `" + metric + "` ("
                + (Metrics.higherIsBetter(metric) ? "higher" : "lower") + " is better).");
        List<String> header = new ArrayList<>(List.of("id"));
        header.addAll(spec.space().keySet());
        header.addAll(List.of("seed", metric, "seconds"));
        List<List<Object>> rows = new ArrayList<>();
        for (TrialResult r : best) {
            List<Object> row = new ArrayList<>(List.of(r.id()));
            spec.space().keySet().forEach(k -> row.add(r.settings().get(k)));
            row.addAll(List.of(r.seed(), r.value(), r.seconds()));
            rows.add(row);
        }
        report.heading("Best trials");
        report.table(header, rows);
        report.heading("What matters");
        List<List<Object>> impRows = new ArrayList<>();
        importance.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> impRows.add(List.of(e.getKey(), e.getValue())));
        report.table(List.of("setting", "share of variance explained by its marginal means"), impRows);
        if (!ok.isEmpty()) {
            Plots.bars("importance of each setting", "share of the metric's variance", new ArrayList<>(importance.keySet()),
                    Map.of("main effect", importance.values().stream().mapToDouble(Double::doubleValue).toArray()), false,
                    out.resolve("importance.png"));
            report.figure("importance.png", "Each setting's main effect: the variance of the metric's means over its "
                    + "values (numeric ones in " + BINS + " quantile bins), as a share of the metric's variance.");
            if (spec.space().containsKey("cell")) {
                Map<String, double[]> byCell = new TreeMap<>();
                ok.stream().map(r -> r.settings().get("cell")).distinct().forEach(c -> byCell.put(c, ok.stream()
                        .filter(r -> r.settings().get("cell").equals(c)).mapToDouble(TrialResult::value).toArray()));
                Plots.boxes(metric + " by cell", metric, byCell, out.resolve("by-cell.png"));
                report.figure("by-cell.png", "The metric of every trial, by cell.");
            }
            for (var axis : spec.space().entrySet()) {
                if (numeric(ok, axis.getKey())) {
                    String name = axis.getKey();
                    boolean log = axis.getValue() instanceof SweepSpec.Distribution d && d.logScale();
                    // one colour per cell when the sweep varies it, so a reader sees which cell each point is
                    Map<String, double[][]> byCell = new TreeMap<>();
                    boolean cells = spec.space().containsKey("cell");
                    ok.stream().map(r -> cells ? r.settings().get("cell") : "trials").distinct().forEach(c -> {
                        List<TrialResult> group = ok.stream()
                                .filter(r -> !cells || r.settings().get("cell").equals(c)).toList();
                        byCell.put(c, new double[][] {
                            group.stream().mapToDouble(r -> Double.parseDouble(r.settings().get(name))).toArray(),
                            group.stream().mapToDouble(TrialResult::value).toArray()});
                    });
                    Plots.scatter(metric + " against " + name, name + (log ? " (log scale)" : ""), metric, byCell,
                            Map.of(), log, out.resolve("against-" + name + ".png"));
                    report.figure("against-" + name + ".png", "The metric against " + name + (log ? " (log scale)" : "")
                            + ", every trial" + (cells ? ", coloured by cell." : "."));
                }
            }
        }
        report.write(out);
    }

    /** Whether every value of {@code setting} is a number. */
    private static boolean numeric(List<TrialResult> rows, String setting) {
        try {
            rows.forEach(r -> Double.parseDouble(r.settings().get(setting)));
            return !rows.isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The share of the metric's variance explained by {@code setting}'s marginal means: sum over its groups of
     * {@code n_g (mean_g - mean)^2}, over the total sum of squares. Numeric settings with many values are grouped in
     * {@value #BINS} quantile bins. 0 when the metric does not vary.
     */
    static double importance(List<TrialResult> rows, String setting) {
        if (rows.size() < 2) {
            return 0;
        }
        double mean = rows.stream().mapToDouble(TrialResult::value).average().orElse(0);
        double total = rows.stream().mapToDouble(r -> (r.value() - mean) * (r.value() - mean)).sum();
        if (total == 0) {
            return 0;
        }
        Map<Object, List<Double>> groups = new LinkedHashMap<>();
        // numeric settings in quantile bins of at least two trials each, so a bin's mean is not one trial's value
        int bins = Math.max(1, Math.min(BINS, rows.size() / 2));
        boolean binned = numeric(rows, setting)
                && rows.stream().map(r -> r.settings().get(setting)).distinct().count() > bins;
        double[] sorted = binned ? rows.stream().mapToDouble(r -> Double.parseDouble(r.settings().get(setting)))
                .sorted().toArray() : null;
        for (TrialResult r : rows) {
            Object key = r.settings().get(setting);
            if (binned) {
                double v = Double.parseDouble((String) key);
                int rank = 0;
                while (rank < sorted.length && sorted[rank] < v) {
                    rank++;
                }
                key = Math.min(bins - 1, rank * bins / sorted.length);
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r.value());
        }
        double between = 0;
        for (List<Double> g : groups.values()) {
            double m = g.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            between += g.size() * (m - mean) * (m - mean);
        }
        return between / total;
    }
}
