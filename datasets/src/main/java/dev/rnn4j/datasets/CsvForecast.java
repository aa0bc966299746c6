package dev.rnn4j.datasets;

import dev.rnn4j.data.Sequence;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.OutputMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * Forecasting one column of a CSV time series from a window of the rows before it.
 *
 * <p>Rows are split by time: the first {@code split[0]} of the rows train, the next {@code split[1]} validate, the
 * rest test ({@code floor} of each cut). The example for target row t (from {@code W + H - 1} on) reads rows
 * {@code t-H-W+1 .. t-H} (target and feature columns, oldest first) and predicts the target at row t, H rows after
 * the window's last; it belongs to the split of row t, so a window may reach back into an earlier split, never
 * forward. Every column is normalised with statistics of the training rows only; reported errors are in the target's
 * own units.
 *
 * <p>Baselines on the same test targets: persistence (the window's last target value), seasonal (the value S rows
 * before the target) and a linear autoregression (intercept and the window's values, fitted by least squares on the
 * training examples).
 */
public final class CsvForecast {

    /** How columns are scaled before the model sees them. */
    public enum Normalize {
        /** {@code (x - mean) / std} of the training rows. */
        STANDARD,
        /** {@code (x - min) / (max - min)} of the training rows. */
        MINMAX,
        /** As they are. */
        NONE;

        /**
         * {@code {offset, scale}} for {@code values} (NaN-free), so a value is used as {@code (x - offset) / scale}; a
         * constant column gets scale 1.
         */
        public double[] fit(double[] values) {
            double mean = Arrays.stream(values).average().orElse(0);
            double sd = Math.sqrt(Arrays.stream(values).map(x -> (x - mean) * (x - mean)).average().orElse(0));
            double min = Arrays.stream(values).min().orElse(0);
            double max = Arrays.stream(values).max().orElse(1);
            return switch (this) {
                case STANDARD -> new double[] {mean, sd > 0 ? sd : 1};
                case MINMAX -> new double[] {min, max > min ? max - min : 1};
                case NONE -> new double[] {0, 1};
            };
        }

        /** {@code standard}, {@code minmax} or {@code none}. */
        public static Normalize parse(String s) {
            return switch (s) {
                case "standard" -> STANDARD;
                case "minmax" -> MINMAX;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException("--normalize must be standard, minmax or none, got '" + s
                        + "'");
            };
        }
    }

    /**
     * The forecasting set-up, saved with a model.
     *
     * @param csv       the file's absolute path
     * @param target    the column forecast
     * @param features  other columns the model reads (may be empty)
     * @param time      the time column, or null (row numbers label the rows)
     * @param window    W, rows per input window
     * @param horizon   H, how many rows after the window's last the target lies (1: the next row)
     * @param season    S for the seasonal baseline, 0 for none
     * @param missing   what an empty cell does
     * @param split     train and validation fractions of the rows (the test gets the rest)
     * @param normalize the scaling
     * @param offsets   per column (target first, then features): subtracted before scaling, fitted on training rows
     * @param scales    per column: divided by after subtracting
     * @param residual  the network learns what the AR baseline leaves ({@code y - AR}, scaled as the target), and the
     *                  forecast is the AR forecast plus the network's output (Zhang's ARIMA+ANN hybrid)
     * @param ar        the AR baseline's coefficients (intercept first), fitted on the training examples with the
     *                  normalisation, so {@code predict} forecasts new files with the training fit
     */
    public record Config(String csv, String target, List<String> features, String time, int window, int horizon,
                         int season, CsvSeries.Missing missing, double[] split, Normalize normalize, double[] offsets,
                         double[] scales, boolean residual, double[] ar) {
        public Config {
            features = features == null ? List.of() : List.copyOf(features);
            if (window < 1 || horizon < 1 || season < 0) {
                throw new IllegalArgumentException("--window and --horizon must be >= 1 and --season >= 0, got window "
                        + window + ", horizon " + horizon + ", season " + season);
            }
            if (split == null || split.length != 2 || !(split[0] > 0) || !(split[1] > 0) || !(split[0] + split[1] < 1)) {
                throw new IllegalArgumentException("--split must be TRAIN,VALIDATION,TEST fractions, each > 0, summing "
                        + "to 1, got " + Arrays.toString(split));
            }
            if (features.contains(target)) {
                throw new IllegalArgumentException("--features must not list the target column '" + target + "'");
            }
        }

        /** This set-up with the normalisation and AR fit given. */
        Config withFit(double[] offsets, double[] scales, double[] ar) {
            return new Config(csv, target, features, time, window, horizon, season, missing, split, normalize, offsets,
                    scales, residual, ar);
        }

        /** The columns the model reads, target first. */
        public List<String> columns() {
            List<String> c = new ArrayList<>();
            c.add(target);
            c.addAll(features);
            return c;
        }
    }

