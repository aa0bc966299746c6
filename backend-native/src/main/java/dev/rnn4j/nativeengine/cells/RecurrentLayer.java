package dev.rnn4j.nativeengine.cells;

import dev.rnn4j.nativeengine.kernels.Buffers;
import java.util.Arrays;

/**
 * One recurrent layer: a cell, or, bidirectional, a forward cell and a reverse cell with their own parameters. The
 * reverse cell reads each sequence backwards from its own last valid step (PyTorch's packed sequences, ONNX's
 * {@code sequence_lens}): it runs as an ordinary cell over the input reversed within each sequence's length, and its
 * outputs are put back in time order.
 * <pre>
 *   x_rev[t, n] = x[len_n - 1 - t, n]                     (t &lt; len_n; padded steps stay zero)
 *   y[t, n]     = [ y_forward[t, n],  y_reverse[len_n - 1 - t, n] ]     [T, N, 2H]
 * </pre>
 * Backward splits {@code dL/dy} the same way, runs both cells' BPTT, and adds the reverse cell's {@code dL/dx} back in
 * time order. The state of a bidirectional layer is {@code [2, N, H]}: direction 0 forward, 1 reverse (the reverse
 * direction's final state is its state after step 0).
 */
public final class RecurrentLayer {
    private final RecurrentCell forward;
    private final RecurrentCell reverse;
    private final int hidden;
    private int steps;
    private int batch;
    private int[] lengths;
    private float[] reversedInput;
    private float[] output;
    private float[] forwardGradient;
    private float[] reverseGradient;
    private float[] inputGradient;

    /** @param reverse the reverse direction's cell, or {@code null} for a forward-only layer */
    public RecurrentLayer(RecurrentCell forward, RecurrentCell reverse) {
        this.forward = forward;
        this.reverse = reverse;
        this.hidden = forward.hidden;
    }

    /** Whether a backward consumed the last forward's pre-activations ({@link RecurrentCell#preActivationsSpent}). */
    public boolean preActivationsSpent() {
        return forward.preActivationsSpent() || reverse != null && reverse.preActivationsSpent();
    }

    /** The forward direction's cell (what introspection reads). */
    public RecurrentCell forwardCell() {
        return forward;
    }

    /**
     * @param x         {@code [T, N, I]} time-major
     * @param pass      what the pass keeps and writes ({@link RecurrentCell.Pass}; under
     *                  {@link RecurrentCell.Pass#INFERENCE_LAST_STEPS} the forward direction's rows at each
     *                  sequence's last valid step and the reverse direction's at step 0 are the ones written)
     * @param initial   the initial state of each direction (index 0 forward, 1 reverse)
     * @return {@code [T, N, D*H]}, zero at padded steps
     */
    public float[] forward(float[] x, int steps, int batch, int[] lengths, RecurrentCell.Pass pass,
                           RecurrentCell.StateSlot... initial) {
        this.steps = steps;
        this.batch = batch;
        this.lengths = lengths;
        float[] yf = forward.forward(x, steps, batch, lengths, initial[0], pass);
        if (reverse == null) {
            return yf;
        }
        int in = forward.inputSize;
        reversedInput = reverseInTime(x, in, reversedInput);
        float[] yr = reverse.forward(reversedInput, steps, batch, lengths, initial[1], pass);
        float[] y = output = Buffers.reuse(output, steps * batch * 2 * hidden);
        Arrays.fill(y, 0f);
        boolean every = pass != RecurrentCell.Pass.INFERENCE_LAST_STEPS;
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < lengths[n]; t++) {
                int row = (t * batch + n) * 2 * hidden;
                if (every || t == lengths[n] - 1) {
                    System.arraycopy(yf, (t * batch + n) * hidden, y, row, hidden);
                }
                if (every || t == 0) {
                    System.arraycopy(yr, ((lengths[n] - 1 - t) * batch + n) * hidden, y, row + hidden, hidden);
                }
            }
        }
        return y;
    }

    /** The weights were changed in place: both cells pack them again. */
    public void weightsChanged() {
        forward.weightsChanged();
        if (reverse != null) {
            reverse.weightsChanged();
        }
    }

    /** Writes each direction's final state (index 0 forward, 1 reverse). */
    public void finalState(RecurrentCell.StateSlot... end) {
        forward.finalState(end[0]);
        if (reverse != null) {
            reverse.finalState(end[1]);
        }
    }

    /** Writes {@code dL/d} of each direction's initial state from the last backward. */
    public void initialStateGradient(RecurrentCell.StateSlot... target) {
        forward.initialStateGradient(target[0]);
        if (reverse != null) {
            reverse.initialStateGradient(target[1]);
        }
    }

    /**
     * @param dy {@code dL/dy [T, N, D*H]}
     * @return {@code dL/dx [T, N, I]}, or {@code null} when not wanted
     */
    public float[] backward(float[] dy, boolean wantInputGradient) {
        if (reverse == null) {
            return forward.backward(dy, wantInputGradient);
        }
        float[] df = forwardGradient = Buffers.reuse(forwardGradient, steps * batch * hidden);
        float[] dr = reverseGradient = Buffers.reuse(reverseGradient, steps * batch * hidden);
        Arrays.fill(df, 0f);
        Arrays.fill(dr, 0f);
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < lengths[n]; t++) {
                int row = (t * batch + n) * 2 * hidden;
                System.arraycopy(dy, row, df, (t * batch + n) * hidden, hidden);
                System.arraycopy(dy, row + hidden, dr, ((lengths[n] - 1 - t) * batch + n) * hidden, hidden);
            }
        }
        float[] dxf = forward.backward(df, wantInputGradient);
        float[] dxr = reverse.backward(dr, wantInputGradient);
        if (!wantInputGradient) {
            return null;
        }
        int in = forward.inputSize;
        float[] dx = inputGradient = reverseInTime(dxr, in, inputGradient);
        for (int i = 0; i < dx.length; i++) {
            dx[i] += dxf[i];
        }
        return dx;
    }

    /** {@code a [T, N, width]} reversed in time within each sequence's length, into {@code into} (reused). */
    private float[] reverseInTime(float[] a, int width, float[] into) {
        float[] out = Buffers.reuse(into, steps * batch * width);
        Arrays.fill(out, 0f);
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < lengths[n]; t++) {
                System.arraycopy(a, ((lengths[n] - 1 - t) * batch + n) * width, out, (t * batch + n) * width, width);
            }
        }
        return out;
    }
}
