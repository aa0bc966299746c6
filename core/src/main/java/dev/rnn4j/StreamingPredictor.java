package dev.rnn4j;

import dev.rnn4j.data.Batch;
import dev.rnn4j.model.Model;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.State;
import dev.rnn4j.model.StatefulOutput;
import dev.rnn4j.spec.ModelSpec;

/**
 * Runs a model one time step per call over {@code N} streams at once, carrying each stream's state between calls
 * (DL4J's {@code rnnTimeStep}, Keras' {@code stateful=True} at inference): a call costs one step, however long the
 * streams have run.
 * <pre>{@code
 * try (StreamingPredictor stream = model.stream(2)) {      // two independent streams
 *     float[][] y1 = stream.step(new float[][] {{0.1f}, {0.7f}});   // x_1 of each stream -> [2][C]
 *     float[][] y2 = stream.step(new float[][] {{0.2f}, {0.6f}});   // x_2, from the state after x_1
 *     stream.reset(1);                                               // stream 1 starts over from the zero state
 * }
 * }</pre>
 * A predictor is confined to the thread that first calls it (one per thread; the model may be shared). Closing it
 * leaves the model open. Bidirectional models cannot stream: their reverse direction reads the future.
 */
public final class StreamingPredictor implements AutoCloseable {
    private final Model model;
    private final ModelSpec spec;
    /** Every stream's state after its last step (the engine hands a new one back each call). */
    private State state;
    private Thread owner;
    private boolean closed;

    /**
     * {@code size} streams over an engine's model ({@link RnnModel#stream} makes one for an {@link RnnModel}).
     *
     * @throws IllegalArgumentException for the MLP baseline (no state), a bidirectional model, or {@code size < 1}
     */
    public StreamingPredictor(Model model, int size) {
        this.model = model;
        this.spec = model.spec();
        if (spec.directions() != 1) {
            throw new IllegalArgumentException("A bidirectional model cannot stream: its reverse direction reads the "
                    + "whole sequence first");
        }
        this.state = State.zeros(spec, size); // refuses the MLP and size < 1
    }

    /**
     * One step of every stream: {@code x [N][I]} in, outputs {@code [N][C]} out (logits for classifiers).
     *
     * @throws IllegalArgumentException if {@code x} is not {@code [N][I]} or holds a NaN or infinite value
     * @throws IllegalStateException    after {@link #close()}, or from another thread than the first caller's
     */
    public float[][] step(float[][] x) {
        checkUsable();
        int n = state.size();
        int in = spec.inputSize();
        if (x.length != n) {
            throw new IllegalArgumentException("step expects x of shape [" + n + ", " + in + "] (one row per stream), got "
                    + x.length + " rows");
        }
        float[] flat = new float[n * in];
        for (int i = 0; i < n; i++) {
            if (x[i].length != in) {
                throw new IllegalArgumentException("step expects x of shape [" + n + ", " + in + "], row " + i + " has "
                        + x[i].length + " values");
            }
            System.arraycopy(x[i], 0, flat, i * in, in);
        }
        int[] lengths = new int[n];
        java.util.Arrays.fill(lengths, 1);
        StatefulOutput out = model.forward(Batch.of(flat, lengths, in), state);
        state = out.state();
        Output o = out.output();
        float[][] y = new float[n][o.width()];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < o.width(); c++) {
                y[i][c] = o.get(i, 0, c);
            }
        }
        return y;
    }

    /**
     * Stream {@code n} starts over from the zero state; the others go on.
     *
     * @throws IndexOutOfBoundsException if there is no stream {@code n}
     */
    public void reset(int n) {
        checkUsable();
        state.reset(n);
    }

    /** Every stream starts over from the zero state. */
    public void resetAll() {
        checkUsable();
        for (int n = 0; n < state.size(); n++) {
            state.reset(n);
        }
    }

    /** A copy of the current state of every stream. */
    public State state() {
        checkUsable();
        return state.copy();
    }

    /** N, the number of streams. */
    public int size() {
        return state.size();
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("This stream is closed");
        }
        Thread current = Thread.currentThread();
        if (owner == null) {
            owner = current;
        } else if (owner != current) {
            throw new IllegalStateException("A stream is confined to the thread that first used it (" + owner.getName()
                    + "); this call came from " + current.getName() + ": open one stream per thread");
        }
    }

    /** Ends the streams (the model stays open). */
    @Override
    public void close() {
        closed = true;
    }
}
