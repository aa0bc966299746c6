package dev.rnn4j.datasets;

import dev.rnn4j.spec.OutputMode;
import java.util.Locale;
import java.util.List;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.train.LearningRateSchedule;
import dev.rnn4j.train.Metrics;

/**
 * {@code function-shapes}: see {@link FunctionShapes}. Classification at every step (or only the last, per the
 * configuration's labels), judged by test accuracy; stops at 99%.
 */
public final class FunctionShapesTask implements Task<FunctionShapes.Config> {

    @Override
    public String name() {
        return "function-shapes";
    }

    @Override
    public Class<FunctionShapes.Config> configType() {
        return FunctionShapes.Config.class;
    }

    @Override
    public FunctionShapes.Config defaults(long seed) {
        return FunctionShapes.Config.defaults(seed);
    }

    @Override
    public List<TaskOption> options() {
        return List.of(TaskOption.value("train-length", "N|MIN-MAX", "training sequence length N or range MIN-MAX"),
                TaskOption.value("test-length", "N|MIN-MAX", "test sequence length N or range MIN-MAX"),
                TaskOption.TRAIN_SIZE, TaskOption.TEST_SIZE,
                TaskOption.value("coefficients", "fixed|per-sequence", "fixed or per-sequence (default: fixed)"),
                new TaskOption("normalize", "standard|none", "scale x and y to about [-1, 1] (default with per-sequence "
                        + "coefficients; --normalize none turns it off)", "standard"),
                TaskOption.value("labels", "every-step|last-step", "every-step or last-step (default: every-step "
                        + "with fixed coefficients, last-step with per-sequence ones)"));
    }

    /** The recipe's data for the given coefficients, with what the options set. */
    @Override
    public FunctionShapes.Config configure(TaskOptions o, long seed) {
        FunctionShapes.Coefficients c = o.has("coefficients")
                ? FunctionShapes.Coefficients.parse(o.text("coefficients")) : FunctionShapes.Coefficients.FIXED;
        FunctionShapes.Config d = FunctionShapes.Config.defaults(c, seed);
        int[] train = o.range("train-length", d.trainMinLength(), d.trainMaxLength());
        int[] test = o.range("test-length", d.testMinLength(), d.testMaxLength());
        return new FunctionShapes.Config(o.integer("train-size", d.trainSize()), o.integer("test-size", d.testSize()),
                train[0], train[1], test[0], test[1], c,
                o.has("normalize") ? !o.text("normalize").equals("none") : d.normalize(), labels(o.text("labels"),
                d.labels()), seed);
    }

    private static OutputMode labels(String text, OutputMode recipe) {
        if (text == null) {
            return recipe;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "every-step" -> OutputMode.EVERY_STEP;
            case "last-step" -> OutputMode.LAST_STEP;
            default -> throw new IllegalArgumentException("--labels must be every-step or last-step, got '" + text + "'");
        };
    }

    @Override
    public DataSplit generate(FunctionShapes.Config config) {
        return FunctionShapes.generate(config);
    }

    @Override
    public ModelSpec.Builder specFor(FunctionShapes.Config config) {
        return ModelSpec.builder().setInputSize(FunctionShapes.INPUT_SIZE)
                .setHead(HeadKind.CLASSIFICATION, FunctionShapes.CLASSES).setOutputMode(config.labels());
    }

    @Override
    public String metric() {
        return Metrics.ACCURACY;
    }

    @Override
    public double target() {
        return 0.99;
    }

    /**
     * Fixed coefficients: LSTM 32, Adam 3e-3, batch 32, up to 3,000 steps (it reaches 99% long before). Per-sequence
     * coefficients: LSTM 64, 20,000 steps annealed by a cosine (README: 0.969 on 4-point tests after training on
     * lengths 1-16).
     */
    @Override
    public Recipe recipe(FunctionShapes.Config config) {
        return config.coefficients() == FunctionShapes.Coefficients.FIXED ? Recipe.steps(3000)
                : Recipe.steps(20_000).withHidden(64).withEvalEvery(1000).withSchedule(LearningRateSchedule.cosine(0.01));
    }
}
