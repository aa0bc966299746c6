package dev.rnn4j.djl;

import static dev.rnn4j.djl.ComposedCells.linear;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.rnn4j.data.Batch;
import dev.rnn4j.model.State;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The forward pass of a {@link ModelSpec} in DJL NDArray ops, from parameters in the canonical layout, that both DJL
 * networks share: {@link DjlNetwork} (autograd or inference, composed or fused layers) and {@link ExplicitBptt}
 * (hand-written backward, which keeps what it needs through the hooks).
 *
 * <p>Shapes: batch {@code [N, T, I]} is made time-major {@code [T, N, I]}; each layer gives {@code [T, N, D*H]},
 * zero at padded steps; a bidirectional layer's reverse direction reads each sequence backwards from its own last
 * valid step; inverted dropout between layers draws its masks from the model's seed in the native engine's order; the
 * head reads each sequence's last valid step (a one-hot sum over time; the reverse half at step 0) or every step. The
 * MLP baseline reads the flattened window.
 */
abstract class NetworkSkeleton {
    protected final ModelSpec spec;
    protected final Map<String, NDArray> p;
    protected final ComposedCells cells;

    // what the last forward used, for a backward
    protected Batch batch;
    protected NDArray validMask;
    protected NDArray lastOneHot;
    /** The head's input of the last forward: {@code [N, D*H]} or {@code [N*T, D*H]}. */
    protected NDArray headInput;

    NetworkSkeleton(ModelSpec spec, Map<String, NDArray> params) {
        this.spec = spec;
        this.p = params;
        this.cells = new ComposedCells(spec);
    }

    /**
     * Per layer, the state: h, and c for the LSTM family (else {@code null} entries); {@code [N, H]} for one direction,
     * {@code [2, N, H]} for two.
     */
    record States(List<NDArray> h, List<NDArray> c) {
        States {
            h = new ArrayList<>(h);
            c = new ArrayList<>(c);
        }

        /** {@code state} (core's layout) as arrays of {@code m}; each requires a gradient when {@code grad}. */
        static States of(NDManager m, State state, boolean grad) {
            List<NDArray> h = new ArrayList<>();
            List<NDArray> c = new ArrayList<>();
            Shape shape = state.directions() == 1 ? new Shape(state.size(), state.hiddenSize())
                    : new Shape(state.directions(), state.size(), state.hiddenSize());
            for (int l = 0; l < state.layers(); l++) {
                h.add(leaf(m.create(state.h(l), shape), grad));
                c.add(state.hasCell() ? leaf(m.create(state.c(l), shape), grad) : null);
            }
            return new States(h, c);
        }

        private static NDArray leaf(NDArray a, boolean grad) {
            if (grad) {
                a.setRequiresGradient(true);
            }
            return a;
        }

        /** Core's state from these arrays (or from their gradients when {@code gradients}). */
        State toState(ModelSpec spec, boolean gradients) {
            float[][] hv = new float[h.size()][];
            float[][] cv = spec.cell().hasCellState() ? new float[h.size()][] : null;
            for (int l = 0; l < h.size(); l++) {
                hv[l] = values(h.get(l), gradients);
                if (cv != null) {
                    cv[l] = values(c.get(l), gradients);
                }
            }
            return State.of(spec, hv, cv);
        }

        private static float[] values(NDArray a, boolean gradient) {
            if (!gradient) {
                return a.toFloatArray();
            }
            try (NDArray g = a.getGradient()) {
                return g.toFloatArray();
            }
        }
    }

    /** A pass's output {@code [N, S, C]} and, when asked for, the final state. */
    record Pass(NDArray output, States end) {
    }

    /**
     * A layer's (or one direction's) outputs {@code [T, N, D*H]} and final state ({@code [N, H]} for one direction,
     * {@code [2, N, H]} for two; c: LSTM family only, else null).
     */
    record Layer(NDArray y, NDArray h, NDArray c) {

        /** Both directions as one layer: outputs side by side in time order, states stacked (forward first). */
        static Layer bidirectional(NDManager m, Layer[] d, int[] lengths) {
            NDArray y = NDArrays.concat(new NDList(d[0].y(), Masks.reverseInTime(m, d[1].y(), lengths)), 2);
            return new Layer(y, NDArrays.stack(new NDList(d[0].h(), d[1].h()), 0),
                    d[0].c() == null ? null : NDArrays.stack(new NDList(d[0].c(), d[1].c()), 0));
        }
    }

