package dev.rnn4j.datasets.forecasting;

import dev.rnn4j.data.Batch;
import dev.rnn4j.data.Sequence;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.model.Model;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.OutputMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Many series forecast by one network (a global model, as the M4 winners and DeepAR train them): windows of
 * {@code W} values sampled across all series, each centred on its own level (the mean of its last season) and scaled
 * by its own seasonal variation (the mean absolute difference between values one season apart, MASE's scale on the
 * window), so that series of any magnitude share the network and its squared error is measured in MASE's units; the
 * position in the season is two more inputs. The network reads the window and gives the whole horizon {@code H} from
 * its last step (a multi-output head). With the residual (the default) its outputs are added to seasonal naive's
 * forecast and its head starts at zero, so training starts from seasonal naive and keeps the best validation
 * evaluation. 95% prediction intervals come from the validation windows: per horizon step, the 2.5% and 97.5%
 * quantiles of the errors in units of each window's scale.
 *
 * <p>Data: each training series' last {@code H} values are held out for validation (early stopping and the
 * intervals); training windows end before them. The test is the file given with {@code --test-csv} (each series' next
 * H values), else each series' last H values (then validation uses the H before those). A series too short for one
 * training window is skipped and counted.
 *
 * <p>Per step of a window starting at index {@code s} of its series, the inputs are
 * {@code [(x_{s+j} - level) / scale, sin(2 pi p / m), cos(2 pi p / m)]} with {@code p = (s + j) mod m}; the targets
 * are {@code (x - level) / scale} at the H steps after the window, less seasonal naive's (same scaling) with the
 * residual.
 */
public final class SeriesForecast {
    /** Inputs per step: the scaled value and the seasonal position's sine and cosine. */
    public static final int INPUT_SIZE = 3;

    private SeriesForecast() {
    }

    /**
     * The set-up.
     *
     * @param csv              the series (M4's wide layout)
     * @param testCsv          each series' next {@code horizon} values in the same layout, or {@code null} to hold out
     *                         each series' last {@code horizon} values
     * @param horizon          H, steps forecast at once
     * @param season           m, the seasonal period (MASE's and the benchmarks' too)
     * @param window           W, values the network reads
     * @param windowsPerSeries training windows drawn per series (at most)
     * @param seed             the draw's seed
     * @param residual         the network learns what seasonal naive leaves: its outputs are added (in the scaled
     *                         space) to the value one season before each forecast step, so a zero head forecasts
     *                         exactly seasonal naive; else it forecasts the scaled values themselves
     * @param ensemble         models trained from seeds {@code seed, seed + 1, ...} and combined by the median of their
     *                         outputs (1: one model)
     * @param columns          the long layout's columns, or {@code null} for M4's wide layout (both files alike)
     */
    public record Config(String csv, String testCsv, int horizon, int season, int window, int windowsPerSeries,
                         long seed, boolean residual, int ensemble, LongColumns columns) {
        public Config {
            if (horizon < 1) {
                throw new IllegalArgumentException("--horizon must be at least 1, got " + horizon);
            }
            if (season < 1) {
                throw new IllegalArgumentException("--season must be at least 1, got " + season);
            }
            if (window < 1) {
                throw new IllegalArgumentException("--window must be at least 1, got " + window);
            }
            if (residual && window < season) {
                throw new IllegalArgumentException("--residual snaive needs --window >= --season (" + season + "), got "
                        + window);
            }
            if (ensemble < 1) {
                throw new IllegalArgumentException("--ensemble must be at least 1, got " + ensemble);
            }
            if (windowsPerSeries < 1) {
                throw new IllegalArgumentException("--windows-per-series must be at least 1, got " + windowsPerSeries);
            }
        }
    }

    /**
     * The long layout's columns ({@link SeriesTable#readLong}): one row per series and time step.
     *
     * @param id     the column naming each row's series
     * @param time   the column ordering a series' rows
     * @param target the column of values
     */
    public record LongColumns(String id, String time, String target) {
    }

