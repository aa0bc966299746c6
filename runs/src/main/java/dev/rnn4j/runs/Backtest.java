package dev.rnn4j.runs;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.rnn4j.config.BackendSelection;
import dev.rnn4j.config.Backends;
import dev.rnn4j.datasets.SeriesForecastTask;
import dev.rnn4j.datasets.TaskConfig;
import dev.rnn4j.datasets.forecasting.Accuracy;
import dev.rnn4j.datasets.forecasting.SeriesForecast;
import dev.rnn4j.datasets.forecasting.SeriesTable;
import dev.rnn4j.io.AtomicFiles;
import dev.rnn4j.model.Model;
import dev.rnn4j.runs.report.MetricsJson;
import dev.rnn4j.runs.report.Plots;
import dev.rnn4j.runs.report.TaskFigures;
import dev.rnn4j.spi.Capability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Rolling-origin evaluation of a {@code series-forecast} request ({@code ./rnn4j backtest}): {@code K} origins,
 * {@code H} values apart, the last one H values before each series' end (its test file's end, when it has one). At
 * origin {@code k} (1..K) each series is cut {@code (K - k) x H} values before its end and its last H values after the
 * cut are forecast from what precedes them. Without {@code retrain}, one model is trained on what precedes the first
 * origin and forecasts from every origin; with it, a model is trained anew at each origin on what precedes it. The
 * same series are evaluated at every origin (those long enough at the first); each origin's figures are the task's
 * ({@code sMAPE}, {@code MASE}, {@code OWA}, {@code MSIS}, coverage and the M4 benchmarks), and the backtest's are
 * their means over the origins (OWA from the mean sMAPE and MASE, as M4 computes it over all forecasts).
 *
 * <pre>{@code
 * TrainingRequest request = TrainingRequest.builder().setTask("series-forecast")
 *         .option("csv", "sales.csv").option("horizon", "14").option("season", "7").setOut(Path.of("out/bt")).build();
 * Backtest.Result r = new Backtest(request, 3, false).run(System.out::println);
 * double owa = r.mean().get("test_owa");
 * }</pre>
 *
 * <p>Each origin's run lands in {@code out/origin-k/} (its series file, the model, {@code metrics.json}, figures;
 * without {@code retrain}, origins after the first have no model of their own: their {@code metrics.json} names
 * {@code ../origin-1}); {@code out/backtest.json} has every origin's figures and the means, {@code out/backtest.png} sMAPE at
 * each origin for the model, sNaive and Naive2.
 *
 * @param request what to train (its data: the whole series; its folder: the backtest's)
 * @param origins K, at least 1
 * @param retrain train anew at each origin
 */
public record Backtest(TrainingRequest request, int origins, boolean retrain) {

    /** The model's figures averaged over origins, and the benchmarks averaged with them. */
    private static final List<String> AVERAGED = List.of("test_smape", "test_mase", "test_msis", "test_coverage");
    private static final List<String> BASELINES = List.of("naive", "snaive", "naive2", "ses", "theta");

    /**
     * Checks the set-up before any work: the task, {@code origins}, and that some series is long enough at the first
     * origin.
     *
     * @throws IllegalArgumentException one line naming the problem
     */
    public Backtest {
        if (!(request.data().config() instanceof SeriesForecast.Config)) {
            throw new IllegalArgumentException("backtest evaluates --task series-forecast, got --task "
                    + request.data().name());
        }
        if (origins < 1) {
            throw new IllegalArgumentException("--origins must be at least 1, got " + origins);
        }
        if (request.resume()) {
            throw new IllegalArgumentException("backtest does not --resume: run it again (each origin's run is short)");
        }
        SeriesForecast.Config c = (SeriesForecast.Config) request.data().config();
        try {
            SeriesForecast.split(c, cut(SeriesForecast.wholeSeries(c), c.horizon(), origins - 1), null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (at the first of " + origins + " origins, each series "
                    + "cut " + origins + " x " + c.horizon() + " values before its end)");
        }
    }

    /**
     * The backtest's figures.
     *
     * @param perOrigin each origin's, first to last, as its {@code metrics.json} has them
     * @param mean      their means over the origins ({@code test_*} and {@code baseline_*_smape|mase|owa})
     * @param series    the series evaluated at every origin
     * @param skipped   the series left out: too short at the first origin
     */
    public record Result(List<Map<String, Double>> perOrigin, Map<String, Double> mean, List<String> series,
                         List<String> skipped) {
    }

    /**
     * Runs the backtest into the request's folder, telling {@code progress} a line per origin.
     *
     * @throws IOException if a file cannot be written
     */
    public Result run(Consumer<String> progress) throws IOException {
        SeriesForecast.Config base = (SeriesForecast.Config) request.data().config();
        Path out = request.out();
        AtomicFiles.requireWritableFolder(out);
        SeriesTable whole = SeriesForecast.wholeSeries(base);
        int h = base.horizon();
        List<String> kept = SeriesForecast.split(base, cut(whole, h, origins - 1), null).ids();
        List<String> skipped = whole.ids().stream().filter(id -> !kept.contains(id)).toList();
        whole = only(whole, kept);
        List<Map<String, Double>> perOrigin = new ArrayList<>();
        Model fixed = null;
        try {
            for (int k = 1; k <= origins; k++) {
                Path dir = out.resolve("origin-" + k);
                Files.createDirectories(dir);
                Path csv = dir.resolve("series.csv");
                cut(whole, h, origins - k).writeWide(csv);
                SeriesForecast.Config atOrigin = new SeriesForecast.Config(csv.toString(), null, h, base.season(),
                        base.window(), base.windowsPerSeries(), base.seed(), base.residual(), base.ensemble(), null);
                TaskConfig<SeriesForecast.Config> data = new TaskConfig<>((SeriesForecastTask) request.data().task(),
                        atOrigin);
                Map<String, Double> metrics;
                if (k == 1 || retrain) {
                    TrainingRequest r = request.with(data, dir);
                    TrainingRun.Outcome outcome = r.run();
                    metrics = numbers(outcome.metrics());
                    if (!retrain) {
                        fixed = TrainingRun.load(Backends.create(BackendSelection.resolve(request.backend()).name(),
                                EnumSet.noneOf(Capability.class)), r.out(), r.plan().spec(), outcome.parameters());
                    }
                } else {
                    metrics = evaluate(data, fixed, dir);
                }
                perOrigin.add(metrics);
                progress.accept(String.format(java.util.Locale.ROOT, "origin %d/%d (%d values before each series' end):"
                        + " sMAPE %.3f, MASE %.3f, OWA %.3f", k, origins, (origins - k + 1) * h,
                        metrics.get("test_smape"), metrics.get("test_mase"), metrics.get("test_owa")));
            }
        } finally {
            if (fixed != null) {
                fixed.close();
            }
        }
        Result result = new Result(perOrigin, mean(perOrigin), kept, skipped);
        write(result, out);
        return result;
    }

    /** The fixed model's figures at a later origin, with {@code metrics.json} and the task's figures in {@code dir}. */
    private static Map<String, Double> evaluate(TaskConfig<SeriesForecast.Config> data, Model model, Path dir)
            throws IOException {
        Map<String, Double> metrics = data.finalMetrics(model);
        JsonObject json = MetricsJson.object(metrics);
        TaskFigures.write(data, model, dir).entrySet().forEach(e -> json.add(e.getKey(), e.getValue()));
        json.addProperty("model", "../origin-1");
        MetricsJson.write(dir.resolve("metrics.json"), json);
        return metrics;
    }

    /** Every number of a run's {@code metrics.json} at its top level. */
    private static Map<String, Double> numbers(JsonObject metrics) {
        Map<String, Double> m = new LinkedHashMap<>();
        metrics.entrySet().stream().filter(e -> e.getValue().isJsonPrimitive()
                        && e.getValue().getAsJsonPrimitive().isNumber())
                .filter(e -> e.getKey().startsWith("test_") || e.getKey().startsWith("baseline_")
                        || e.getKey().equals("series"))
                .forEach(e -> m.put(e.getKey(), e.getValue().getAsDouble()));
        return m;
    }

    /** Means over origins; each OWA from the mean sMAPE and MASE and Naive2's. */
    static Map<String, Double> mean(List<Map<String, Double>> perOrigin) {
        Map<String, Double> mean = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(AVERAGED);
        for (String b : BASELINES) {
            keys.add("baseline_" + b + "_smape");
            keys.add("baseline_" + b + "_mase");
        }
        for (String key : keys) {
            mean.put(key, perOrigin.stream().mapToDouble(m -> m.get(key)).average().orElseThrow());
        }
        double n2s = mean.get("baseline_naive2_smape");
        double n2m = mean.get("baseline_naive2_mase");
        mean.put("test_owa", Accuracy.owa(mean.get("test_smape"), mean.get("test_mase"), n2s, n2m));
        for (String b : BASELINES) {
            mean.put("baseline_" + b + "_owa", Accuracy.owa(mean.get("baseline_" + b + "_smape"),
                    mean.get("baseline_" + b + "_mase"), n2s, n2m));
        }
        return mean;
    }

    private void write(Result result, Path out) throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("origins", origins);
        json.addProperty("retrain", retrain);
        json.addProperty("series", result.series().size());
        json.addProperty("skipped_series", result.skipped().size());
        json.add("mean", MetricsJson.object(result.mean()));
        JsonArray each = new JsonArray();
        result.perOrigin().forEach(m -> each.add(MetricsJson.object(m)));
        json.add("per_origin", each);
        json.add("request", request.toJson());
        MetricsJson.write(out.resolve("backtest.json"), json);
        List<String> labels = new ArrayList<>();
        for (int k = 1; k <= origins; k++) {
            labels.add("origin " + k);
        }
        labels.add("mean");
        Map<String, double[]> smape = new LinkedHashMap<>();
        smape.put("rnn4j", column(result, "test_smape"));
        smape.put("sNaive", column(result, "baseline_snaive_smape"));
        smape.put("Naive2", column(result, "baseline_naive2_smape"));
        Plots.bars(String.format(java.util.Locale.ROOT, "sMAPE at each origin (%s, %d series): mean OWA %.3f, sNaive "
                        + "%.3f", retrain ? "trained anew at each" : "trained before the first", result.series().size(),
                result.mean().get("test_owa"), result.mean().get("baseline_snaive_owa")), "sMAPE (%)", labels, smape,
                false, out.resolve("backtest.png"));
    }

    /** {@code key} at each origin, then its mean. */
    private static double[] column(Result result, String key) {
        double[] v = result.perOrigin().stream().mapToDouble(m -> m.get(key)).toArray();
        v = Arrays.copyOf(v, v.length + 1);
        v[v.length - 1] = result.mean().get(key);
        return v;
    }

    /** Each series without its last {@code back x h} values. */
    static SeriesTable cut(SeriesTable whole, int h, int back) {
        List<String> ids = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (int s = 0; s < whole.size(); s++) {
            double[] x = whole.values().get(s);
            if (x.length > back * h) {
                ids.add(whole.ids().get(s));
                values.add(Arrays.copyOf(x, x.length - back * h));
            }
        }
        return new SeriesTable(ids, values);
    }

    private static SeriesTable only(SeriesTable table, List<String> ids) {
        return new SeriesTable(ids, ids.stream().map(table::series).toList());
    }
}
