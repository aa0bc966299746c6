package dev.rnn4j.examples.tasks;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.datasets.FunctionShapes;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.Metrics;
import java.util.Locale;

/**
 * {@code --task function-shapes}: see {@link FunctionShapes}. Per-step classification (or last-step with
 * {@code --labels last-step}), target 99% accuracy.
 */
public final class FunctionShapesTask implements TaskDefinition {
    private static final Gson GSON = new Gson();

    @Override
    public String name() {
        return "function-shapes";
    }

    @Override
    public JsonObject dataConfig(TaskOptions o) {
        FunctionShapes.Config d = FunctionShapes.Config.defaults(o.seed());
        int[] train = TaskOptions.lengthRange(o.trainLength(), "--train-length", d.trainMinLength(), d.trainMaxLength());
        int[] test = TaskOptions.lengthRange(o.testLength(), "--test-length", d.testMinLength(), d.testMaxLength());
        FunctionShapes.Coefficients c = o.coefficients() == null ? d.coefficients()
                : FunctionShapes.Coefficients.parse(o.coefficients());
        FunctionShapes.Config config = new FunctionShapes.Config(
                TaskOptions.or(o.trainSize(), d.trainSize()), TaskOptions.or(o.testSize(), d.testSize()),
                train[0], train[1], test[0], test[1], c, Boolean.TRUE.equals(o.normalize()), labels(o.labels()), o.seed());
        return GSON.toJsonTree(config).getAsJsonObject();
    }

    private static OutputMode labels(String flag) {
        if (flag == null) {
            return OutputMode.EVERY_STEP;
        }
        return switch (flag.toLowerCase(Locale.ROOT)) {
            case "every-step" -> OutputMode.EVERY_STEP;
            case "last-step" -> OutputMode.LAST_STEP;
            default -> throw new IllegalArgumentException("--labels must be every-step or last-step, got '" + flag + "'");
        };
    }

    @Override
    public DataSplit generate(JsonObject dataConfig) {
        return FunctionShapes.generate(GSON.fromJson(dataConfig, FunctionShapes.Config.class));
    }

    @Override
    public ModelSpec.Builder specFor(JsonObject dataConfig) {
        FunctionShapes.Config config = GSON.fromJson(dataConfig, FunctionShapes.Config.class);
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

    @Override
    public int defaultSteps() {
        return 3000;
    }
}
