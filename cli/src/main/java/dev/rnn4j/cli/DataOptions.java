package dev.rnn4j.cli;

import dev.rnn4j.datasets.AddingProblem;
import dev.rnn4j.datasets.CharText;
import dev.rnn4j.datasets.CsvClassify;
import dev.rnn4j.datasets.CsvForecast;
import dev.rnn4j.datasets.CsvSeries;
import dev.rnn4j.datasets.FunctionShapes;
import dev.rnn4j.datasets.RememberFirst;
import dev.rnn4j.datasets.SineInverse;
import dev.rnn4j.datasets.TaskConfig;
import dev.rnn4j.datasets.TemporalOrder;
import dev.rnn4j.examples.tasks.Tasks;
import dev.rnn4j.spec.OutputMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code train}'s data flags, and each task's configuration record built from them: what a flag does not set keeps
 * the task's default; flags of other tasks are ignored.
 */
final class DataOptions {

    @Option(names = "--train-length", description = "function-shapes, temporal-order: training sequence length N or range MIN-MAX.")
    String trainLength;

    @Option(names = "--test-length", description = "function-shapes: test sequence length N or range MIN-MAX.")
    String testLength;

    @Option(names = "--train-size", description = "Number of training sequences (char-text: at most this many).")
    Integer trainSize;

    @Option(names = "--test-size", description = "Number of test sequences.")
    Integer testSize;

    @Option(names = "--coefficients", description = "function-shapes: fixed or per-sequence (default: fixed).")
    String coefficients;

    @Option(names = "--normalize", arity = "0..1", fallbackValue = "standard", description = "function-shapes: scale x "
            + "and y to about [-1, 1] (default with per-sequence coefficients; --normalize none turns it off). "
            + "csv-forecast, csv-classify: standard (default), minmax or none, fitted on the training rows.")
    String normalize;

    @Option(names = "--csv", description = "csv-forecast: the CSV file (a header row; one row per time step, in time "
            + "order). csv-classify: one row per time step of a sequence, with --id and --label columns.")
    Path csv;

    @Option(names = "--id", description = "csv-classify: the column naming each row's sequence.")
    String id;

    @Option(names = "--label", description = "csv-classify: the column naming each sequence's class.")
    String label;

    @Option(names = "--target", description = "csv-forecast: the column to forecast.")
    String target;

    @Option(names = "--features", split = ",", description = "csv-forecast: other numeric columns the model reads. "
            + "csv-classify: the columns the model reads (default: every other numeric one).")
    List<String> features;

    @Option(names = "--time-column", description = "csv-forecast: the column that labels the rows (years, dates...). "
            + "csv-classify: the column (numbers or ISO dates) that orders each sequence's rows.")
    String timeColumn;

    @Option(names = "--horizon", description = "csv-forecast: forecast H rows after the window's last (default 1).")
    Integer horizon;

    @Option(names = "--season", description = "csv-forecast: S for the seasonal baseline (the value S rows earlier).")
    Integer season;

    @Option(names = "--missing", description = "csv-forecast: empty cells: error (default), interpolate or drop.")
    String missing;

    @Option(names = "--residual", description = "csv-forecast: ar (default: the network learns what the AR baseline "
            + "leaves, and the forecast is AR plus its output) or none.")
    String residual;

    @Option(names = "--split", description = "csv-forecast: train, validation, test fractions by time; csv-classify: "
            + "of each class's sequences, drawn from --seed (default 0.7,0.15,0.15).")
    String split;

    @Option(names = "--labels", description = "function-shapes: every-step or last-step (default: every-step with "
            + "fixed coefficients, last-step with per-sequence ones).")
    String labels;

    @Option(names = "--window", description = "sine-inverse: values per example (default 3). csv-forecast: rows per "
            + "input window (required).")
    Integer window;

    @Option(names = "--noise-variance", description = "sine-inverse: noise variance (default 0.16).")
    Double noiseVariance;

