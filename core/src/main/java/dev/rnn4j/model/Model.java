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

    /**
     * Runs the model in inference mode from a given state and returns the state at each sequence's last valid step
     * with the outputs: running a sequence in two calls, the second from the first's state, gives the outputs of one
     * call on the whole sequence.
     *
     * @param batch   inputs {@code [N, T, I]} with lengths; targets are ignored
     * @param initial the state before the first step, {@code [D, N, H]} per layer; {@code null} for zeros
     * @throws IllegalArgumentException if the batch or the state does not fit the spec (the message names the expected
     *                                  and the given shape), or for the MLP baseline, which has no state
     */
    StatefulOutput forward(Batch batch, State initial);

    /** A copy of the current parameters in the canonical layout. */
    Parameters parameters();

    @Override
    default void close() {
    }
}
