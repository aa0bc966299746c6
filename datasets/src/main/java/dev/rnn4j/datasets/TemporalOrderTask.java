package dev.rnn4j.datasets;

import java.util.List;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.Metrics;

/** {@code temporal-order}: see {@link TemporalOrder}. Test accuracy over 4 classes; stops at 99%. */
public final class TemporalOrderTask implements Task<TemporalOrder.Config> {

    @Override
    public String name() {
        return "temporal-order";
    }

    @Override
    public Class<TemporalOrder.Config> configType() {
        return TemporalOrder.Config.class;
    }

    @Override
    public TemporalOrder.Config defaults(long seed) {
        return TemporalOrder.Config.defaults(seed);
    }

    @Override
    public List<TaskOption> options() {
        return List.of(TaskOption.TRAIN_SIZE, TaskOption.TEST_SIZE,
                TaskOption.value("train-length", "N|MIN-MAX", "sequence length N or range MIN-MAX (default 100-110)"));
    }

    @Override
    public TemporalOrder.Config configure(TaskOptions o, long seed) {
        TemporalOrder.Config d = TemporalOrder.Config.defaults(seed);
        int[] len = o.range("train-length", d.minLength(), d.maxLength());
        return new TemporalOrder.Config(o.integer("train-size", d.trainSize()), o.integer("test-size", d.testSize()),
                len[0], len[1], seed);
    }

    @Override
    public DataSplit generate(TemporalOrder.Config config) {
        return TemporalOrder.generate(config);
    }

    @Override
    public ModelSpec.Builder specFor(TemporalOrder.Config config) {
        return ModelSpec.builder().setInputSize(TemporalOrder.SYMBOLS.length())
                .setHead(HeadKind.CLASSIFICATION, TemporalOrder.CLASSES.size()).setOutputMode(OutputMode.LAST_STEP);
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
    public Recipe recipe(TemporalOrder.Config config) {
        return Recipe.steps(4000);
    }
}