    /**
     * Each series' whole record in {@code config}'s files: the training file's values followed, when there is a test
     * file, by its test values (what a backtest cuts at its origins).
     */
    public static SeriesTable wholeSeries(Config config) {
        SeriesTable train = table(config, config.csv());
        if (config.testCsv() == null) {
            return train;
        }
        SeriesTable test = table(config, config.testCsv());
        split(config, train, test); // the test file's ids and lengths checked against the training file's
        List<double[]> whole = new ArrayList<>();
        for (int s = 0; s < train.size(); s++) {
            double[] x = train.values().get(s);
            double[] y = Arrays.copyOf(test.values().get(s), config.horizon()); // as the test has them
            double[] both = Arrays.copyOf(x, x.length + y.length);
            System.arraycopy(y, 0, both, x.length, y.length);
            whole.add(both);
        }
        return new SeriesTable(train.ids(), whole);
    }

    /** A file of {@code config}'s layout. */
    static SeriesTable table(Config config, String path) {
        LongColumns c = config.columns();
        return c == null ? SeriesTable.readWide(Path.of(path)) : SeriesTable.readLong(Path.of(path), c.id(), c.time(),
                c.target());
    }

    /**
     * The series read and split.
     *
     * @param config  the set-up
     * @param ids     the series kept, in file order
     * @param history each kept series' values before the test (what the model and the benchmarks see)
     * @param test    each kept series' test values (H)
     * @param skipped ids of the series too short for one training window
     */
    public record Problem(Config config, List<String> ids, List<double[]> history, List<double[]> test,
                          List<String> skipped) {

        /** Training windows (drawn from {@code seed}) and the validation windows (each series' last H of history). */
        public SequenceDataset trainingWindows() {
            SplittableRandom rng = new SplittableRandom(config.seed());
            int w = config.window();
            int h = config.horizon();
            List<Sequence> out = new ArrayList<>();
            for (double[] x : history) {
                int firstTarget = w;               // the first value a window can forecast
                int lastTarget = x.length - 2 * h; // the last first-target that keeps validation out of the targets
                int count = lastTarget - firstTarget + 1;
                int[] origins = count <= config.windowsPerSeries()
                        ? java.util.stream.IntStream.rangeClosed(firstTarget, lastTarget).toArray()
                        : rng.ints(config.windowsPerSeries(), firstTarget, lastTarget + 1).sorted().toArray();
                for (int o : origins) {
                    out.add(example(x, o, w, h, true));
                }
            }
            return dataset(out);
        }

        /** One window per series: the last W before its last H values of history, targets those H values. */
        public SequenceDataset validationWindows() {
            List<Sequence> out = new ArrayList<>();
            for (double[] x : history) {
                out.add(example(x, x.length - config.horizon(), config.window(), config.horizon(), true));
            }
            return dataset(out);
        }

        private SequenceDataset dataset(List<Sequence> sequences) {
            return new SequenceDataset(INPUT_SIZE, HeadKind.REGRESSION, config.horizon(), OutputMode.LAST_STEP,
                    sequences);
        }

        /** The window before index {@code origin} of {@code x}, with targets {@code x[origin .. origin+h)} if asked. */
        private Sequence example(double[] x, int origin, int w, int h, boolean targets) {
            int start = origin - w;
            Scaling sc = scaling(x, start, w, config.season());
            float[] in = new float[w * INPUT_SIZE];
            int m = config.season();
            for (int j = 0; j < w; j++) {
                int p = (start + j) % m;
                in[j * INPUT_SIZE] = (float) sc.scaled(x[start + j]);
                in[j * INPUT_SIZE + 1] = (float) Math.sin(2 * Math.PI * p / m);
                in[j * INPUT_SIZE + 2] = (float) Math.cos(2 * Math.PI * p / m);
            }
            float[] t = new float[h];
            if (targets) {
                for (int k = 0; k < h; k++) {
                    t[k] = (float) (sc.scaled(x[origin + k]) - base(x, origin, k, sc));
                }
            }
            return Sequence.regression(in, w, t);
        }

        /**
         * What the network's output k is added to, in the scaled space: with the residual, seasonal naive's forecast of
         * step k from {@code origin} (the value {@code ceil((k+1)/m)} seasons before it), else 0.
         */
        private double base(double[] x, int origin, int k, Scaling sc) {
            if (!config.residual()) {
                return 0;
            }
            int m = config.season();
            return sc.scaled(x[origin - m + k % m]);
        }

        /**
         * The model's forecasts of the H values after each series' {@code end} (exclusive) of its history, in the
         * series' units ({@code end} = history length for the test, history length - H for validation).
         */
        double[][] forecast(Model model, boolean validation) {
            int w = config.window();
            int h = config.horizon();
            double[][] f = new double[history.size()][];
            int batchSize = 256;
            for (int from = 0; from < history.size(); from += batchSize) {
                int count = Math.min(batchSize, history.size() - from);
                List<Sequence> seqs = new ArrayList<>();
                Scaling[] scalings = new Scaling[count];
                int[] origins = new int[count];
                for (int i = 0; i < count; i++) {
                    double[] x = history.get(from + i);
                    int origin = validation ? x.length - h : x.length;
                    scalings[i] = scaling(x, origin - w, w, config.season());
                    origins[i] = origin;
                    seqs.add(example(x, origin, w, h, false));
                }
                Batch b = dataset(seqs).batch(0, count);
                float[] out = model.forward(b).values();
                for (int i = 0; i < count; i++) {
                    f[from + i] = new double[h];
                    double[] x = history.get(from + i);
                    double floor = neverNegative(x) ? 0 : Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < h; k++) {
                        f[from + i][k] = Math.max(floor, scalings[i].unscaled(out[i * h + k]
                                + base(x, origins[i], k, scalings[i])));
                    }
                }
            }
            return f;
        }

