package dev.rnn4j.examples.tasks;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.datasets.SineInverse;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.Metrics;

/** {@code --task sine-inverse}: see {@link SineInverse}. Regression of z, judged by test MSE. */
public final class SineInverseTask implements TaskDefinition {
    private static final Gson GSON = new Gson();

    @Override
    public String name() {
        return "sine-inverse";
    }

    @Override
    public JsonObject dataConfig(TaskOptions o) {
        SineInverse.Config d = SineInverse.Config.defaults(o.seed());
        return GSON.toJsonTree(new SineInverse.Config(TaskOptions.or(o.trainSize(), d.trainSize()),
                TaskOptions.or(o.testSize(), d.testSize()), TaskOptions.or(o.window(), d.window()),
                o.noiseVariance() == null ? d.noiseVariance() : o.noiseVariance(), d.zMin(), d.zMax(), o.seed()))
                .getAsJsonObject();
    }

    public static SineInverse.Config config(JsonObject c) {
        return GSON.fromJson(c, SineInverse.Config.class);
    }

    @Override
    public DataSplit generate(JsonObject dataConfig) {
        return SineInverse.generate(config(dataConfig));
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
        return Double.NaN;
    }

    @Override
    public int defaultSteps() {
        return 4000;
    }
}
