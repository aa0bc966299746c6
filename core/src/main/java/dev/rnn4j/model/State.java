package dev.rnn4j.model;

import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import java.util.Arrays;

/**
 * The recurrent state a model carries from one call to the next, as PyTorch's {@code (h_n, c_n)} and ONNX's
 * {@code Y_h}/{@code Y_c}: for every layer {@code l}, {@code h(l)} of shape {@code [D, N, H]} and, for the LSTM family
 * only, {@code c(l)} of the same shape ({@code D} = 2 for bidirectional layers, else 1; row-major, so direction
 * {@code d}, sequence {@code n}, unit {@code j} is at {@code (d * N + n) * H + j}).
 *
 * <p>A model returns the state at each sequence's last valid step (padded steps never change it); passed back in, it
 * continues the sequences exactly where they stopped:
 * <pre>{@code
 * StatefulOutput first = model.forward(firstHalf, null);             // null: the zero state
 * StatefulOutput second = model.forward(secondHalf, first.state());  // same outputs as one call on the whole
 * }</pre>
 * The arrays are the state's own (no copy); {@link #copy()} makes an independent one.
 */
public final class State {
    private final int layers;
    private final int directions;
    private final int size;
    private final int hidden;
    private final float[][] h;
    private final float[][] c;

    private State(int layers, int directions, int size, int hidden, float[][] h, float[][] c) {
        this.layers = layers;
        this.directions = directions;
        this.size = size;
        this.hidden = hidden;
        this.h = h;
        this.c = c;
    }

    /**
     * The zero state of {@code spec} for {@code size} sequences.
     *
     * @throws IllegalArgumentException for the MLP baseline, which has no state, or {@code size < 1}
     */
    public static State zeros(ModelSpec spec, int size) {
        requireRecurrent(spec);
        if (size < 1) {
            throw new IllegalArgumentException("A state needs N >= 1 sequences, got " + size);
        }
        int per = spec.directions() * size * spec.hiddenSize();
        float[][] h = new float[spec.numLayers()][per];
        float[][] c = spec.cell().hasCellState() ? new float[spec.numLayers()][per] : null;
        return new State(spec.numLayers(), spec.directions(), size, spec.hiddenSize(), h, c);
    }

    /**
     * A state of {@code spec} from arrays: {@code h[l]} and {@code c[l]} of {@code D*N*H} values each; {@code c} is
     * {@code null} for cells without a cell state (RNN, GRU). The arrays are used as they are, not copied.
     *
     * @throws IllegalArgumentException naming the expected and the given shape when they do not fit
     */
    public static State of(ModelSpec spec, float[][] h, float[][] c) {
        requireRecurrent(spec);
        int dh = spec.directions() * spec.hiddenSize();
        if (h == null || h.length != spec.numLayers()) {
            throw new IllegalArgumentException("State mismatch: the model has " + spec.numLayers()
                    + " layers, the state's h has " + (h == null ? "none" : h.length));
        }
        if (h[0] == null || h[0].length == 0 || h[0].length % dh != 0) {
            throw new IllegalArgumentException("State mismatch: h of layer 0 should be [" + spec.directions()
                    + ", N, " + spec.hiddenSize() + "], it has " + (h[0] == null ? "no" : h[0].length) + " values");
        }
        State s = new State(spec.numLayers(), spec.directions(), h[0].length / dh, spec.hiddenSize(), h, c);
        s.requireFits(spec, s.size);
        return s;
    }

    /**
     * Checks that a model of {@code spec} can run {@code batch} statefully from {@code initial} (null: zeros): what
     * every engine's {@code forward(batch, state)} checks before any work.
     *
     * @throws IllegalArgumentException for a batch that does not fit, the MLP baseline (no state), or a state of the
     *                                  wrong shape (naming the expected and the given one)
     */
    public static void check(ModelSpec spec, dev.rnn4j.data.Batch batch, State initial) {
        batch.requireFits(spec);
        requireRecurrent(spec);
        if (initial != null) {
            initial.requireFits(spec, batch.size());
        }
    }

    private static void requireRecurrent(ModelSpec spec) {
        if (spec.cell() == CellType.MLP) {
            throw new IllegalArgumentException("The MLP baseline has no recurrent state");
        }
    }

    /** Layer {@code l}'s hidden state {@code [D, N, H]} (the live array). */
    public float[] h(int layer) {
        return h[layer];
    }

    /**
     * Layer {@code l}'s cell state {@code [D, N, H]} (the live array).
     *
     * @throws IllegalStateException for cells without one
     */
    public float[] c(int layer) {
        if (c == null) {
            throw new IllegalStateException("This state has no cell state c: only the LSTM family keeps one");
        }
        return c[layer];
    }