    /**
     * Direction {@code d} of recurrent layer {@code l} over {@code x [T, N, in]} (the reverse direction's input already
     * reversed within each length), from {@code (h0, c0)} (null: zeros).
     *
     * @param wantState whether the final state is wanted (fused ops then stop at each length)
     */
    protected abstract Layer direction(NDManager m, int l, int d, NDArray x, NDArray h0, NDArray c0, boolean wantState);

    /** Inverted dropout between layers ({@code rng == null}: none); a network that back-propagates keeps the masks. */
    protected NDArray dropout(NDManager m, NDArray x, SplittableRandom rng) {
        if (rng == null || spec.dropout() == 0f) {
            return x;
        }
        return x.mul(Masks.dropout(m, x, spec.dropout(), rng));
    }

    /** The MLP's hidden layer {@code l}: {@code tanh(x W^T + b)}; a network that back-propagates keeps x and y. */
    protected NDArray dense(int l, NDArray x) {
        return linear(x, p.get(ParameterLayout.w(l)), p.get(ParameterLayout.b(l))).tanh();
    }

    /**
     * A pass from {@code initial} (zeros when {@code null}); the final state (each sequence's last valid step) when
     * {@code wantState}; dropout only when {@code dropoutRng != null}.
     */
    Pass forward(NDManager m, Batch b, SplittableRandom dropoutRng, States initial, boolean wantState) {
        this.batch = b;
        int n = b.size();
        int t = b.steps();
        int h = spec.hiddenSize();
        NDArray input = m.create(b.inputs(), new Shape(n, t, b.inputSize()));
        NDArray w = p.get(ParameterLayout.HEAD_W);
        NDArray bias = p.get(ParameterLayout.HEAD_B);
        if (spec.cell() == CellType.MLP) {
            NDArray x = input.reshape(n, (long) t * b.inputSize());
            for (int l = 0; l < spec.numLayers(); l++) {
                x = dense(l, x);
                if (l < spec.numLayers() - 1) {
                    x = dropout(m, x, dropoutRng);
                }
            }
            headInput = x;
            return new Pass(linear(x, w, bias).reshape(n, 1, spec.outputSize()), null);
        }
        validMask = Masks.valid(m, b);
        lastOneHot = spec.outputMode() == OutputMode.LAST_STEP ? Masks.lastStep(m, b) : null;
        NDArray x = input.transpose(1, 0, 2);
        List<NDArray> endH = new ArrayList<>();
        List<NDArray> endC = new ArrayList<>();
        for (int l = 0; l < spec.numLayers(); l++) {
            Layer[] directions = new Layer[spec.directions()];
            for (int d = 0; d < directions.length; d++) {
                NDArray in = d == 0 ? x : Masks.reverseInTime(m, x, b.lengths());
                NDArray h0 = initial == null ? null : cells.direction(initial.h().get(l), d);
                NDArray c0 = initial == null ? null : cells.direction(initial.c().get(l), d);
                directions[d] = direction(m, l, d, in, h0, c0, wantState);
            }
            Layer layer = directions.length == 1 ? directions[0] : Layer.bidirectional(m, directions, b.lengths());
            endH.add(layer.h());
            endC.add(layer.c());
            x = layer.y().mul(validMask);
            if (l < spec.numLayers() - 1) {
                x = dropout(m, x, dropoutRng);
            }
        }
        States end = wantState ? new States(endH, endC) : null;
        if (spec.outputMode() == OutputMode.LAST_STEP) {
            headInput = x.mul(lastOneHot).sum(new int[] {0});
            if (spec.directions() == 2) {
                // [h_forward at the last valid step, h_reverse at step 0]: each direction's final state
                headInput = NDArrays.concat(new NDList(headInput.get(new NDIndex(":, 0:{}", h)),
                        x.get(new NDIndex("0, :, {}:", h))), 1);
            }
            return new Pass(linear(headInput, w, bias).reshape(n, 1, spec.outputSize()), end);
        }
        headInput = x.transpose(1, 0, 2).reshape((long) n * t, spec.layerOutputSize());
        return new Pass(linear(headInput, w, bias).reshape(n, t, spec.outputSize()).mul(validMask.transpose(1, 0, 2)),
                end);
    }
}
