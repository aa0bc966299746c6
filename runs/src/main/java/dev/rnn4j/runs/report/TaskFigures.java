package dev.rnn4j.runs.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.rnn4j.datasets.CsvClassify;
import dev.rnn4j.datasets.CsvForecast;
import dev.rnn4j.datasets.SeriesForecastTask;
import dev.rnn4j.datasets.forecasting.Accuracy;
import dev.rnn4j.datasets.forecasting.SeriesForecast;
import dev.rnn4j.datasets.TaskConfig;
import dev.rnn4j.model.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures a trained model of the user's own data leaves beside {@code metrics.json}: for {@code csv-forecast} the
 * test span ({@code forecast.png}: actual, model, AR baseline) and its residuals ({@code residuals.png}); for
 * {@code csv-classify} the test set's confusion matrix ({@code confusion.json}, {@code confusion.png}). Other tasks
 * have none.
 */
public final class TaskFigures {

    private TaskFigures() {
    }

    /**
     * Writes {@code task}'s figures for {@code model} into {@code out}, if it has any, and returns what
     * {@code metrics.json} gets beside the task's scalar figures (e.g. {@code series-forecast}'s sMAPE by step).
     */
    public static JsonObject write(TaskConfig<?> task, Model model, Path out) throws IOException {
        JsonObject extra = new JsonObject();
        if (task.config() instanceof CsvForecast.Config c) {
            forecast(c, model, out);
        } else if (task.config() instanceof CsvClassify.Config c) {
            confusion(c, model, out);
        } else if (task.config() instanceof SeriesForecast.Config c && task.task() instanceof SeriesForecastTask t) {
            SeriesForecast.Evaluation e = t.evaluation(c, model);
            extra.add("smape_by_step", MetricsJson.array(Arrays.stream(e.smapeByStep()).boxed().toList()));
            seriesFigures(c, e, out);
        }
        return extra;
    }

    /**
     * {@code fan.png}: four series (the first, and the quartiles of the model's sMAPE) with their last history, the
     * actual values, the forecast and its 95% band; {@code smape-by-step.png}: sMAPE at each horizon step for the
     * model, Naive2 and sNaive.
     */
    private static void seriesFigures(SeriesForecast.Config config, SeriesForecast.Evaluation e, Path out)
            throws IOException {
        SeriesForecast.Problem p = e.problem();
        int h = config.horizon();
        int n = p.ids().size();
        double[] seriesSmape = new double[n];
        for (int s = 0; s < n; s++) {
            seriesSmape[s] = Arrays.stream(Accuracy.smape(p.test().get(s), e.forecasts()[s])).average().orElse(0);
        }
        Integer[] order = java.util.stream.IntStream.range(0, n).boxed()
                .sorted(java.util.Comparator.comparingDouble(s -> seriesSmape[s])).toArray(Integer[]::new);
        int[] shown = {0, order[n / 4], order[n / 2], order[3 * n / 4]};
        Map<String, Map<String, double[][]>> panels = new LinkedHashMap<>();
        for (int s : shown) {
            double[] x = p.history().get(s);
            int back = Math.min(x.length, 3 * h);
            double[] tHist = new double[back];
            double[] vHist = new double[back];
            for (int i = 0; i < back; i++) {
                tHist[i] = i - back + 1;
                vHist[i] = x[x.length - back + i];
            }
            double[] tFut = new double[h];
            for (int k = 0; k < h; k++) {
                tFut[k] = k + 1;
            }
            double[][] band = SeriesForecast.band(config, x, e.forecasts()[s], e.calibration());
            Map<String, double[][]> lines = new LinkedHashMap<>();
            lines.put("history", new double[][] {tHist, vHist});
            lines.put("actual", new double[][] {tFut, p.test().get(s)});
            lines.put("forecast", new double[][] {tFut, e.forecasts()[s]});
            lines.put("95% band", new double[][] {tFut, band[0]});
            lines.put("95% band, upper", new double[][] {tFut, band[1]});
            panels.put(String.format(java.util.Locale.ROOT, "%s (sMAPE %.1f)", p.ids().get(s), seriesSmape[s]), lines);
        }
        Plots.fans("series-forecast: history, actual, forecast and 95% band", panels, out.resolve("fan.png"));
        double[] steps = java.util.stream.IntStream.rangeClosed(1, h).asDoubleStream().toArray();
        Map<String, double[][]> bySteps = new LinkedHashMap<>();
        bySteps.put("model", new double[][] {steps, e.smapeByStep()});
        bySteps.put("Naive2", new double[][] {steps, e.benchmarkSmapeByStep().get("naive2")});
        bySteps.put("sNaive", new double[][] {steps, e.benchmarkSmapeByStep().get("snaive")});
        Plots.lines("sMAPE by horizon step", "step ahead", "sMAPE (%)", bySteps, false, out.resolve("smape-by-step.png"));
    }

    private static void forecast(CsvForecast.Config config, Model model, Path out) throws IOException {
        CsvForecast.Problem p = CsvForecast.read(config);
        int[] rows = p.targets()[2];
        double[] x = timeAxis(p.series().times(), rows);
        double[] actual = Arrays.stream(rows).mapToDouble(p::target).toArray();
        double[] predicted = p.forecast(model, rows);
        Map<String, double[][]> lines = new LinkedHashMap<>();
        Map<String, double[][]> residuals = new LinkedHashMap<>();
        lines.put("actual", new double[][] {x, actual});
        lines.put(String.format(java.util.Locale.ROOT, "model (RMSE %.4g)", CsvForecast.rmse(actual, predicted)),
                new double[][] {x, predicted});
        residuals.put("actual - model", new double[][] {x, minus(actual, predicted)});
        if (config.ar() != null) {
            double[] ar = p.autoregression(2);
            lines.put(String.format(java.util.Locale.ROOT, "AR(%d) (RMSE %.4g)", config.window(),
                    CsvForecast.rmse(actual, ar)), new double[][] {x, ar});
            residuals.put("actual - AR", new double[][] {x, minus(actual, ar)});
        }
        String axis = config.time() != null ? config.time() : "row";
        Plots.lines(config.target() + ": the test rows", axis, config.target(), lines, false, out.resolve("forecast.png"));
        Plots.lines(config.target() + ": residuals on the test rows", axis, config.target(), residuals, false,
                out.resolve("residuals.png"));
    }

    private static void confusion(CsvClassify.Config config, Model model, Path out) throws IOException {
        CsvClassify.Confusion c = CsvClassify.read(config).confusion(model, 2);
        JsonObject json = new JsonObject();
        JsonArray classes = new JsonArray();
        c.classes().forEach(classes::add);
        json.add("classes", classes);
        JsonArray counts = new JsonArray();
        for (int[] row : c.counts()) {
            JsonArray r = new JsonArray();
            Arrays.stream(row).forEach(r::add);
            counts.add(r);
        }
        json.add("counts", counts);
        json.addProperty("rows", "true class");
        json.addProperty("columns", "predicted class");
        MetricsJson.write(out.resolve("confusion.json"), json);
        Plots.confusion(String.format(java.util.Locale.ROOT, "test sequences: accuracy %.3f", c.accuracy()),
                c.classes(), c.counts(), out.resolve("confusion.png"));
    }

    /** The rows' time labels when they are all numbers (years), else the row numbers. */
    private static double[] timeAxis(String[] times, int[] rows) {
        try {
            return Arrays.stream(rows).mapToDouble(r -> Double.parseDouble(times[r])).toArray();
        } catch (NumberFormatException e) {
            return Arrays.stream(rows).mapToDouble(r -> r + 1).toArray();
        }
    }

    private static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }
}
