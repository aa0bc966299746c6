package dev.rnn4j.datasets;

import dev.rnn4j.data.DataSplit;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code remember-first}: see {@link RememberFirst}. The default recipe is chrono initialisation of the gate biases
 * (Tallec and Ollivier 2018, with {@code Tmax = n}) and a length curriculum (n/8, n/4, n/2, then n) so the gradient
 * first sees short lags.
 */
public final class RememberFirstTask implements Task<RememberFirst.Config> {
    private final boolean recipe;

    /** With the working recipe (chrono initialisation and a length curriculum), as {@code train} uses. */
    public RememberFirstTask() {
        this(true);
    }

    /** {@code recipe = false}: default initialisation and no curriculum, the setting that fails for long lags. */
    public RememberFirstTask(boolean recipe) {
        this.recipe = recipe;
    }

    @Override
    public String name() {
        return "remember-first";
    }

    @Override
    public Class<RememberFirst.Config> configType() {
        return RememberFirst.Config.class;
    }

    /** Sequences of 20 steps. */
    @Override
    public RememberFirst.Config defaults(long seed) {
        return RememberFirst.Config.defaults(20, seed);
    }

    @Override
    public List<TaskOption> options() {
        return List.of(TaskOption.TRAIN_SIZE, TaskOption.TEST_SIZE,
                TaskOption.value("length", "N", "sequence length (default 20)"));
    }

    @Override
    public RememberFirst.Config configure(TaskOptions o, long seed) {
        RememberFirst.Config d = RememberFirst.Config.defaults(o.integer("length", 20), seed);
        return new RememberFirst.Config(o.integer("train-size", d.trainSize()), o.integer("test-size", d.testSize()),
                d.length(), seed);
    }

    @Override
    public DataSplit generate(RememberFirst.Config config) {
        return RememberFirst.generate(config);
    }

    @Override
    public ModelSpec.Builder specFor(RememberFirst.Config config) {
        return ModelSpec.builder().setInputSize(1).setHead(HeadKind.REGRESSION, 1).setOutputMode(OutputMode.LAST_STEP);
    }

    @Override
    public String metric() {
        return Metrics.MSE;
    }

    @Override
    public double target() {
        return 1e-4;
    }

    @Override
    public Recipe recipe(RememberFirst.Config config) {
        return Recipe.steps(4000);
    }

    @Override
    public Initializer.Options init(RememberFirst.Config config, float forgetBias) {
        return new Initializer.Options(forgetBias, recipe ? Math.max(3, config.length()) : 0f, false);
    }

    @Override
    public List<DataSplit> curriculum(RememberFirst.Config c) {
        List<DataSplit> phases = new ArrayList<>();
        if (!recipe) {
            return phases;
        }
        SplittableRandom rng = new SplittableRandom(c.seed() + 1);
        for (int div : new int[] {8, 4, 2}) {
            int len = c.length() / div;
            if (len >= 2) {
                phases.add(new DataSplit(RememberFirst.dataset(rng.split(), c.trainSize(), len),
                        RememberFirst.dataset(rng.split(), Math.min(c.testSize(), 500), len)));
            }
        }
        return phases;
    }
}
