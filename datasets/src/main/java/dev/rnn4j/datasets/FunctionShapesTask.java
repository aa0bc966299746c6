package dev.rnn4j.datasets;

import dev.rnn4j.data.DataSplit;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
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

    @Override
    public Recipe recipe(FunctionShapes.Config config) {
        return Recipe.steps(3000);
    }
}
