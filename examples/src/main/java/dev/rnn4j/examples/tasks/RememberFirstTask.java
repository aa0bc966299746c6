package dev.rnn4j.examples.tasks;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.datasets.RememberFirst;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code --task remember-first}: see {@link RememberFirst}. The default recipe is chrono initialisation of the
 * gate biases (Tallec and Ollivier 2018, with {@code Tmax = n}) and a length curriculum (n/8, n/4, n/2, then n)
 * so the gradient first sees short lags.
 */
public final class RememberFirstTask implements TaskDefinition {
    private static final Gson GSON = new Gson();
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
    public JsonObject dataConfig(TaskOptions o) {
        RememberFirst.Config d = RememberFirst.Config.defaults(TaskOptions.or(o.length(), 20), o.seed());
        return GSON.toJsonTree(new RememberFirst.Config(TaskOptions.or(o.trainSize(), d.trainSize()),
                TaskOptions.or(o.testSize(), d.testSize()), d.length(), o.seed())).getAsJsonObject();
    }

    @Override
    public DataSplit generate(JsonObject dataConfig) {
        return RememberFirst.generate(GSON.fromJson(dataConfig, RememberFirst.Config.class));
    }

    @Override
    public ModelSpec.Builder specFor(JsonObject dataConfig) {
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
    public int defaultSteps() {
        return 4000;
    }

    @Override
    public Initializer.Options init(JsonObject dataConfig, float forgetBias) {
        if (!recipe) {
            return new Initializer.Options(forgetBias, 0f);
        }
        int n = GSON.fromJson(dataConfig, RememberFirst.Config.class).length();
        return new Initializer.Options(forgetBias, Math.max(3, n));
    }

    @Override
    public List<DataSplit> curriculum(JsonObject dataConfig) {
        RememberFirst.Config c = GSON.fromJson(dataConfig, RememberFirst.Config.class);
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
