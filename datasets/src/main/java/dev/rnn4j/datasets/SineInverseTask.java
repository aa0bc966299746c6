package dev.rnn4j.datasets;

import dev.rnn4j.data.DataSplit;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.Metrics;

/** {@code sine-inverse}: see {@link SineInverse}. Regression of z, judged by test MSE. */
public final class SineInverseTask implements Task<SineInverse.Config> {

    @Override
    public String name() {
        return "sine-inverse";
    }

    @Override
    public Class<SineInverse.Config> configType() {
        return SineInverse.Config.class;
    }

    @Override
    public SineInverse.Config defaults(long seed) {
        return SineInverse.Config.defaults(seed);
    }

    @Override
    public DataSplit generate(SineInverse.Config config) {
        return SineInverse.generate(config);
    }

    @Override
    public ModelSpec.Builder specFor(SineInverse.Config config) {
        return ModelSpec.builder().setInputSize(1).setHead(HeadKind.REGRESSION, 1).setOutputMode(OutputMode.LAST_STEP);
    }

    @Override
    public String metric() {
        return Metrics.MSE;
    }

    @Override
    public double target() {
        return Double.NaN;
    }

    @Override
    public Recipe recipe(SineInverse.Config config) {
        return Recipe.steps(4000);
    }
}
