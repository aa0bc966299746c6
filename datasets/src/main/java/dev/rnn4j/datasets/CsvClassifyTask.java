package dev.rnn4j.datasets;

import java.util.List;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.model.Model;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.Metrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code csv-classify}: sequences of the user's CSV file (long format) classified after their last step
 * ({@link CsvClassify}). Training evaluates on the validation sequences; the final report is on the test sequences:
 * {@code test_accuracy}, {@code precision.CLASS} and {@code recall.CLASS} for each class, and the baseline
 * {@code baseline_majority_accuracy} (always the training set's most frequent class). A class never predicted has no
 * precision and one with no test sequences no recall.
 */
public final class CsvClassifyTask implements Task<CsvClassify.Config> {

    @Override
    public String name() {
        return "csv-classify";
    }

    @Override
    public Class<CsvClassify.Config> configType() {
        return CsvClassify.Config.class;
    }

    /** There is no default file. */
    @Override
    public CsvClassify.Config defaults(long seed) {
        throw new IllegalArgumentException("csv-classify needs --csv FILE, --id COLUMN and --label COLUMN");
    }

    @Override
    public List<TaskOption> options() {
        return List.of(TaskOption.value("csv", "FILE", "one row per time step of a sequence, with --id and --label "
                        + "columns; required"),
                TaskOption.value("id", "COLUMN", "the column naming each row's sequence; required"),
                TaskOption.value("label", "COLUMN", "the column naming each sequence's class; required"),
                TaskOption.value("features", "A,B", "the columns the model reads (default: every other numeric one)"),
                TaskOption.value("time-column", "COLUMN", "the column (numbers or ISO dates) that orders each "
                        + "sequence's rows"),
                TaskOption.value("split", "F,F,F", "train, validation, test fractions of each class's sequences, "
                        + "drawn from --seed (default 0.7,0.15,0.15)"),
                new TaskOption("normalize", "standard|minmax|none", "standard (default), minmax or none, fitted on the "
                        + "training sequences", "standard"));
    }

    /** The classification set-up from the options (features, classes and normalisation are fitted on the file). */
    @Override
    public CsvClassify.Config configure(TaskOptions o, long seed) {
        if (!o.has("csv") || !o.has("id") || !o.has("label")) {
            throw new IllegalArgumentException("csv-classify needs --csv FILE, --id COLUMN and --label COLUMN");
        }
        return configure(new CsvClassify.Config(o.path("csv").toString(), o.text("id"), o.text("label"),
                o.text("time-column"), o.list("features"), o.split("split", new double[] {0.7, 0.15}),
                o.has("normalize") ? CsvForecast.Normalize.parse(o.text("normalize")) : CsvForecast.Normalize.STANDARD,
                seed, null, null, null));
    }

    /**
     * The configuration with its features, classes and normalisation fitted on the file (what is saved with the model).
     *
     * @throws IllegalArgumentException for any problem with the file or the settings (the message names it)
     */
    public CsvClassify.Config configure(CsvClassify.Config config) {
        return CsvClassify.read(config).config();
    }

    /** Training sequences and, as the held-out set training evaluates on, the validation sequences. */
    @Override
    public DataSplit generate(CsvClassify.Config config) {
        CsvClassify.Problem p = CsvClassify.read(config);
        return new DataSplit(p.dataset(0), p.dataset(1));
    }

    @Override
    public ModelSpec.Builder specFor(CsvClassify.Config config) {
        return ModelSpec.builder().setInputSize(config.features().size())
                .setHead(HeadKind.CLASSIFICATION, config.classes().size()).setOutputMode(OutputMode.LAST_STEP);
    }

    @Override
    public String metric() {
        return Metrics.ACCURACY;
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
     * LSTM 32, Adam 3e-3, batch 32, 3,000 steps evaluated on the validation sequences every 100, ending with the best
     * of those evaluations (a user's file may be small enough to overfit within the budget).
     */
    @Override
    public Recipe recipe(CsvClassify.Config config) {
        return Recipe.steps(3000).withEvalEvery(100).withKeepBest(true);
    }

    /** The test sequences: accuracy, each class's precision and recall, and the majority-class baseline. */
    @Override
    public Map<String, Double> finalMetrics(CsvClassify.Config config, Model model) {
        CsvClassify.Problem p = CsvClassify.read(config);
        CsvClassify.Confusion confusion = p.confusion(model, 2);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("test_accuracy", confusion.accuracy());
        for (int k = 0; k < config.classes().size(); k++) {
            putIfDefined(m, "precision." + config.classes().get(k), confusion.precision(k));
            putIfDefined(m, "recall." + config.classes().get(k), confusion.recall(k));
        }
        m.put("baseline_majority_accuracy", p.majorityAccuracy(2));
        m.put("test_examples", (double) confusion.total());
        return m;
    }

    private static void putIfDefined(Map<String, Double> m, String name, double value) {
        if (!Double.isNaN(value)) {
            m.put(name, value);
        }
    }
}
