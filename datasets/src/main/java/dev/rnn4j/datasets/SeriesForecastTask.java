package dev.rnn4j.datasets;

import dev.rnn4j.data.DataSplit;
import dev.rnn4j.datasets.forecasting.SeriesForecast;
import dev.rnn4j.model.Model;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.Metrics;
import dev.rnn4j.train.RegressionLoss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code series-forecast}: many series, one network, the whole horizon at once, with 95% intervals
 * ({@link SeriesForecast}). Training evaluates on each series' validation window (MSE of the level-scaled values);
 * the final report is the M4 competition's: sMAPE, MASE, OWA against Naive2, MSIS and coverage, beside the M4
 * statistical benchmarks on the same series.
 */
public final class SeriesForecastTask implements Task<SeriesForecast.Config> {
    /** The last evaluation, kept for the figures that follow it (the benchmarks take a second or two). */
    private Map.Entry<Model, SeriesForecast.Config> lastKey;
    private SeriesForecast.Evaluation last;

    @Override
    public String name() {
        return "series-forecast";
    }

    @Override
    public Class<SeriesForecast.Config> configType() {
        return SeriesForecast.Config.class;
    }

    @Override
    public SeriesForecast.Config defaults(long seed) {
        throw new IllegalArgumentException("series-forecast needs --csv FILE, --horizon H and --season M");
    }

    @Override
    public List<TaskOption> options() {
        return List.of(TaskOption.value("csv", "FILE", "the series, one per row: its id, then its values (the M4 "
                        + "layout, rows padded with empty cells), or one row per series and time with --layout long; "
                        + "required"),
                TaskOption.value("layout", "wide|long", "wide (default: M4's) or long (--id, --time-column and "
                        + "--target name the columns)"),
                TaskOption.value("id", "COLUMN", "--layout long: the column naming each row's series"),
                TaskOption.value("time-column", "COLUMN", "--layout long: the column (numbers, ISO dates or date-times) "
                        + "ordering each series' rows"),
                TaskOption.value("target", "COLUMN", "--layout long: the column of values"),
                TaskOption.value("test-csv", "FILE", "each series' next H values in the same layout (default: each "
                        + "series' last H values are the test)"),
                TaskOption.value("horizon", "H", "steps forecast at once; required"),
                TaskOption.value("season", "M", "the seasonal period (24 for hourly data); required"),
                TaskOption.value("window", "W", "values the network reads before the horizon (default 7 x season, "
                        + "at most 7 x horizon)"),
                TaskOption.value("windows-per-series", "N", "training windows drawn per series (default 300)"),
                TaskOption.value("ensemble", "K", "train K models (seeds seed..seed+K-1) and forecast the median of "
                        + "theirs (default 5)"),
                TaskOption.value("residual", "snaive|none", "snaive (default: the network learns what seasonal naive "
                        + "leaves, its head starts at zero, so training starts from seasonal naive) or none"));
    }

    @Override
    public SeriesForecast.Config configure(TaskOptions o, long seed) {
        if (!o.has("csv") || !o.has("horizon") || !o.has("season")) {
            throw new IllegalArgumentException("series-forecast needs --csv FILE, --horizon H and --season M");
        }
        int horizon = o.integer("horizon", 1);
        int season = o.integer("season", 1);
        SeriesForecast.Config c = new SeriesForecast.Config(o.path("csv").toString(),
                o.has("test-csv") ? o.path("test-csv").toString() : null, horizon, season,
                o.integer("window", Math.min(7 * season, 7 * horizon)), o.integer("windows-per-series", 300), seed,
                residual(o.text("residual")), o.integer("ensemble", 5), columns(o));
        SeriesForecast.read(c); // every file problem before any work
        return c;
    }

    /** The long layout's columns, or null for the wide layout. */
    private static SeriesForecast.LongColumns columns(TaskOptions o) {
        String layout = o.has("layout") ? o.text("layout") : "wide";
        boolean named = o.has("id") || o.has("time-column") || o.has("target");
        if (layout.equals("wide")) {
            if (named) {
                throw new IllegalArgumentException("--id, --time-column and --target are for --layout long");
            }
            return null;
        }
        if (!layout.equals("long")) {
            throw new IllegalArgumentException("--layout must be wide or long, got '" + layout + "'");
        }
        if (!o.has("id") || !o.has("time-column") || !o.has("target")) {
            throw new IllegalArgumentException("--layout long needs --id COLUMN, --time-column COLUMN and --target "
                    + "COLUMN");
        }
        return new SeriesForecast.LongColumns(o.text("id"), o.text("time-column"), o.text("target"));
    }

