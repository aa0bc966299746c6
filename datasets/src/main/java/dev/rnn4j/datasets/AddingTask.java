package dev.rnn4j.datasets;

import java.util.List;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.Metrics;

/** {@code adding}: see {@link AddingProblem}. Test MSE; 1/6 is what the mean predictor scores. */
public final class AddingTask implements Task<AddingProblem.Config> {

    @Override
    public String name() {
        return "adding";
    }

    @Override
    public Class<AddingProblem.Config> configType() {
        return AddingProblem.Config.class;
    }

    /** Sequences of 50 steps. */
    @Override
    public AddingProblem.Config defaults(long seed) {
        return AddingProblem.Config.defaults(50, seed);
    }

    @Override
    public List<TaskOption> options() {
        return List.of(TaskOption.TRAIN_SIZE, TaskOption.TEST_SIZE,
                TaskOption.value("length", "N", "sequence length (default 50)"));
    }

    @Override
    public AddingProblem.Config configure(TaskOptions o, long seed) {
        AddingProblem.Config d = AddingProblem.Config.defaults(o.integer("length", 50), seed);
        return new AddingProblem.Config(o.integer("train-size", d.trainSize()), o.integer("test-size", d.testSize()),
                d.length(), seed);
    }

    @Override
    public DataSplit generate(AddingProblem.Config config) {
        return AddingProblem.generate(config);
    }

    @Override
    public ModelSpec.Builder specFor(AddingProblem.Config config) {
        return ModelSpec.builder().setInputSize(2).setHead(HeadKind.REGRESSION, 1).setOutputMode(OutputMode.LAST_STEP);
    }

    @Override
    public String metric() {
        return Metrics.MSE;
    }

    @Override
    public double target() {
        return 1e-3;
    }

    @Override
    public Recipe recipe(AddingProblem.Config config) {
        return Recipe.steps(4000);
    }
}
