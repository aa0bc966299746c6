package dev.rnn4j.spark;

import dev.rnn4j.examples.programs.Example;
import dev.rnn4j.examples.programs.ExampleContext;
import dev.rnn4j.runs.report.Report;
import dev.rnn4j.train.Metrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;

/**
 * "LSTM: A Search Space Odyssey" (Greff et al., 2017) at toy scale: five cells (simple RNN, GRU, LSTM, peephole LSTM,
 * coupled-gate LSTM) with a log-uniform learning rate and a random hidden size, on three tasks, as sweeps on an
 * embedded Spark; the report says which setting explains most of the variance and how the cells compare.
 */
public final class LstmOdysseyExample implements Example {

    @Override
    public String name() {
        return "lstm-odyssey";
    }

    @Override
    public String summary() {
        return "Greff et al.'s search-space odyssey at toy scale on Spark: five cells x learning rate x size on three "
                + "tasks, what matters most";
    }

    /** The three tasks with their fixed flags. */
    private static Map<String, Map<String, String>> tasks(ExampleContext ctx) {
        Map<String, Map<String, String>> tasks = new LinkedHashMap<>();
        String size = String.valueOf(ctx.pick(1000, 10000));
        tasks.put("function-shapes", Map.of("coefficients", "per-sequence", "train-length", "1-16", "test-length", "4",
                "train-size", size, "test-size", "500"));
        tasks.put("remember-first", Map.of("length", "50", "train-size", size, "test-size", "500"));
        tasks.put("adding", Map.of("length", "100", "train-size", size, "test-size", "500"));
        return tasks;
    }

    @Override
    public Report run(ExampleContext ctx) throws IOException {
        int steps = ctx.pick(100, 1000);
        int draws = ctx.full() ? 7 : 2;
        List<Long> seeds = new ArrayList<>();
        for (int s = 0; s < (ctx.full() ? 3 : 1); s++) {
            seeds.add(ctx.seed() + s);
        }
        Map<String, SweepSpec.Axis> space = new LinkedHashMap<>();
        space.put("cell", new SweepSpec.Grid(List.of("rnn", "gru", "lstm", "lstm-peephole", "lstm-cifg")));
        space.put("lr", new SweepSpec.Distribution("loguniform", 1e-4, 1e-1, List.of()));
        space.put("hidden", new SweepSpec.Distribution("int", 16, 128, List.of()));
        Report report = new Report("LSTM: a search space odyssey, at toy scale");
        report.text("Five cells x a log-uniform learning rate in [1e-4, 1e-1] x a hidden size drawn from 16-128, "
                + draws + " draw(s) per cell, seeds " + seeds + ", " + steps + " steps each (Adam, batch 32, clip 5), "
                + "on three tasks, each a sweep on an embedded Spark (`local[*]`) with the native engine; each task's "
                + "sweep report is in its folder. Greff et al. found the learning rate the most important setting, the "
                + "forget gate and output activation essential, and coupled gates (CIFG) or no peepholes cheap."
                + (ctx.full() ? "" : " This is the small setting; `--full` runs " + 3 * 5 * 7 * 3 + " trials."));
        List<List<Object>> rows = new ArrayList<>();
        try (SparkSession spark = SweepCommand.session("local[*]", false)) {
            for (var task : tasks(ctx).entrySet()) {
                Map<String, String> flags = new TreeMap<>(task.getValue());
                flags.put("steps", String.valueOf(steps));
                SweepSpec spec = new SweepSpec(task.getKey(), flags, space, draws, List.copyOf(seeds));
                Sweep.Result r = Sweep.of(spec).run(spark, ctx.out().resolve(task.getKey()), new Sweep.Options(0, 1,
                        false));
                List<TrialResult> ok = r.rows().stream().filter(TrialResult::ok).toList();
                if (ok.isEmpty()) {
                    rows.add(List.of(task.getKey(), "no trial succeeded", "", ""));
                    continue;
                }
                String metric = ok.get(0).metric();
                Map<String, Double> importance = new LinkedHashMap<>();
                space.keySet().forEach(k -> importance.put(k, SweepReport.importance(ok, k)));
                String top = importance.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                Map<String, Double> byCell = new TreeMap<>();
                for (String cell : ((SweepSpec.Grid) space.get("cell")).values()) {
                    ok.stream().filter(t -> t.settings().get("cell").equals(cell)).mapToDouble(TrialResult::value)
                            .average().ifPresent(m -> byCell.put(cell, m));
                }
                boolean higher = Metrics.higherIsBetter(metric);
                String ranking = byCell.entrySet().stream()
                        .sorted((a, b) -> higher ? Double.compare(b.getValue(), a.getValue())
                                : Double.compare(a.getValue(), b.getValue()))
                        .map(e -> e.getKey() + " " + Report.fmt(e.getValue())).reduce((a, b) -> a + ", " + b).orElse("");
                rows.add(List.of(task.getKey(), metric, String.format(Locale.ROOT, "%s (%.0f%%); cell %.0f%%, lr %.0f%%, "
                        + "hidden %.0f%%", top, 100 * importance.get(top), 100 * importance.get("cell"),
                        100 * importance.get("lr"), 100 * importance.get("hidden")), ranking));
                report.metrics().addProperty(task.getKey() + "/most_important", top);
                importance.forEach((k, v) -> report.metrics().addProperty(task.getKey() + "/importance_" + k, v));
                report.figure(task.getKey() + "/by-cell.png", task.getKey() + ": " + metric + " of every trial, by cell.");
                report.figure(task.getKey() + "/against-lr.png", task.getKey() + ": " + metric + " against the learning "
                        + "rate (log scale).");
            }
        }
        report.heading("What explains the metric");
        report.table(List.of("task", "metric", "most important setting (share of variance); all three",
                "cells by mean metric, best first"), rows);
        report.text("Shares are each setting's main effect: the variance of the metric's means over its values "
                + "(learning rate and hidden size in 5 quantile bins) as a share of the metric's variance; with few "
                + "trials per cell they are noisy, and the small setting's budget is short of what the long-lag tasks "
                + "need, so read the full setting's figures.");
        report.write(ctx.out());
        return report;
    }
}
