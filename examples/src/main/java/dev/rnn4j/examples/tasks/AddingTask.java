package dev.rnn4j.examples.tasks;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.datasets.AddingProblem;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.Metrics;

/** {@code --task adding}: see {@link AddingProblem}. Test MSE; 1/6 is what the mean predictor scores. */
public final class AddingTask implements TaskDefinition {
    private static final Gson GSON = new Gson();

    @Override
    public String name() {
        return "adding";
    }

    @Override
    public JsonObject dataConfig(TaskOptions o) {
        AddingProblem.Config d = AddingProblem.Config.defaults(TaskOptions.or(o.length(), 50), o.seed());
        return GSON.toJsonTree(new AddingProblem.Config(TaskOptions.or(o.trainSize(), d.trainSize()),
                TaskOptions.or(o.testSize(), d.testSize()), d.length(), o.seed())).getAsJsonObject();
    }

    @Override
    public DataSplit generate(JsonObject dataConfig) {
        return AddingProblem.generate(GSON.fromJson(dataConfig, AddingProblem.Config.class));
    }

    @Override
    public ModelSpec.Builder specFor(JsonObject dataConfig) {
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
    public int defaultSteps() {
        return 4000;
    }
}
