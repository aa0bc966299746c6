package dev.rnn4j.model;

import dev.rnn4j.data.Batch;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;

/** A model on some engine, for inference. Close it to release engine resources. */
public interface Model extends AutoCloseable {

    ModelSpec spec();

    /**
     * Runs the model in inference mode (no dropout).
     *
     * @param batch inputs {@code [N, T, I]} with lengths; targets are ignored
     * @return {@code [N, 1, C]} or {@code [N, T, C]} per the spec's output mode
     * @throws IllegalArgumentException if the batch's input size does not match the spec
     */
    Output forward(Batch batch);

    /** A copy of the current parameters in the canonical layout. */
    Parameters parameters();

    @Override
    default void close() {
    }
}
