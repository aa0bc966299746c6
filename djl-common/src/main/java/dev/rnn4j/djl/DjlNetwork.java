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
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The forward graph of a {@link ModelSpec} in DJL NDArray ops ({@link NetworkSkeleton}), for inference and for training
 * with autograd. Composed cells follow the ONNX equations step by step ({@link ComposedLayer}); fused cells (those in
 * {@code fusedCells} among RNN, LSTM, GRU with linear_before_reset) call libtorch's {@code rnn/lstm/gru} on weights
 * the model keeps in PyTorch's gate order ({@link GateLayout}).
 */
final class DjlNetwork extends NetworkSkeleton {
    private final Set<CellType> fusedCells;

    /**
     * @param params canonical tensors by name
     * @param fusedCells cells to run as libtorch's fused ops (only RNN, LSTM and GRU with linear_before_reset
     *                   have one; PyTorch engine only)
     */
    DjlNetwork(ModelSpec spec, Map<String, NDArray> params, Set<CellType> fusedCells) {
        super(spec, params);
        this.fusedCells = Set.copyOf(fusedCells);
    }

    /** Output {@code [N, 1, C]} or {@code [N, T, C]}; dropout only when {@code dropoutRng != null}. */
    NDArray forward(NDManager m, Batch b, SplittableRandom dropoutRng) {
        return forward(m, b, dropoutRng, null, false).output();
    }

    /**
     * One direction, fused when the cell has a fused op. A fused op's {@code h_n} is the state after step T: when the
     * state is wanted, it runs segment by segment ending at each of the batch's lengths ({@link #fusedLayer}).
     */
    @Override
    protected Layer direction(NDManager m, int l, int d, NDArray x, NDArray h0, NDArray c0, boolean wantState) {
        if (fusedCell()) {
            int[] stateSteps = wantState ? Arrays.stream(batch.lengths()).distinct().sorted().toArray() : new int[0];
            return fusedLayer(m, l, d, x, h0, c0, batch.lengths(), stateSteps);
        }
        return new ComposedLayer(spec, cells, p, l, d, x, false).forward(m, validMask, h0, c0);
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
}
