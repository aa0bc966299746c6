package dev.rnn4j.runs.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.rnn4j.datasets.CsvClassify;
import dev.rnn4j.datasets.CsvForecast;
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

    /** Writes {@code task}'s figures for {@code model} into {@code out}, if it has any. */
    public static void write(TaskConfig<?> task, Model model, Path out) throws IOException {
        if (task.config() instanceof CsvForecast.Config c) {
            forecast(c, model, out);
        } else if (task.config() instanceof CsvClassify.Config c) {
            confusion(c, model, out);
        }
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