    @Option(names = "--length", description = "remember-first (default 20), adding (default 50): sequence length.")
    Integer length;

    @Option(names = "--text", description = "char-text: UTF-8 text file (default: the project's own sources).")
    Path text;

    @Option(names = "--seq-length", description = "char-text: characters per sequence (default 100).")
    Integer seqLength;

    @Option(names = "--char-mode", description = "char-text: sequence (char-rnn, every step) or window (Keras, last step).")
    String charMode;

    @Option(names = "--stateful", description = "char-text, sequence mode: train statefully (truncated BPTT): the text "
            + "is cut into --batch-size parallel streams and each batch continues every stream from the state the last "
            + "one ended with; validation runs statefully too.")
    boolean stateful;

    /**
     * The configuration of task {@code name} with the data seed {@code seed}.
     *
     * @throws IllegalArgumentException for an unknown task or a bad flag value (the message names the flag)
     */
    TaskConfig<?> configure(String name, long seed) {
        if (stateful && !name.equals("char-text")) {
            throw new IllegalArgumentException("--stateful is for --task char-text (one text in consecutive chunks), "
                    + "not " + name);
        }
        return switch (name) {
            case "function-shapes" -> new TaskConfig<>(Tasks.FUNCTION_SHAPES, functionShapes(seed));
            case "sine-inverse" -> new TaskConfig<>(Tasks.SINE_INVERSE, sineInverse(seed));
            case "remember-first" -> new TaskConfig<>(Tasks.REMEMBER_FIRST, rememberFirst(seed));
            case "char-text" -> new TaskConfig<>(Tasks.CHAR_TEXT, Tasks.CHAR_TEXT.configure(text, or(seqLength, 100),
                    charMode == null ? CharText.Mode.SEQUENCE : CharText.Mode.parse(charMode), or(trainSize, 20000), seed,
                    stateful));
            case "adding" -> new TaskConfig<>(Tasks.ADDING, adding(seed));
            case "temporal-order" -> new TaskConfig<>(Tasks.TEMPORAL_ORDER, temporalOrder(seed));
            case "csv-forecast" -> new TaskConfig<>(Tasks.CSV_FORECAST, Tasks.CSV_FORECAST.configure(csvForecast()));
            case "csv-classify" -> new TaskConfig<>(Tasks.CSV_CLASSIFY, Tasks.CSV_CLASSIFY.configure(csvClassify(seed)));
            default -> throw new IllegalArgumentException("Unknown task '" + name + "'. Known tasks: "
                    + String.join(", ", Tasks.names()));
        };
    }

    private FunctionShapes.Config functionShapes(long seed) {
        FunctionShapes.Coefficients c = coefficients == null ? FunctionShapes.Coefficients.FIXED
                : FunctionShapes.Coefficients.parse(coefficients);
        FunctionShapes.Config d = FunctionShapes.Config.defaults(c, seed); // the recipe's data for these coefficients
        int[] train = range(trainLength, "--train-length", d.trainMinLength(), d.trainMaxLength());
        int[] test = range(testLength, "--test-length", d.testMinLength(), d.testMaxLength());
        return new FunctionShapes.Config(or(trainSize, d.trainSize()), or(testSize, d.testSize()), train[0], train[1],
                test[0], test[1], c, normalize == null ? d.normalize() : !normalize.equals("none"), labels(d.labels()),
                seed);
    }

    private OutputMode labels(OutputMode recipe) {
        if (labels == null) {
            return recipe;
        }
        return switch (labels.toLowerCase(Locale.ROOT)) {
            case "every-step" -> OutputMode.EVERY_STEP;
            case "last-step" -> OutputMode.LAST_STEP;
            default -> throw new IllegalArgumentException("--labels must be every-step or last-step, got '" + labels + "'");
        };
    }

    private SineInverse.Config sineInverse(long seed) {
        SineInverse.Config d = SineInverse.Config.defaults(seed);
        return new SineInverse.Config(or(trainSize, d.trainSize()), or(testSize, d.testSize()), or(window, d.window()),
                noiseVariance == null ? d.noiseVariance() : noiseVariance, d.zMin(), d.zMax(), seed);
    }