    /** Whether there is a cell state {@code c} (LSTM family). */
    public boolean hasCell() {
        return c != null;
    }

    /** N, the number of sequences. */
    public int size() {
        return size;
    }

    public int layers() {
        return layers;
    }

    public int directions() {
        return directions;
    }

    public int hiddenSize() {
        return hidden;
    }

    /**
     * Checks that this state can go into a model of {@code spec} with a batch of {@code n} sequences.
     *
     * @throws IllegalArgumentException naming the expected and the given shape
     */
    public void requireFits(ModelSpec spec, int n) {
        String expected = describe(spec.numLayers(), spec.cell().hasCellState(), spec.directions(), n, spec.hiddenSize());
        String given = describe(layers, c != null, directions, size, hidden);
        boolean ok = spec.cell() != CellType.MLP && layers == spec.numLayers() && directions == spec.directions()
                && size == n && hidden == spec.hiddenSize() && (c != null) == spec.cell().hasCellState();
        int per = directions * size * hidden;
        for (int l = 0; ok && l < layers; l++) {
            ok = h[l] != null && h[l].length == per && (c == null || c[l] != null && c[l].length == per);
        }
        if (!ok) {
            throw new IllegalArgumentException("State mismatch: the model expects " + expected + ", the state has "
                    + given + (layers == spec.numLayers() && size == n ? " (or arrays of the wrong length)" : ""));
        }
        for (int l = 0; l < layers; l++) {
            requireFinite(h[l], "h", l);
            if (c != null) {
                requireFinite(c[l], "c", l);
            }
        }
    }

    private static void requireFinite(float[] a, String name, int layer) {
        for (float v : a) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("State " + name + " of layer " + layer + " contains " + v);
            }
        }
    }

    private static String describe(int layers, boolean cell, int directions, int n, int hidden) {
        String shape = "[" + directions + ", " + n + ", " + hidden + "]";
        return layers + " layer" + (layers == 1 ? "" : "s") + " of h " + shape + (cell ? " and c " + shape : "");
    }

    /** An independent copy. */
    public State copy() {
        float[][] h2 = new float[layers][];
        float[][] c2 = c == null ? null : new float[layers][];
        for (int l = 0; l < layers; l++) {
            h2[l] = h[l].clone();
            if (c != null) {
                c2[l] = c[l].clone();
            }
        }
        return new State(layers, directions, size, hidden, h2, c2);
    }

    /**
     * Sets sequence {@code n}'s state to zero in every layer and direction (a new stream starts there).
     *
     * @throws IndexOutOfBoundsException if {@code n} is not in {@code 0 .. N-1}
     */
    public void reset(int n) {
        if (n < 0 || n >= size) {
            throw new IndexOutOfBoundsException("Sequence " + n + " is not in this state of N = " + size);
        }
        for (int l = 0; l < layers; l++) {
            for (int d = 0; d < directions; d++) {
                int from = (d * size + n) * hidden;
                Arrays.fill(h[l], from, from + hidden, 0f);
                if (c != null) {
                    Arrays.fill(c[l], from, from + hidden, 0f);
                }
            }
        }
    }

    /** The state of the first {@code count} sequences, as a state of N = {@code count} (a copy). */
    public State firstRows(int count) {
        if (count < 1 || count > size) {
            throw new IllegalArgumentException("Cannot take the first " + count + " of " + size + " sequences");
        }
        float[][] h2 = new float[layers][];
        float[][] c2 = c == null ? null : new float[layers][];
        for (int l = 0; l < layers; l++) {
            h2[l] = rows(h[l], count);
            if (c != null) {
                c2[l] = rows(c[l], count);
            }
        }
        return new State(layers, directions, count, hidden, h2, c2);
    }

    private float[] rows(float[] a, int count) {
        float[] out = new float[directions * count * hidden];
        for (int d = 0; d < directions; d++) {
            System.arraycopy(a, d * size * hidden, out, d * count * hidden, count * hidden);
        }
        return out;
    }

    /** Largest absolute difference to {@code other} over every h and c (same shapes assumed). */
    public double maxAbsDiff(State other) {
        double max = 0;
        for (int l = 0; l < layers; l++) {
            max = Math.max(max, maxAbsDiff(h[l], other.h[l]));
            if (c != null) {
                max = Math.max(max, maxAbsDiff(c[l], other.c[l]));
            }
        }
        return max;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Override
    public String toString() {
        return "State(" + describe(layers, c != null, directions, size, hidden) + ")";
    }
}
