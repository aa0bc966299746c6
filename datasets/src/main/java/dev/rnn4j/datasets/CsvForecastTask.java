package dev.rnn4j.datasets;

import java.util.List;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.model.Model;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.Metrics;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code csv-forecast}: a column of the user's CSV file forecast from a window of the rows before it
 * ({@link CsvForecast}). Training evaluates on the validation rows (normalised MSE); the final report is on the test
 * rows in the target's own units, beside the baselines on the same targets: {@code test_rmse}, {@code test_mae},
 * {@code baseline_persistence_rmse}, {@code baseline_ar_rmse} and, with a season, {@code baseline_seasonal_rmse}.
 */
public final class CsvForecastTask implements Task<CsvForecast.Config> {

    @Override
    public String name() {
        return "csv-forecast";
    }

    @Override
    public Class<CsvForecast.Config> configType() {
        return CsvForecast.Config.class;
    }

    /** There is no default file. */
    @Override
    public CsvForecast.Config defaults(long seed) {
        throw new IllegalArgumentException("csv-forecast needs --csv FILE, --target COLUMN and --window W");
    }

    @Override
    public List<TaskOption> options() {
        return List.of(TaskOption.value("csv", "FILE", "the CSV file (a header row; one row per time step, in time "
                        + "order); required"),
                TaskOption.value("target", "COLUMN", "the column to forecast; required"),
                TaskOption.value("window", "W", "rows per input window; required"),
                TaskOption.value("features", "A,B", "other numeric columns the model reads"),
                TaskOption.value("time-column", "COLUMN", "the column that labels the rows (years, dates...)"),
                TaskOption.value("horizon", "H", "forecast H rows after the window's last (default 1)"),
                TaskOption.value("season", "S", "S for the seasonal baseline (the value S rows earlier)"),
                TaskOption.value("missing", "error|interpolate|drop", "empty cells: error (default), interpolate or "
                        + "drop"),
                TaskOption.value("split", "F,F,F", "train, validation, test fractions by time (default "
                        + "0.7,0.15,0.15)"),
                new TaskOption("normalize", "standard|minmax|none", "standard (default), minmax or none, fitted on the "
                        + "training rows", "standard"),
                TaskOption.value("residual", "ar|none", "ar (default: the network learns what the AR baseline leaves, "
                        + "and the forecast is AR plus its output) or none"));
    }

    /** The forecasting set-up from the options, with its normalisation fitted on the file. */
    @Override
    public CsvForecast.Config configure(TaskOptions o, long seed) {
        if (!o.has("csv") || !o.has("target") || !o.has("window")) {
            throw new IllegalArgumentException("csv-forecast needs --csv FILE, --target COLUMN and --window W");
        }
        String residual = o.text("residual");
        if (residual != null && !residual.equals("ar") && !residual.equals("none")) {
            throw new IllegalArgumentException("--residual must be ar or none, got '" + residual + "'");
        }
        return configure(new CsvForecast.Config(o.path("csv").toString(), o.text("target"), o.list("features"),
                o.text("time-column"), o.integer("window", 0), o.integer("horizon", 1), o.integer("season", 0),
                o.has("missing") ? CsvSeries.Missing.parse(o.text("missing")) : CsvSeries.Missing.ERROR,
                o.split("split", new double[] {0.7, 0.15}),
                o.has("normalize") ? CsvForecast.Normalize.parse(o.text("normalize")) : CsvForecast.Normalize.STANDARD,
                null, null, !"none".equals(residual), null));
    }

    /**
     * The configuration with its normalisation fitted on the file's training rows (what is saved with the model).
     *
     * @throws IllegalArgumentException for any problem with the file or the settings (the message names it)
     */
    public CsvForecast.Config configure(CsvForecast.Config config) {
        return CsvForecast.read(config).config();
    }

    /** Training examples and, as the held-out set training evaluates on, the validation examples. */
    @Override
    public DataSplit generate(CsvForecast.Config config) {
        CsvForecast.Problem p = CsvForecast.read(config);
        return new DataSplit(p.dataset(0), p.dataset(1));
    }

    @Override
    public ModelSpec.Builder specFor(CsvForecast.Config config) {
        return ModelSpec.builder().setInputSize(config.columns().size()).setHead(HeadKind.REGRESSION, 1)
                .setOutputMode(OutputMode.LAST_STEP);
    }

    @Override
    public String metric() {
        return Metrics.MSE;
    }

    @Override
    public String reportedMetric() {
        return "test_rmse";
    }

    /** Training evaluates on the validation data; the test set is {@link #finalMetrics}'. */
    @Override
    public String heldOutPrefix() {
        return "val_";
    }

    @Override
    public double target() {
        return Double.NaN;
    }

    /**
     * LSTM 16, Adam 3e-3, batch 32, 300 steps evaluated on the validation rows every 5, ending with the best of those
     * evaluations; with {@code --residual ar} the head starts at zero, so training starts from the AR fit itself and
     * keeps it unless the network improves on it where it was not fitted. Series of a few hundred rows overfit within
     * a few hundred steps, hence the small model and the fine-grained choice (README, "Your own data").
     */
    @Override
    public Recipe recipe(CsvForecast.Config config) {
        return Recipe.steps(300).withHidden(16).withEvalEvery(5).withKeepBest(true);
    }

    /** With the AR residual, a zero head: the untrained model forecasts exactly the AR fit. */
    @Override
    public Initializer.Options init(CsvForecast.Config config, float forgetBias) {
        return new Initializer.Options(forgetBias, 0f, config.residual());
    }

    /** The baselines' test RMSE: {@code "; baselines: persistence 29.0948, AR 17.6887"}. */
    @Override
    public String summary(Map<String, Double> figures) {
        StringBuilder baselines = new StringBuilder();
        for (String b : new String[] {"persistence", "seasonal", "ar"}) {
            if (figures.containsKey("baseline_" + b + "_rmse")) {
                baselines.append(String.format(java.util.Locale.ROOT, "%s %s %.4f",
                        baselines.length() == 0 ? "; baselines:" : ",", b.equals("ar") ? "AR" : b,
                        figures.get("baseline_" + b + "_rmse")));
            }
        }
        return baselines.toString();
    }

    /** The test rows: the model's RMSE and MAE in the target's units, and the baselines' RMSE on the same targets. */
    @Override
    public Map<String, Double> finalMetrics(CsvForecast.Config config, Model model) {
        CsvForecast.Problem p = CsvForecast.read(config);
        int[] rows = p.targets()[2];
        double[] actual = Arrays.stream(rows).mapToDouble(p::target).toArray();
        double[] predicted = p.forecast(model, rows);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("test_rmse", CsvForecast.rmse(actual, predicted));
        m.put("test_mae", CsvForecast.mae(actual, predicted));
        m.put("baseline_persistence_rmse", CsvForecast.rmse(actual, p.persistence()));
        if (config.season() > 0) {
            m.put("baseline_seasonal_rmse", CsvForecast.rmse(actual, p.seasonal()));
        }
        if (p.config().ar() != null) {
            m.put("baseline_ar_rmse", CsvForecast.rmse(actual, p.autoregression(2)));
        }
        m.put("test_examples", (double) rows.length);
        return m;
    }
}
