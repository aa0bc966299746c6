package dev.rnn4j.datasets;

import com.google.gson.JsonObject;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.spec.ModelSpec;
import java.util.List;

/**
 * A task with its configuration: what code that handles any task (the command line, the cell zoo) passes around,
 * so the configuration's type travels with it.
 *
 * @param task   the task
 * @param config its configuration
 * @param <C>    the configuration record
 */
public record TaskConfig<C extends Record>(Task<C> task, C config) {

    /** {@code task} with {@code config}, or a configuration saved by {@link #toJson()} when loading a model. */
    public static <C extends Record> TaskConfig<C> fromJson(Task<C> task, JsonObject json) {
        return new TaskConfig<>(task, task.fromJson(json));
    }

    public String name() {
        return task.name();
    }

    public DataSplit generate() {
        return task.generate(config);
    }

    public ModelSpec.Builder specFor() {
        return task.specFor(config);
    }

    public List<DataSplit> curriculum() {
        return task.curriculum(config);
    }

    /** The task's working recipe for this configuration ({@link Task#recipe}). */
    public Recipe recipe() {
        return task.recipe(config);
    }

    public Initializer.Options init(float forgetBias) {
        return task.init(config, forgetBias);
    }

    /** The task's figures after training ({@link Task#finalMetrics}). */
    public java.util.Map<String, Double> finalMetrics(dev.rnn4j.model.Model model) {
        return task.finalMetrics(config, model);
    }

    /** Whether to train and evaluate statefully ({@link Task#stateful}). */
    public boolean stateful() {
        return task.stateful(config);
    }

    /**
     * Evaluates {@code model} on {@code data} (a split of this configuration) as training evaluated it: statefully
     * when {@link #stateful()}.
     */
    public java.util.Map<String, Double> evaluate(dev.rnn4j.model.Model model, dev.rnn4j.data.SequenceDataset data) {
        return stateful() ? dev.rnn4j.train.Metrics.evaluateStateful(model, data, dev.rnn4j.train.Metrics.STATEFUL_STREAMS)
                : dev.rnn4j.train.Metrics.evaluate(model, data, 256);
    }

    /** How many models this configuration trains and combines ({@link Task#ensembleSize}). */
    public int ensembleSize() {
        return task.ensembleSize(config);
    }

    public JsonObject toJson() {
        return task.toJson(config);
    }
}