    /**
     * One forecasting problem read from its file.
     *
     * @param config  the set-up, with the normalisation fitted
     * @param series  the file's columns
     * @param targets the target rows of each split's examples: train, validation, test
     */
    public record Problem(Config config, CsvSeries series, int[][] targets) {

        /**
         * Training, validation or test examples ({@code 0, 1, 2}), normalised; with {@link Config#residual()} the
         * targets are what the AR forecast leaves, {@code (y - AR) / scale}.
         */
        public SequenceDataset dataset(int split) {
            List<Sequence> list = new ArrayList<>();
            double[] ar = config.residual() ? autoregression(split) : null;
            for (int i = 0; i < targets[split].length; i++) {
                int t = targets[split][i];
                double y = ar == null ? normalise(0, target(t)) : (target(t) - ar[i]) / config.scales()[0];
                list.add(Sequence.regression(window(t), config.window(), new float[] {(float) y}));
            }
            return new SequenceDataset(config.columns().size(), HeadKind.REGRESSION, 1, OutputMode.LAST_STEP, list);
        }

        /** The input windows of target rows {@code rows} as an inference batch {@code [N, W, columns]}. */
        public dev.rnn4j.data.Batch inputs(int[] rows) {
            int width = config.window() * config.columns().size();
            float[] x = new float[rows.length * width];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(window(rows[i]), 0, x, i * width, width);
            }
            int[] lengths = new int[rows.length];
            Arrays.fill(lengths, config.window());
            return dev.rnn4j.data.Batch.of(x, lengths, config.columns().size());
        }

        /**
         * The next value after {@code history} (the target's values, oldest first, the last W used) as the model
         * forecasts it: {@code forecast} turns the model's output for the normalised window into the forecast. Only for
         * one-step models without features (a future row's features are unknown).
         *
         * @throws IllegalArgumentException for a model with features or a horizon other than 1, or a history whose last
         *                                  W values are not all known
         */
        public dev.rnn4j.data.Batch nextInput(double[] history) {
            requireRollable(history);
            int w = config.window();
            float[] x = new float[w];
            for (int s = 0; s < w; s++) {
                x[s] = (float) normalise(0, history[history.length - w + s]);
            }
            return dev.rnn4j.data.Batch.of(x, new int[] {w}, 1);
        }

        /** The forecast for the row after {@code history} from the model's output for {@link #nextInput}. */
        public double nextForecast(double[] history, double output) {
            requireRollable(history);
            if (!config.residual()) {
                return denormalise(output);
            }
            double p = config.ar()[0];
            for (int s = 0; s < config.window(); s++) {
                p += config.ar()[s + 1] * history[history.length - config.window() + s];
            }
            return p + output * config.scales()[0];
        }

        private void requireRollable(double[] history) {
            if (!config.features().isEmpty() || config.horizon() != 1) {
                throw new IllegalArgumentException("--future needs a model with no --features and --horizon 1: the "
                        + "rows after the file have no feature values, and each step feeds the last forecast back");
            }
            for (int s = history.length - config.window(); s < history.length; s++) {
                if (s < 0 || Double.isNaN(history[s])) {
                    throw new IllegalArgumentException("--future needs the last " + config.window() + " values of '"
                            + config.target() + "' in the file to be known");
                }
            }
        }

        /** The normalised input window of target row {@code t}: {@code [W, columns]}, oldest row first. */
        float[] window(int t) {
            double[] raw = rawWindow(t);
            int columns = config.columns().size();
            float[] x = new float[raw.length];
            for (int k = 0; k < raw.length; k++) {
                x[k] = (float) normalise(k % columns, raw[k]);
            }
            return x;
        }

        /** The target's value at row {@code t}, in its own units. */
        public double target(int t) {
            return series.column(config.target())[t];
        }

        private double normalise(int column, double v) {
            return (v - config.offsets()[column]) / config.scales()[column];
        }

        /**
         * The model's outputs for the examples of {@code split} as forecasts in the target's units: denormalised, or,
         * with {@link Config#residual()}, the AR forecast plus the scaled output.
         */
        public double[] forecasts(int split, double[] outputs) {
            return forecasts(targets[split], outputs);
        }

