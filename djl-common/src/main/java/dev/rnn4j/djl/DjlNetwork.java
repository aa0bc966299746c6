package dev.rnn4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.recurrent.RNN;
import dev.rnn4j.data.Batch;
import dev.rnn4j.model.State;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The forward graph of a {@link ModelSpec} in DJL NDArray ops, from parameters in the canonical layout.
 *
 * <p>Shapes: batch {@code [N, T, I]} is made time-major {@code [T, N, I]}; each layer gives {@code [T, N, H]},
 * zero at padded steps; the head reads each sequence's last valid step (a one-hot sum over time) or every
 * step. Composed cells follow the ONNX equations step by step and carry the state through padded steps;
 * fused cells (those in {@code fusedCells} among RNN, LSTM, GRU with linear_before_reset) call libtorch's
 * {@code rnn/lstm/gru} on weights the model keeps in PyTorch's gate order ({@link GateLayout}). Inverted dropout
 * between layers draws its masks from the model's seed in the same order as the native engine, so runs
 * with dropout match it too.
 */
final class DjlNetwork {
    private final ModelSpec spec;
    private final Map<String, NDArray> p;
    private final Set<CellType> fusedCells;
    private final ComposedCells cells;

    /**
     * @param params canonical tensors by name
     * @param fusedCells cells to run as libtorch's fused ops (only RNN, LSTM and GRU with linear_before_reset
     *                   have one; PyTorch engine only)
     */
    DjlNetwork(ModelSpec spec, Map<String, NDArray> params, Set<CellType> fusedCells) {
        this.spec = spec;
        this.p = params;
        this.fusedCells = Set.copyOf(fusedCells);
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

    /** Output {@code [N, 1, C]} or {@code [N, T, C]}; dropout only when {@code dropoutRng != null}. */
    NDArray forward(NDManager m, Batch b, SplittableRandom dropoutRng) {
        return forward(m, b, dropoutRng, null, false).output();
    }

    /**
     * A pass from {@code initial} (zeros when {@code null}); the final state (each sequence's last valid step) when
     * {@code wantState}. Fused ops report the state at step T, so a padded batch whose state is wanted runs composed.
     */
    Pass forward(NDManager m, Batch b, SplittableRandom dropoutRng, States initial, boolean wantState) {
        int n = b.size();
        int t = b.steps();
        int h = spec.hiddenSize();
        NDArray input = m.create(b.inputs(), new Shape(n, t, b.inputSize()));
        if (spec.cell() == CellType.MLP) {
            NDArray x = input.reshape(n, (long) t * b.inputSize());
            for (int l = 0; l < spec.numLayers(); l++) {
                x = linear(x, p.get(ParameterLayout.w(l)), p.get(ParameterLayout.b(l))).tanh();
                if (l < spec.numLayers() - 1) {
                    x = dropout(m, x, dropoutRng);
                }
            }
            return new Pass(linear(x, p.get(ParameterLayout.HEAD_W), p.get(ParameterLayout.HEAD_B))
                    .reshape(n, 1, spec.outputSize()), null);
        }
        NDArray validMask = Masks.valid(m, b);
        NDArray x = input.transpose(1, 0, 2);
        boolean fused = fusedCell();
        // a fused op's h_n is the state after step T: with padding, the state is read at each length (fusedLayer)
        int[] stateSteps = wantState ? Arrays.stream(b.lengths()).distinct().sorted().toArray() : new int[0];
        List<NDArray> endH = new ArrayList<>();
        List<NDArray> endC = new ArrayList<>();
        for (int l = 0; l < spec.numLayers(); l++) {
            Layer[] directions = new Layer[spec.directions()];
            for (int d = 0; d < directions.length; d++) {
                // the reverse direction reads each sequence backwards from its own last valid step
                NDArray in = d == 0 ? x : Masks.reverseInTime(m, x, b.lengths());
                NDArray h0 = initial == null ? null : cells.direction(initial.h().get(l), d);
                NDArray c0 = initial == null ? null : cells.direction(initial.c().get(l), d);
                directions[d] = fused ? fusedLayer(m, l, d, in, h0, c0, b.lengths(), stateSteps)
                        : composedLayer(m, l, d, in, validMask, h0, c0);
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
        NDArray w = p.get(ParameterLayout.HEAD_W);
        NDArray bias = p.get(ParameterLayout.HEAD_B);
        if (spec.outputMode() == OutputMode.LAST_STEP) {
            NDArray lastStep = x.mul(Masks.lastStep(m, b)).sum(new int[] {0});
            if (spec.directions() == 2) {
                // [h_forward at the last valid step, h_reverse at step 0]: each direction's final state
                lastStep = NDArrays.concat(new NDList(lastStep.get(new NDIndex(":, 0:{}", h)),
                        x.get(new NDIndex("0, :, {}:", h))), 1);
            }
            return new Pass(linear(lastStep, w, bias).reshape(n, 1, spec.outputSize()), end);
        }
        NDArray perStep = linear(x.transpose(1, 0, 2).reshape((long) n * t, spec.layerOutputSize()), w, bias)
                .reshape(n, t, spec.outputSize());
        return new Pass(perStep.mul(validMask.transpose(1, 0, 2)), end);
    }

    /**
     * A layer's outputs {@code [T, N, D*H]} and final state ({@code [N, H]} for one direction, {@code [2, N, H]} for
     * two; c: LSTM family only, else null).
     */
    private record Layer(NDArray y, NDArray h, NDArray c) {

        /** Both directions as one layer: outputs side by side in time order, states stacked (forward first). */
        static Layer bidirectional(NDManager m, Layer[] d, int[] lengths) {
            NDArray y = NDArrays.concat(new NDList(d[0].y(), Masks.reverseInTime(m, d[1].y(), lengths)), 2);
            return new Layer(y, NDArrays.stack(new NDList(d[0].h(), d[1].h()), 0),
                    d[0].c() == null ? null : NDArrays.stack(new NDList(d[0].c(), d[1].c()), 0));
        }
    }

    /** Direction {@code d}'s half of parameter {@code name}. */
    private NDArray weight(String name, int d) {
        return cells.direction(p.get(name), d);
    }

    private boolean fusedCell() {
        return runsFused(spec, fusedCells);
    }

    /** Whether the layers run as a fused op: only RNN, LSTM and GRU with linear_before_reset have one. */
    static boolean runsFused(ModelSpec spec, Set<CellType> fusedCells) {
        return fusedCells.contains(spec.cell()) && (spec.cell() == CellType.RNN_TANH || spec.cell() == CellType.LSTM
                || spec.cell() == CellType.GRU && spec.linearBeforeReset());
    }

    /** {@code x W^T + b} for 2-D x. */
    private static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return x.matMul(w.transpose()).add(b);
    }

    private NDArray dropout(NDManager m, NDArray x, SplittableRandom rng) {
        if (rng == null || spec.dropout() == 0f) {
            return x;
        }
        return x.mul(Masks.dropout(m, x, spec.dropout(), rng));
    }

    /**
     * One layer through libtorch's fused op: {@code [T, N, in] -> [T, N, H]}. The weights are already in PyTorch's
     * gate order ({@link GateLayout}). The op's {@code h_n}/{@code c_n} is the state after step T; when the final
     * state is wanted ({@code stateSteps}: the batch's distinct lengths, ascending), the op runs segment by segment,
     * ending at each length, and each sequence's final state is the segment's {@code h_n}/{@code c_n} where its length
     * ends (what PyTorch's packed sequences do).
     */
    private Layer fusedLayer(NDManager m, int l, int d, NDArray x, NDArray initialH, NDArray initialC, int[] lengths,
                             int[] stateSteps) {
        int h = spec.hiddenSize();
        int gh = spec.gates() * h;
        long t = x.getShape().get(0);
        long n = x.getShape().get(1);
        NDArray b = weight(ParameterLayout.b(l), d);
        NDList params = new NDList(weight(ParameterLayout.w(l), d), weight(ParameterLayout.r(l), d),
                b.get(new NDIndex("0:{}", gh)), b.get(new NDIndex("{}:", gh)));
        Shape stateShape = new Shape(1, n, h);
        NDArray hx = initialH == null ? m.zeros(stateShape) : initialH.reshape(stateShape);
        NDArray cx = spec.cell() != CellType.LSTM ? null : initialC == null ? m.zeros(stateShape) : initialC.reshape(stateShape);
        if (stateSteps.length <= 1 && (stateSteps.length == 0 || stateSteps[0] == t)) {
            NDList out = fused(x, hx, cx, params);
            Shape flat = new Shape(n, h);
            return new Layer(out.get(0), out.get(1).reshape(flat), cx == null ? null : out.get(2).reshape(flat));
        }
        NDList ys = new NDList();
        NDArray endH = m.zeros(stateShape);
        NDArray endC = cx == null ? null : m.zeros(stateShape);
        int from = 0;
        for (int to : IntStream.concat(Arrays.stream(stateSteps), IntStream.of((int) t)).distinct().toArray()) {
            NDList out = fused(x.get(new NDIndex("{}:{}", from, to)), hx, cx, params);
            ys.add(out.get(0));
            hx = out.get(1);
            cx = cx == null ? null : out.get(2);
            float[] ends = new float[(int) n];
            for (int i = 0; i < n; i++) {
                ends[i] = lengths[i] == to ? 1f : 0f;
            }
            NDArray endsHere = m.create(ends, new Shape(1, n, 1));
            endH = endH.add(hx.mul(endsHere));
            endC = endC == null ? null : endC.add(cx.mul(endsHere));
            from = to;
        }
        Shape flat = new Shape(n, h);
        return new Layer(NDArrays.concat(ys, 0), endH.reshape(flat), endC == null ? null : endC.reshape(flat));
    }

    /** libtorch's fused op over all of {@code x} from {@code (hx, cx)}: {@code [y, h_n]} or {@code [y, h_n, c_n]}. */
    private NDList fused(NDArray x, NDArray hx, NDArray cx, NDList params) {
        return switch (spec.cell()) {
            case LSTM -> x.getNDArrayInternal().lstm(x, new NDList(hx, cx), params, true, 1, 0.0, false, false, false);
            case GRU -> x.getNDArrayInternal().gru(x, hx, params, true, 1, 0.0, false, false, false);
            default -> x.getNDArrayInternal().rnn(x, hx, params, true, 1, RNN.Activation.TANH, 0.0, false, false, false);
        };
    }

    /** One layer composed from {@link ComposedCells}' steps: {@code [T, N, in] -> [T, N, H]}; padded steps keep the state. */
    private Layer composedLayer(NDManager m, int l, int d, NDArray x, NDArray validMask, NDArray initialH,
                                NDArray initialC) {
        int h = spec.hiddenSize();
        int gh = spec.gates() * h;
        long t = x.getShape().get(0);
        long n = x.getShape().get(1);
        NDArray w = weight(ParameterLayout.w(l), d);
        NDArray r = weight(ParameterLayout.r(l), d);
        NDArray b = weight(ParameterLayout.b(l), d);
        NDArray wb = b.get(new NDIndex("0:{}", gh));
        NDArray rb = b.get(new NDIndex("{}:", gh));
        NDArray xp = linear(x.reshape(t * n, x.getShape().get(2)), w, wb).reshape(t, n, gh);
        NDArray peep = spec.cell().hasPeepholes() ? weight(ParameterLayout.p(l), d) : null;
        NDArray state = initialH == null ? m.zeros(new Shape(n, h)) : initialH;
        NDArray cell = initialC == null ? m.zeros(new Shape(n, h)) : initialC;
        NDList outputs = new NDList();
        for (int s = 0; s < t; s++) {
            NDArray a = xp.get(s);
            NDArray keep = validMask.get(s);
            NDArray newState;
            switch (spec.cell()) {
                case RNN_TANH -> newState = cells.rnn(a.add(linear(state, r, rb)));
                case GRU -> newState = cells.gru(a, state, r, rb).h();
                default -> {
                    ComposedCells.LstmStep step = cells.lstm(a.add(linear(state, r, rb)), cell, peep);
                    newState = step.h();
                    cell = step.c().mul(keep).add(cell.mul(keep.neg().add(1f)));
                }
            }
            outputs.add(newState);
            state = newState.mul(keep).add(state.mul(keep.neg().add(1f)));
        }
        return new Layer(NDArrays.stack(outputs, 0), state, spec.cell().hasCellState() ? cell : null);
    }
}
