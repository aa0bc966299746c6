package dev.rnn4j.examples.tasks;

import com.google.gson.JsonObject;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.spec.ModelSpec;
import java.util.List;

/** A task the command line can train and evaluate. */
public interface TaskDefinition {

    /** The {@code --task} name. */
    String name();

    /** The data configuration for these options, as JSON saved with the model so eval can regenerate it. */
    JsonObject dataConfig(TaskOptions options);

    /** Generates the data from a configuration made by {@link #dataConfig}. */
    DataSplit generate(JsonObject dataConfig);

    /** A spec builder with what the task fixes: input size, head and output mode. */
    ModelSpec.Builder specFor(JsonObject dataConfig);

    /** The metric (from {@link dev.rnn4j.train.Metrics}) the task is judged by, e.g. {@code accuracy}. */
    String metric();

    /** The name {@code metrics.json} gives the test metric, e.g. {@code test_accuracy}. */
    default String reportedMetric() {
        return "test_" + metric();
    }

    /** The value of {@link #metric()} at which training stops early by default, or NaN for none. */
    double target();

    /** The optimizer-step budget when neither a target nor {@code --steps} ends training first. */
    int defaultSteps();

    /** Parameter initialisation options for this task's default recipe. */
    default Initializer.Options init(JsonObject dataConfig, float forgetBias) {
        return new Initializer.Options(forgetBias, 0f);
    }

    /**
     * Training phases before the final data (a length curriculum), each a training set, trained in order with
     * the budget split evenly; empty for none.
     */
    default List<DataSplit> curriculum(JsonObject dataConfig) {
        return List.of();
    }
}
