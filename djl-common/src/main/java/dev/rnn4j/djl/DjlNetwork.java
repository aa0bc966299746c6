package dev.rnn4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.recurrent.RNN;
import dev.rnn4j.data.Batch;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

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

    /** Output {@code [N, 1, C]} or {@code [N, T, C]}; dropout only when {@code dropoutRng != null}. */
    NDArray forward(NDManager m, Batch b, SplittableRandom dropoutRng) {
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
            return linear(x, p.get(ParameterLayout.HEAD_W), p.get(ParameterLayout.HEAD_B)).reshape(n, 1, spec.outputSize());
        }
        NDArray validMask = Masks.valid(m, b);
        NDArray x = input.transpose(1, 0, 2);
        for (int l = 0; l < spec.numLayers(); l++) {
            x = (fusedCell() ? fusedLayer(m, l, x) : composedLayer(m, l, x, validMask)).mul(validMask);
            if (l < spec.numLayers() - 1) {
                x = dropout(m, x, dropoutRng);
            }
        }
        NDArray w = p.get(ParameterLayout.HEAD_W);
        NDArray bias = p.get(ParameterLayout.HEAD_B);
        if (spec.outputMode() == OutputMode.LAST_STEP) {
            NDArray lastStep = x.mul(Masks.lastStep(m, b)).sum(new int[] {0});
            return linear(lastStep, w, bias).reshape(n, 1, spec.outputSize());
        }
        NDArray perStep = linear(x.transpose(1, 0, 2).reshape((long) n * t, h), w, bias)
                .reshape(n, t, spec.outputSize());
        return perStep.mul(validMask.transpose(1, 0, 2));
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
     * gate order ({@link GateLayout}).
     */
    private NDArray fusedLayer(NDManager m, int l, NDArray x) {
        int h = spec.hiddenSize();
        int gh = spec.gates() * h;
        NDArray b = p.get(ParameterLayout.b(l));
        NDList params = new NDList(p.get(ParameterLayout.w(l)), p.get(ParameterLayout.r(l)),
                b.get(new NDIndex("0:{}", gh)), b.get(new NDIndex("{}:", gh)));
        NDArray h0 = m.zeros(new Shape(1, x.getShape().get(1), h));
        NDList out = switch (spec.cell()) {
            case LSTM -> x.getNDArrayInternal().lstm(x, new NDList(h0, m.zeros(h0.getShape())), params, true, 1, 0.0,
                    false, false, false);
            case GRU -> x.getNDArrayInternal().gru(x, h0, params, true, 1, 0.0, false, false, false);
            default -> x.getNDArrayInternal().rnn(x, h0, params, true, 1, RNN.Activation.TANH, 0.0, false, false, false);
        };
        return out.get(0);
    }

    /** One layer composed from {@link ComposedCells}' steps: {@code [T, N, in] -> [T, N, H]}; padded steps keep the state. */
    private NDArray composedLayer(NDManager m, int l, NDArray x, NDArray validMask) {
        int h = spec.hiddenSize();
        int gh = spec.gates() * h;
        long t = x.getShape().get(0);
        long n = x.getShape().get(1);
        NDArray w = p.get(ParameterLayout.w(l));
        NDArray r = p.get(ParameterLayout.r(l));
        NDArray b = p.get(ParameterLayout.b(l));
        NDArray wb = b.get(new NDIndex("0:{}", gh));
        NDArray rb = b.get(new NDIndex("{}:", gh));
        NDArray xp = linear(x.reshape(t * n, x.getShape().get(2)), w, wb).reshape(t, n, gh);
        NDArray peep = spec.cell() == CellType.LSTM_PEEPHOLE ? p.get(ParameterLayout.p(l)) : null;
        NDArray state = m.zeros(new Shape(n, h));
        NDArray cell = m.zeros(new Shape(n, h));
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
        return NDArrays.stack(outputs, 0);
    }
}