        /** {@code model}'s forecasts for target rows {@code rows}, in the target's units ({@link #forecasts}). */
        public double[] forecast(dev.rnn4j.model.Model model, int[] rows) {
            dev.rnn4j.model.Output o = model.forward(inputs(rows));
            double[] outputs = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                outputs[i] = o.get(i, 0, 0);
            }
            return forecasts(rows, outputs);
        }

        /** {@link #forecasts(int, double[])} for target rows {@code rows}. */
        public double[] forecasts(int[] rows, double[] outputs) {
            double[] ar = config.residual() ? autoregression(rows) : null;
            double[] f = new double[outputs.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = ar == null ? denormalise(outputs[i]) : ar[i] + outputs[i] * config.scales()[0];
            }
            return f;
        }

        /** A normalised target prediction back in the target's units. */
        public double denormalise(double prediction) {
            return prediction * config.scales()[0] + config.offsets()[0];
        }

        /** Persistence: the window's last target value, for each test target. */
        public double[] persistence() {
            double[] y = series.column(config.target());
            return Arrays.stream(targets[2]).mapToDouble(t -> y[t - config.horizon()]).toArray();
        }

        /** Seasonal: the target S rows earlier, for each test target (NaN where that row is before the file). */
        public double[] seasonal() {
            double[] y = series.column(config.target());
            return Arrays.stream(targets[2]).mapToDouble(t -> t - config.season() >= 0 ? y[t - config.season()]
                    : Double.NaN).toArray();
        }

        /**
         * The linear autoregression's forecast for each example target of {@code split}: intercept plus the window's
         * values (target and features), fitted by least squares on the training examples.
         *
         * @throws IllegalArgumentException if the training examples do not determine the fit
         */
        public double[] autoregression(int split) {
            return autoregression(targets[split]);
        }

        /** The AR forecast (the configuration's fit) for target rows {@code rows}. */
        public double[] autoregression(int[] rows) {
            double[] coefficients = config.ar() != null ? config.ar() : fitAr();
            return Arrays.stream(rows).mapToDouble(t -> {
                double[] x = rawWindow(t);
                double p = coefficients[0];
                for (int k = 0; k < x.length; k++) {
                    p += coefficients[k + 1] * x[k];
                }
                return p;
            }).toArray();
        }

        /** Least squares of the target on an intercept and the window's values, over the training examples. */
        double[] fitAr() {
            int[] train = targets[0];
            double[][] x = new double[train.length][];
            double[] y = new double[train.length];
            for (int i = 0; i < train.length; i++) {
                x[i] = rawWindow(train[i]);
                y[i] = target(train[i]);
            }
            if (train.length <= x[0].length + 1) {
                throw new IllegalArgumentException("The AR baseline needs more training examples (" + train.length
                        + ") than coefficients (" + (x[0].length + 1) + "): use a shorter --window or a longer file");
            }
            OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
            ols.newSampleData(y, x);
            try {
                return ols.estimateRegressionParameters();
            } catch (SingularMatrixException e) {
                throw new IllegalArgumentException("The AR baseline cannot be fitted: the training windows are linearly "
                        + "dependent (a constant column?)", e);
            }
        }

        /** The window of target row t in the file's units, flattened oldest row first. */
        private double[] rawWindow(int t) {
            List<String> columns = config.columns();
            double[] x = new double[config.window() * columns.size()];
            int first = t - config.horizon() - config.window() + 1;
            for (int s = 0; s < config.window(); s++) {
                for (int c = 0; c < columns.size(); c++) {
                    x[s * columns.size() + c] = series.column(columns.get(c))[first + s];
                }
            }
            return x;
        }
    }

    private CsvForecast() {
    }

    /**
     * Reads the file of {@code config} and fits the normalisation on its training rows (when {@code config} has none
     * yet).
     *
     * @throws IllegalArgumentException for any problem with the file (see {@link CsvSeries#read}), or a file too short
     *                                  for the window, horizon and the three splits
     */
    public static Problem read(Config config) {
        Path file = Path.of(config.csv());
        CsvSeries series = CsvSeries.read(file, config.time(), config.columns(), config.missing());
        int n = series.rows();
        int trainEnd = (int) Math.floor(config.split()[0] * n);
        int validationEnd = (int) Math.floor((config.split()[0] + config.split()[1]) * n);
        int first = config.window() + config.horizon() - 1;
        List<List<Integer>> splits = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int t = first; t < n; t++) {
            if (!complete(series, config, t)) {
                continue; // --missing drop: the window or the target touches an empty cell
            }
            splits.get(t < trainEnd ? 0 : t < validationEnd ? 1 : 2).add(t);
        }
        String[] names = {"training", "validation", "test"};
        for (int s = 0; s < 3; s++) {
            if (splits.get(s).isEmpty()) {
                throw new IllegalArgumentException(file + " has " + n + " rows: too few for a window of "
                        + config.window() + " and a horizon of " + config.horizon() + " with a " + names[s]
                        + " split of " + (s == 0 ? config.split()[0] : s == 1 ? config.split()[1]
                        : 1 - config.split()[0] - config.split()[1]) + " (no " + names[s] + " example)");
            }
        }
        int[][] targets = splits.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        if (config.offsets() != null && config.offsets().length > 0) {
            return new Problem(config, series, targets);
        }
        Problem normalised = new Problem(withNormalisation(config, series, trainEnd), series, targets);
        Config c = normalised.config();
        double[] ar;
        try {
            ar = normalised.fitAr();
        } catch (IllegalArgumentException e) {
            if (c.residual()) {
                throw new IllegalArgumentException(e.getMessage() + "; or train without it: --residual none", e);
            }
            ar = null; // no AR baseline for this series (the report leaves it out)
        }
        return new Problem(c.withFit(c.offsets(), c.scales(), ar), series, targets);
    }

    /**
     * The rows of {@code file} a model of {@code saved} (normalisation and AR fit included) can forecast: every row
     * whose input window is complete, whether or not its target is known; as {@link Problem#targets()}{@code [2]}.
     *
     * @throws IllegalArgumentException for any problem with the file, or no row with a whole window
     */
    public static Problem forecastRows(Config saved, Path file) {
        Config c = new Config(file.toAbsolutePath().toString(), saved.target(), saved.features(), saved.time(),
                saved.window(), saved.horizon(), saved.season(), saved.missing() == CsvSeries.Missing.ERROR
                ? CsvSeries.Missing.DROP : saved.missing(), saved.split(), saved.normalize(), saved.offsets(),
                saved.scales(), saved.residual(), saved.ar());
        CsvSeries series = CsvSeries.read(file, c.time(), c.columns(), c.missing());
        List<Integer> rows = new ArrayList<>();
        for (int t = c.window() + c.horizon() - 1; t < series.rows(); t++) {
            if (windowComplete(series, c, t)) {
                rows.add(t);
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + " has " + series.rows() + " rows: a forecast needs a whole window "
                    + "of " + c.window() + " rows and a horizon of " + c.horizon());
        }
        return new Problem(c, series, new int[][] {{}, {}, rows.stream().mapToInt(Integer::intValue).toArray()});
    }

    private static boolean windowComplete(CsvSeries series, Config c, int t) {
        for (String column : c.columns()) {
            double[] v = series.column(column);
            for (int r = t - c.horizon() - c.window() + 1; r <= t - c.horizon(); r++) {
                if (Double.isNaN(v[r])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean complete(CsvSeries series, Config c, int t) {
        return !Double.isNaN(series.column(c.target())[t]) && windowComplete(series, c, t);
    }

    /** The config with each column's offset and scale from the training rows {@code [0, trainEnd)}. */
    private static Config withNormalisation(Config c, CsvSeries series, int trainEnd) {
        List<String> columns = c.columns();
        double[] offsets = new double[columns.size()];
        double[] scales = new double[columns.size()];
        for (int k = 0; k < columns.size(); k++) {
            double[] v = Arrays.stream(Arrays.copyOf(series.column(columns.get(k)), trainEnd))
                    .filter(x -> !Double.isNaN(x)).toArray();
            double[] fit = c.normalize().fit(v);
            offsets[k] = fit[0];
            scales[k] = fit[1];
        }
        return c.withFit(offsets, scales, null);
    }

    /** Root mean squared error of {@code predicted} against {@code actual}, skipping NaN predictions. */
    public static double rmse(double[] actual, double[] predicted) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < actual.length; i++) {
            if (!Double.isNaN(predicted[i])) {
                sum += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
                n++;
            }
        }
        return Math.sqrt(sum / n);
    }

    /** Mean absolute error, skipping NaN predictions. */
    public static double mae(double[] actual, double[] predicted) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < actual.length; i++) {
            if (!Double.isNaN(predicted[i])) {
                sum += Math.abs(actual[i] - predicted[i]);
                n++;
            }
        }
        return sum / n;
    }
}