        /** The model's forecasts of the H values after each series' history, in the series' units. */
        public double[][] forecast(Model model) {
            return forecast(model, false);
        }

        /**
         * The 95% interval's offsets per horizon step, {@code {lower, upper}}, in units of each window's scale: the
         * 2.5% and 97.5% quantiles of the model's errors on the validation windows.
         */
        public double[][] calibration(Model model) {
            int h = config.horizon();
            int w = config.window();
            double[][] val = forecast(model, true);
            double[][] scaledErrors = new double[h][history.size()];
            for (int s = 0; s < history.size(); s++) {
                double[] x = history.get(s);
                double scale = scaling(x, x.length - h - w, w, config.season()).scale();
                for (int k = 0; k < h; k++) {
                    scaledErrors[k][s] = (x[x.length - h + k] - val[s][k]) / scale;
                }
            }
            double[][] q = new double[2][h];
            for (int k = 0; k < h; k++) {
                double[] e = scaledErrors[k].clone();
                Arrays.sort(e);
                q[0][k] = quantile(e, 0.025);
                q[1][k] = quantile(e, 0.975);
            }
            return q;
        }

        /**
         * The test: the model's sMAPE, MASE, OWA, MSIS and coverage of its 95% interval (calibrated on the validation
         * windows), sMAPE at each horizon step, and the M4 benchmarks' sMAPE, MASE and OWA on the same series.
         */
        public Evaluation evaluate(Model model) {
            int h = config.horizon();
            int m = config.season();
            double[][] q = calibration(model);
            double[][] f = forecast(model, false);
            Map<String, Scores> scores = new LinkedHashMap<>(); // the model's, then each benchmark's
            double msis = 0;
            double covered = 0;
            for (int s = 0; s < history.size(); s++) {
                double[] x = history.get(s);
                double[] y = test.get(s);
                double[][] band = band(config, x, f[s], q);
                msis += Accuracy.msis(x, m, y, band[0], band[1], 0.05);
                covered += Accuracy.coverage(y, band[0], band[1]);
                scores.computeIfAbsent("model", k -> new Scores(h)).add(x, m, y, f[s]);
                for (Map.Entry<String, double[]> b : Benchmarks.all(x, m, h).entrySet()) {
                    scores.computeIfAbsent(b.getKey(), k -> new Scores(h)).add(x, m, y, b.getValue());
                }
            }
            int n = history.size();
            Scores naive2 = scores.get("naive2");
            Scores own = scores.get("model");
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("test_smape", own.smape(n));
            metrics.put("test_mase", own.mase(n));
            metrics.put("test_owa", Accuracy.owa(own.smape(n), own.mase(n), naive2.smape(n), naive2.mase(n)));
            metrics.put("test_msis", msis / n);
            metrics.put("test_coverage", covered / n);
            Map<String, double[]> benchmarkByStep = new LinkedHashMap<>();
            scores.forEach((name, sc) -> {
                if (!name.equals("model")) {
                    metrics.put("baseline_" + name + "_smape", sc.smape(n));
                    metrics.put("baseline_" + name + "_mase", sc.mase(n));
                    metrics.put("baseline_" + name + "_owa", Accuracy.owa(sc.smape(n), sc.mase(n), naive2.smape(n),
                            naive2.mase(n)));
                    benchmarkByStep.put(name, sc.smapeByStep(n));
                }
            });
            metrics.put("series", (double) n);
            metrics.put("skipped_series", (double) skipped.size());
            return new Evaluation(this, metrics, own.smapeByStep(n), benchmarkByStep, f, q);
        }
    }

    /** One method's sMAPE and MASE summed over series, and its sMAPE summed at each step. */
    private static final class Scores {
        private final double[] smapeByStep;
        private double smape;
        private double mase;

        Scores(int h) {
            smapeByStep = new double[h];
        }

        void add(double[] history, int m, double[] actual, double[] forecast) {
            double[] sm = Accuracy.smape(actual, forecast);
            for (int k = 0; k < sm.length; k++) {
                smapeByStep[k] += sm[k];
                smape += sm[k];
            }
            mase += Arrays.stream(Accuracy.mase(history, m, actual, forecast)).sum();
        }

        /** Mean sMAPE over {@code series} series and every step. */
        double smape(int series) {
            return smape / series / smapeByStep.length;
        }

        double mase(int series) {
            return mase / series / smapeByStep.length;
        }

        double[] smapeByStep(int series) {
            return Arrays.stream(smapeByStep).map(v -> v / series).toArray();
        }
    }

    /**
     * A test evaluation.
     *
     * @param problem              the series it was made on
     * @param metrics              the figures by name, as {@code metrics.json} has them
     * @param smapeByStep          the model's mean sMAPE at each horizon step
     * @param benchmarkSmapeByStep each benchmark's, by name
     * @param forecasts            the model's forecasts, per series
     * @param calibration          the interval's offsets per step, {@code {lower, upper}} ({@link #band})
     */
    public record Evaluation(Problem problem, Map<String, Double> metrics, double[] smapeByStep,
                             Map<String, double[]> benchmarkSmapeByStep, double[][] forecasts,
                             double[][] calibration) {
    }

    /**
     * How a window is scaled: centred on {@code level}, divided by {@code scale}.
     *
     * @param level the mean of the window's last season (at most its W values)
     * @param scale the mean absolute difference between the window's values one season apart (one step apart when the
     *              window is not longer than a season); when that is 0, the mean absolute deviation from the level;
     *              when that is 0 too (a constant window), 1
     */
    public record Scaling(double level, double scale) {
        double scaled(double x) {
            return (x - level) / scale;
        }

        double unscaled(double v) {
            return level + scale * v;
        }
    }

    /** The scaling of the window of {@code w} values of {@code x} from {@code start}. */
    static Scaling scaling(double[] x, int start, int w, int season) {
        int n = Math.min(season, w);
        double sum = 0;
        for (int j = w - n; j < w; j++) {
            sum += x[start + j];
        }
        double level = sum / n;
        int lag = w > season ? season : 1;
        double diff = 0;
        for (int j = lag; j < w; j++) {
            diff += Math.abs(x[start + j] - x[start + j - lag]);
        }
        double scale = w > lag ? diff / (w - lag) : 0;
        if (!(scale > 0)) {
            double dev = 0;
            for (int j = 0; j < w; j++) {
                dev += Math.abs(x[start + j] - level);
            }
            scale = dev / w;
        }
        return new Scaling(level, scale > 0 ? scale : 1);
    }

    /**
     * The 95% band around {@code forecast}, the forecast of what follows {@code history}: {@code {lower, upper}}, the
     * forecast plus the calibration's offsets ({@link Problem#calibration}) times the scale of the history's last
     * window; a series never negative in its history gets no band (nor forecast) below 0.
     */
    public static double[][] band(Config config, double[] history, double[] forecast, double[][] calibration) {
        double scale = scaling(history, config.season(), config.window()).scale();
        double floor = neverNegative(history) ? 0 : Double.NEGATIVE_INFINITY;
        double[][] band = new double[2][forecast.length];
        for (int k = 0; k < forecast.length; k++) {
            band[0][k] = Math.max(floor, forecast[k] + scale * calibration[0][k]);
            band[1][k] = Math.max(floor, forecast[k] + scale * calibration[1][k]);
        }
        return band;
    }

    private static boolean neverNegative(double[] history) {
        for (double v : history) {
            if (v < 0) {
                return false;
            }
        }
        return true;
    }

    /** The scaling of the last window of {@code history}: what its forecast and its interval are in units of. */
    public static Scaling scaling(double[] history, int season, int window) {
        return scaling(history, history.length - window, window, season);
    }

    /** Linear interpolation between order statistics (R's default type 7) of sorted {@code v}. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    /**
     * The series of {@code csv} (the model's layout) to forecast from their ends with a model of {@code config}: every
     * series must have at least the model's window (and more than a season, for the interval's scale).
     *
     * @throws IllegalArgumentException one line naming the file and the series at fault
     */
    public static Problem readForForecast(Config config, Path csv) {
        SeriesTable table = table(config, csv.toString());
        int need = Math.max(config.window(), config.season() + 1);
        for (int s = 0; s < table.size(); s++) {
            if (table.values().get(s).length < need) {
                throw new IllegalArgumentException(csv + ", series " + table.ids().get(s) + ": "
                        + table.values().get(s).length + " values; the model reads windows of " + config.window()
                        + " (and needs more than a season, " + config.season() + ")");
            }
        }
        return new Problem(config, table.ids(), table.values(), List.of(), List.of());
    }

    /**
     * Reads and splits the series. A series is kept when it has room for one training window before its validation
     * values ({@code W + 2H} values of history); the others are skipped and named in {@link Problem#skipped()}.
     *
     * @throws IllegalArgumentException one line naming the file, line, series or setting at fault, e.g. a test file
     *                                  whose ids differ or whose rows are shorter than the horizon, or no series long
     *                                  enough for one window
     */
    public static Problem read(Config config) {
        return split(config, table(config, config.csv()), config.testCsv() == null ? null : table(config,
                config.testCsv()));
    }

    /**
     * {@link #read}'s split of series already read: {@code train} as {@code config.csv()} holds them, {@code test} as
     * {@code config.testCsv()} (or {@code null}: each series' last H values are the test). The messages name those
     * files.
     */
    public static Problem split(Config config, SeriesTable train, SeriesTable test) {
        if (test != null && !test.ids().equals(train.ids())) {
            List<String> missing = new ArrayList<>(train.ids());
            missing.removeAll(test.ids());
            List<String> extra = new ArrayList<>(test.ids());
            extra.removeAll(train.ids());
            throw new IllegalArgumentException(config.testCsv() + ": its series differ from " + config.csv() + "'s"
                    + (missing.isEmpty() ? "" : " (missing: " + String.join(", ", missing.subList(0, Math.min(5,
                    missing.size()))) + ")") + (extra.isEmpty() ? "" : " (not in the training file: " + String.join(", ",
                    extra.subList(0, Math.min(5, extra.size()))) + ")") + (missing.isEmpty() && extra.isEmpty()
                    ? " (another order)" : ""));
        }
        int h = config.horizon();
        List<String> ids = new ArrayList<>();
        List<double[]> history = new ArrayList<>();
        List<double[]> future = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int s = 0; s < train.size(); s++) {
            String id = train.ids().get(s);
            double[] x = train.values().get(s);
            double[] y;
            if (test != null) {
                y = test.values().get(s);
                if (y.length < h) {
                    throw new IllegalArgumentException(config.testCsv() + ", series " + id + ": " + y.length
                            + " test values, shorter than the horizon " + h);
                }
                y = Arrays.copyOf(y, h);
            } else {
                if (x.length <= h) {
                    skipped.add(id);
                    continue;
                }
                y = Arrays.copyOfRange(x, x.length - h, x.length);
                x = Arrays.copyOf(x, x.length - h);
            }
            if (x.length < config.window() + 2 * h || x.length <= config.season()) {
                skipped.add(id);
                continue;
            }
            try {
                Accuracy.scale(x, config.season());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(config.csv() + ", series " + id + ": " + e.getMessage());
            }
            ids.add(id);
            history.add(x);
            future.add(y);
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(config.csv() + ": no series is long enough for one window: each needs "
                    + "--window + 2 x --horizon = " + (config.window() + 2 * h) + " values before its test values");
        }
        return new Problem(config, ids, history, future, skipped);
    }
}