    private static boolean residual(String text) {
        if (text == null || text.equals("snaive")) {
            return true;
        }
        if (text.equals("none")) {
            return false;
        }
        throw new IllegalArgumentException("--residual must be snaive or none, got '" + text + "'");
    }

    /** With the seasonal-naive residual, a zero head: the untrained model forecasts exactly seasonal naive. */
    @Override
    public dev.rnn4j.params.Initializer.Options init(SeriesForecast.Config config, float forgetBias) {
        return new dev.rnn4j.params.Initializer.Options(forgetBias, 0f, config.residual());
    }

    @Override
    public int ensembleSize(SeriesForecast.Config config) {
        return config.ensemble();
    }

    @Override
    public DataSplit generate(SeriesForecast.Config config) {
        SeriesForecast.Problem p = SeriesForecast.read(config);
        return new DataSplit(p.trainingWindows(), p.validationWindows());
    }

    @Override
    public ModelSpec.Builder specFor(SeriesForecast.Config config) {
        return ModelSpec.builder().setInputSize(SeriesForecast.INPUT_SIZE).setHead(HeadKind.REGRESSION, config.horizon())
                .setOutputMode(OutputMode.LAST_STEP);
    }

    @Override
    public String metric() {
        return Metrics.MSE;
    }

    @Override
    public String reportedMetric() {
        return "test_owa";
    }

    @Override
    public String heldOutPrefix() {
        return "val_";
    }

    @Override
    public double target() {
        return Double.NaN;
    }

    /**
     * LSTM 64, Adam 3e-3, batch 64, 3,000 steps on absolute error (MAE: the median, and the absolute errors sMAPE and
     * MASE score) evaluated every 200 on the validation windows, keeping the best (the seasonal-naive start included).
     * Chosen on M4 Hourly with the last 48 values of the training file as the test (docs/your-own-data.md): with squared
     * error, 2,000 steps over 100 windows per series gave OWA 0.603, 6,000 steps 0.619, 3,000 over 300 windows 0.595;
     * medians of 3 / 5 / 7 seeds 0.583 / 0.574 / 0.575. Absolute error instead: the median of 3 seeds 0.558 and 0.569
     * (seeds 1 and 11; squared error 0.583 and 0.572), of 5 seeds 0.556 (the default {@code --ensemble}).
     */
    @Override
    public Recipe recipe(SeriesForecast.Config config) {
        return Recipe.steps(3000).withHidden(64).withBatchSize(64).withEvalEvery(200).withKeepBest(true)
                .withLoss(RegressionLoss.MAE);
    }

    @Override
    public synchronized Map<String, Double> finalMetrics(SeriesForecast.Config config, Model model) {
        return new LinkedHashMap<>(evaluation(config, model).metrics());
    }

    /** The test evaluation of {@code model} (the last one is kept: the figures read it after the metrics). */
    public synchronized SeriesForecast.Evaluation evaluation(SeriesForecast.Config config, Model model) {
        Map.Entry<Model, SeriesForecast.Config> key = Map.entry(model, config);
        if (!key.equals(lastKey)) {
            last = SeriesForecast.read(config).evaluate(model);
            lastKey = key;
        }
        return last;
    }

    /** sMAPE / MASE / OWA / MSIS beside Naive2's and sNaive's. */
    @Override
    public String summary(Map<String, Double> m) {
        return String.format(Locale.ROOT, "; sMAPE %.3f, MASE %.3f, OWA %.3f, MSIS %.3f (coverage %.3f); Naive2 %.3f / "
                        + "%.3f / %.3f, sNaive %.3f / %.3f / %.3f", m.get("test_smape"), m.get("test_mase"),
                m.get("test_owa"), m.get("test_msis"), m.get("test_coverage"), m.get("baseline_naive2_smape"),
                m.get("baseline_naive2_mase"), m.get("baseline_naive2_owa"), m.get("baseline_snaive_smape"),
                m.get("baseline_snaive_mase"), m.get("baseline_snaive_owa"));
    }
}
