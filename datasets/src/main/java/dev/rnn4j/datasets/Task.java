package dev.rnn4j.datasets;

import dev.rnn4j.model.Model;
import java.util.Map;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.spec.ModelSpec;
import java.util.List;

/**
 * A task a model can be trained and judged on: a data set with its typed configuration {@code C} (the data set's
 * own {@code Config} record), what the task fixes in a model (input size, head, output mode), the metric it is judged
 * by and its default recipe (budget, early-stop target, initialisation, curriculum).
 *
 * <pre>{@code
 * FunctionShapesTask task = new FunctionShapesTask();
 * FunctionShapes.Config config = FunctionShapes.Config.defaults(1);
 * ModelSpec spec = task.specFor(config).setCell(CellType.LSTM).setHiddenSize(32).build();
 * DataSplit data = task.generate(config);
 * }</pre>
 *
 * @param <C> the configuration record; saved with a model as JSON ({@link #toJson}) and read back ({@link #fromJson})
 */
public interface Task<C extends Record> {

    /** The name, e.g. {@code function-shapes} (the command line's {@code --task}). */
    String name();

    /** The configuration's class. */
    Class<C> configType();

    /** The configuration with every default and this seed. */
    C defaults(long seed);

    /**
     * The task's own options: its {@code train} flags, request keys and sweep keys (e.g. {@code window}); what code
     * that handles any task (the command line's help, a training request) reads instead of knowing the tasks.
     */
    List<TaskOption> options();

    /**
     * The configuration from the values given for {@link #options()} and the data seed; an option not given keeps
     * the task's default.
     *
     * @throws IllegalArgumentException for a bad or missing value (the message names the flag)
     */
    C configure(TaskOptions options, long seed);

    /** Generates the data; the same configuration gives the same data. */
    DataSplit generate(C config);

    /** A spec builder with what the task fixes: input size, head and output mode. */
    ModelSpec.Builder specFor(C config);

    /** The metric (from {@link dev.rnn4j.train.Metrics}) the task is judged by, e.g. {@code accuracy}. */
    String metric();

    /** The name {@code metrics.json} gives the test metric, e.g. {@code test_accuracy}. */
    default String reportedMetric() {
        return "test_" + metric();
    }

    /**
     * The prefix {@code metrics.json} gives the metrics of the held-out set training evaluates on: {@code test_} where
     * that is the test set; {@code val_} for tasks that hold their test set back for {@link #finalMetrics} and evaluate
     * on validation data while training (the CSV tasks).
     */
    default String heldOutPrefix() {
        return "test_";
    }

    /** The value of {@link #metric()} at which training stops early by default, or NaN for none. */
    double target();

    /**
     * The working recipe for this configuration: model size, optimizer, budget and schedule {@code train} uses for
     * every flag not given.
     */
    Recipe recipe(C config);

    /** Parameter initialisation of this task's default recipe. */
    default Initializer.Options init(C config, float forgetBias) {
        return Initializer.Options.forgetBias(forgetBias);
    }

    /** Training phases before the data (a length curriculum), trained in order; empty for none. */
    default List<DataSplit> curriculum(C config) {
        return List.of();
    }

    /**
     * Whether this configuration's data is one text in consecutive chunks to be trained and evaluated statefully
     * (see {@link dev.rnn4j.train.TrainerConfig.Builder#optStateful}).
     */
    default boolean stateful(C config) {
        return false;
    }

    /**
     * Figures the task reports after training beyond the held-out evaluation, written into {@code metrics.json} as
     * they are named (e.g. a forecast's test error in the data's units and its baselines); none by default.
     */
    default Map<String, Double> finalMetrics(C config, Model model) {
        return Map.of();
    }

    /**
     * How many models this configuration trains (seeds {@code seed, seed + 1, ...}) and combines by the median of their
     * outputs ({@link dev.rnn4j.model.MedianEnsemble}); 1 by default.
     */
    default int ensembleSize(C config) {
        return 1;
    }

    /**
     * What {@code train}'s last line says after the test metric, from {@link #finalMetrics}' figures (e.g. the
     * baselines beside it, starting with {@code "; "}); nothing by default.
     */
    default String summary(Map<String, Double> figures) {
        return "";
    }

    /** The configuration as JSON, as saved with a model. */
    default JsonObject toJson(C config) {
        return new Gson().toJsonTree(config).getAsJsonObject();
    }

    /** A configuration saved by {@link #toJson}. */
    default C fromJson(JsonObject json) {
        return new Gson().fromJson(json, configType());
    }
}
