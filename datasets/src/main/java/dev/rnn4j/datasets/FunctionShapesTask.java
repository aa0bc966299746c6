package dev.rnn4j.datasets;

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
