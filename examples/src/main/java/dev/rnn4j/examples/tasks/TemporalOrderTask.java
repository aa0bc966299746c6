package dev.rnn4j.examples.tasks;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.datasets.TemporalOrder;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.Metrics;

/** {@code --task temporal-order}: see {@link TemporalOrder}. Test accuracy over 4 classes. */
public final class TemporalOrderTask implements TaskDefinition {
    private static final Gson GSON = new Gson();

    @Override
    public String name() {
        return "temporal-order";
    }

    @Override
    public JsonObject dataConfig(TaskOptions o) {
        TemporalOrder.Config d = TemporalOrder.Config.defaults(o.seed());
        int[] len = TaskOptions.lengthRange(o.trainLength(), "--train-length", d.minLength(), d.maxLength());
        return GSON.toJsonTree(new TemporalOrder.Config(TaskOptions.or(o.trainSize(), d.trainSize()),
                TaskOptions.or(o.testSize(), d.testSize()), len[0], len[1], o.seed())).getAsJsonObject();
    }

    @Override
    public DataSplit generate(JsonObject dataConfig) {
        return TemporalOrder.generate(GSON.fromJson(dataConfig, TemporalOrder.Config.class));
    }

    @Override
    public ModelSpec.Builder specFor(JsonObject dataConfig) {
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
    public int defaultSteps() {
        return 4000;
    }
}
