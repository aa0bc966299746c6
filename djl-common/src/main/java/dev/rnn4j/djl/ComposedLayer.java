package dev.rnn4j.djl;

import static dev.rnn4j.djl.ComposedCells.linear;
import static dev.rnn4j.djl.ComposedCells.oneMinus;
import static dev.rnn4j.djl.ComposedCells.rows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.rnn4j.params.GruGate;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One direction of one recurrent layer composed from {@link ComposedCells}' steps, {@code [T, N, in] -> [T, N, H]}:
 * the forward (padded steps carry the state and output what the cell computed, which the network masks) and, when it
 * kept its steps, the BPTT through them, side by side.
 */
final class ComposedLayer {
    private final ModelSpec spec;
    private final ComposedCells cells;
    private final int l;
    private final int h;
    private final NDArray x;
    private final NDArray w;
    private final NDArray wb;
    private final ComposedCells.Recurrent recurrent;
    private final boolean keep;

    // what backward needs, kept by forward when asked to
    private final List<NDArray> hPrev = new ArrayList<>();
    private final List<NDArray> cPrev = new ArrayList<>();
    private final List<ComposedCells.Step> steps = new ArrayList<>();
    private NDArray validMask;

    /** {@code dL/d} of the initial state, after {@link #backward}. */
    NDArray dInitialH;
    NDArray dInitialC;

    /**
     * Direction {@code d} of layer {@code l} over {@code x [T, N, in]}, with the canonical parameters {@code p}; keeps
     * its steps for {@link #backward} when {@code keepForBackward}.
     */
    ComposedLayer(ModelSpec spec, ComposedCells cells, Map<String, NDArray> p, int l, int d, NDArray x,
                  boolean keepForBackward) {
        this.spec = spec;
        this.cells = cells;
        this.l = l;
        this.h = spec.hiddenSize();
        this.x = x;
        int gh = spec.gates() * h;
        NDArray b = cells.direction(p.get(ParameterLayout.b(l)), d);
        this.w = cells.direction(p.get(ParameterLayout.w(l)), d);
        this.wb = rows(b, 0, gh);
        this.recurrent = new ComposedCells.Recurrent(cells.direction(p.get(ParameterLayout.r(l)), d), rows(b, gh, 2 * gh),
                spec.cell().hasPeepholes() ? cells.direction(p.get(ParameterLayout.p(l)), d) : null);
        this.keep = keepForBackward;
    }

    /** The outputs {@code [T, N, H]} and the state after each sequence's last valid step, from (h0, c0) (null: zeros). */
    NetworkSkeleton.Layer forward(NDManager m, NDArray validMask, NDArray initialH, NDArray initialC) {
        this.validMask = validMask;
        long t = x.getShape().get(0);
        long n = x.getShape().get(1);
        NDArray xp = linear(x.reshape(t * n, x.getShape().get(2)), w, wb).reshape(t, n, (long) spec.gates() * h);
        NDArray state = initialH == null ? m.zeros(new Shape(n, h)) : initialH;
        NDArray cell = initialC == null ? m.zeros(new Shape(n, h)) : initialC;
        NDList outputs = new NDList();
        for (int s = 0; s < t; s++) {
            NDArray valid = validMask.get(s);
            if (keep) {
                hPrev.add(state);
                cPrev.add(cell);
            }
            ComposedCells.Step step = cells.forward(xp.get(s), state, cell, recurrent);
            if (keep) {
                steps.add(step);
            }
            if (step instanceof ComposedCells.LstmStep lstm) {
                cell = lstm.c().mul(valid).add(cell.mul(oneMinus(valid)));
            }
            outputs.add(step.h());
            state = step.h().mul(valid).add(state.mul(oneMinus(valid)));
        }
        return new NetworkSkeleton.Layer(NDArrays.stack(outputs, 0), state,
                spec.cell().hasCellState() ? cell : null);
    }

    /**
     * Back-propagates {@code dy [T, N, H]} through the kept steps; puts this direction's parameter gradients into
     * {@code g} under the canonical names; returns {@code dx}.
     */
    NDArray backward(NDManager m, NDArray dy, Map<String, NDArray> g) {
        if (!keep) {
            throw new IllegalStateException("this layer kept no steps for backward");
        }
        int gh = spec.gates() * h;
        long t = x.getShape().get(0);
        long n = x.getShape().get(1);
        NDArray r = recurrent.r();
        // rows of R fed by h_{t-1} directly: all but the GRU candidate's when linear_before_reset = 0
        int k = spec.cell() == CellType.GRU && !spec.linearBeforeReset() ? GruGate.H.offset(h) : gh;
        NDArray dh = m.zeros(new Shape(n, h));
        NDArray dc = m.zeros(new Shape(n, h));
        NDArray dPeep = spec.cell().hasPeepholes() ? m.zeros(new Shape(3L * h)) : null;
        NDArray[] dA = new NDArray[(int) t];
        NDArray[] dRec = new NDArray[(int) t];
        NDArray[] rhAll = new NDArray[(int) t];
        for (int s = (int) t - 1; s >= 0; s--) {
            NDArray valid = validMask.get(s);
            NDArray dht = dy.get(s).add(dh);
            ComposedCells.StepGradients step = cells.backward(steps.get(s), hPrev.get(s), cPrev.get(s), dht, dc,
                    recurrent);
            dA[s] = step.dA().mul(valid);
            dRec[s] = step.dRec().mul(valid);
            NDArray dhPrev = step.dhPrevDirect().add(dRec[s].get(new NDIndex(":, 0:{}", k)).matMul(rows(r, 0, k)));
            dh = dhPrev.mul(valid).add(dht.mul(oneMinus(valid)));
            if (step.dcPrev() != null) {
                dc = step.dcPrev().mul(valid).add(dc.mul(oneMinus(valid)));
            }
            if (dPeep != null) {
                dPeep = dPeep.add(step.dPeep().mul(valid).sum(new int[] {0}));
            }
            rhAll[s] = step.resetTimesH();
        }
        dInitialH = dh;
        dInitialC = spec.cell().hasCellState() ? dc : null;
        NDArray dAll = NDArrays.stack(new NDList(dA), 0).reshape(t * n, gh);
        NDArray dRecAll = NDArrays.stack(new NDList(dRec), 0).reshape(t * n, gh);
        NDArray x2 = x.reshape(t * n, x.getShape().get(2));
        NDArray h2 = NDArrays.stack(new NDList(hPrev), 0).reshape(t * n, h);
        g.put(ParameterLayout.w(l), dAll.transpose().matMul(x2));
        NDArray dR = dRecAll.get(new NDIndex(":, 0:{}", k)).transpose().matMul(h2);
        if (k < gh) {
            NDArray rh = NDArrays.stack(new NDList(rhAll), 0).reshape(t * n, h);
            dR = NDArrays.concat(new NDList(dR, dRecAll.get(new NDIndex(":, {}:", k)).transpose().matMul(rh)), 0);
        }
        g.put(ParameterLayout.r(l), dR);
        g.put(ParameterLayout.b(l), NDArrays.concat(new NDList(dAll.sum(new int[] {0}), dRecAll.sum(new int[] {0})), 0));
        if (dPeep != null) {
            g.put(ParameterLayout.p(l), dPeep);
        }
        return dAll.matMul(w).reshape(t, n, x.getShape().get(2));
    }
}