    private RememberFirst.Config rememberFirst(long seed) {
        RememberFirst.Config d = RememberFirst.Config.defaults(or(length, 20), seed);
        return new RememberFirst.Config(or(trainSize, d.trainSize()), or(testSize, d.testSize()), d.length(), seed);
    }

    private AddingProblem.Config adding(long seed) {
        AddingProblem.Config d = AddingProblem.Config.defaults(or(length, 50), seed);
        return new AddingProblem.Config(or(trainSize, d.trainSize()), or(testSize, d.testSize()), d.length(), seed);
    }

    private TemporalOrder.Config temporalOrder(long seed) {
        TemporalOrder.Config d = TemporalOrder.Config.defaults(seed);
        int[] len = range(trainLength, "--train-length", d.minLength(), d.maxLength());
        return new TemporalOrder.Config(or(trainSize, d.trainSize()), or(testSize, d.testSize()), len[0], len[1], seed);
    }

    /** The forecasting set-up from the flags (the normalisation is fitted when the file is read). */
    private CsvForecast.Config csvForecast() {
        if (csv == null || target == null || window == null) {
            throw new IllegalArgumentException("csv-forecast needs --csv FILE, --target COLUMN and --window W");
        }
        return new CsvForecast.Config(csv.toAbsolutePath().toString(), target, features, timeColumn, window,
                or(horizon, 1), or(season, 0), missing == null ? CsvSeries.Missing.ERROR : CsvSeries.Missing.parse(missing),
                fractions(), normalize == null ? CsvForecast.Normalize.STANDARD : CsvForecast.Normalize.parse(normalize),
                null, null, residual == null || !residual.equals("none") && ar(residual), null);
    }

    /** The classification set-up from the flags (features, classes and normalisation are fitted on the file). */
    private CsvClassify.Config csvClassify(long seed) {
        if (csv == null || id == null || label == null) {
            throw new IllegalArgumentException("csv-classify needs --csv FILE, --id COLUMN and --label COLUMN");
        }
        return new CsvClassify.Config(csv.toAbsolutePath().toString(), id, label, timeColumn, features, fractions(),
                normalize == null ? CsvForecast.Normalize.STANDARD : CsvForecast.Normalize.parse(normalize), seed, null,
                null, null);
    }

    private static boolean ar(String residual) {
        if (!residual.equals("ar")) {
            throw new IllegalArgumentException("--residual must be ar or none, got '" + residual + "'");
        }
        return true;
    }

    /** {@code --split TRAIN,VALIDATION,TEST} as the first two fractions (the test gets the rest). */
    private double[] fractions() {
        if (split == null) {
            return new double[] {0.7, 0.15};
        }
        try {
            double[] f = java.util.Arrays.stream(split.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
            if (f.length != 3 || Math.abs(f[0] + f[1] + f[2] - 1) > 1e-9 || f[2] <= 0) {
                throw new NumberFormatException();
            }
            return new double[] {f[0], f[1]};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--split must be three fractions TRAIN,VALIDATION,TEST summing to 1, got '"
                    + split + "'");
        }
    }

    private static int or(Integer v, int def) {
        return v == null ? def : v;
    }

    /** {@code {min, max}} from {@code N} or {@code MIN-MAX}, or the defaults when not given. */
    static int[] range(String text, String flag, int defaultMin, int defaultMax) {
        if (text == null) {
            return new int[] {defaultMin, defaultMax};
        }
        try {
            String[] parts = text.trim().split("-");
            int min = Integer.parseInt(parts[0].trim());
            int max = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : min;
            if (parts.length > 2 || min < 1 || max < min) {
                throw new NumberFormatException();
            }
            return new int[] {min, max};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a length N >= 1 or a range MIN-MAX, got '" + text + "'");
        }
    }
}
