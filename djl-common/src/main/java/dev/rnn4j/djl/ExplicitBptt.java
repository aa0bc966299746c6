package dev.rnn4j.djl;

import static dev.rnn4j.djl.ComposedCells.linear;
import static dev.rnn4j.djl.ComposedCells.oneMinus;
import static dev.rnn4j.djl.ComposedCells.rows;
import dev.rnn4j.params.GruGate;
import dev.rnn4j.params.LstmGate;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Training without autograd: the forward pass keeps what backward needs and backward applies the cells' own
 * BPTT equations (the same ones as the native engine's cells) with plain NDArray ops: matMul, element-wise
 * arithmetic, sigmoid/tanh, slicing, stack, concat and sum. This is how the {@code tensorflow} backend trains,
 * since DJL's TensorFlow engine cannot record gradients.
 *
 * <p>Layout as in {@link DjlNetwork}: time-major {@code [T, N, ...]}, canonical (ONNX) gate blocks, padded steps
 * carry the state and output zero; dropout masks drawn like the native engine's.
 */
final class ExplicitBptt {
    private final ModelSpec spec;
    private final Map<String, NDArray> p;
    private final int h;
    private final ComposedCells cells;

    // caches of the last forward
    private Batch batch;
    private NDArray validMask;
    private NDArray lastOneHot;
    private final List<Layer> layers = new ArrayList<>();
    /** Bidirectional layers' reverse directions, by layer (empty when the spec has one direction). */
    private final List<Layer> reverseLayers = new ArrayList<>();
    private final List<NDArray> dropoutMasks = new ArrayList<>();
    private NDArray headInput;

    ExplicitBptt(ModelSpec spec, Map<String, NDArray> params) {
        this.spec = spec;
        this.p = params;
        this.h = spec.hiddenSize();
        this.cells = new ComposedCells(spec);
    }

    /**
     * Output {@code [N, 1, C]} or {@code [N, T, C]} and the final state, from {@code initial} (zeros when {@code null}),
     * keeping caches in {@code m}.
     */
    DjlNetwork.Pass forward(NDManager m, Batch b, SplittableRandom dropoutRng, DjlNetwork.States initial) {
        this.batch = b;
        layers.clear();
        dropoutMasks.clear();
        int n = b.size();
        int t = b.steps();
        NDArray input = m.create(b.inputs(), new Shape(n, t, b.inputSize()));
        if (spec.cell() == CellType.MLP) {
            NDArray x = input.reshape(n, (long) t * b.inputSize());
            for (int l = 0; l < spec.numLayers(); l++) {
                Layer layer = new Layer(l, 0, x);
                x = linear(x, p.get(ParameterLayout.w(l)), p.get(ParameterLayout.b(l))).tanh();
                layer.y = x;
                layers.add(layer);
                if (l < spec.numLayers() - 1) {
                    x = dropout(m, x, dropoutRng);
                }
            }
            headInput = x;
            return new DjlNetwork.Pass(linear(x, p.get(ParameterLayout.HEAD_W), p.get(ParameterLayout.HEAD_B))
                    .reshape(n, 1, spec.outputSize()), null);
        }
        validMask = Masks.valid(m, b);
        lastOneHot = Masks.lastStep(m, b);
        NDArray x = input.transpose(1, 0, 2);
        List<NDArray> endH = new ArrayList<>();
        List<NDArray> endC = new ArrayList<>();
        reverseLayers.clear();
        for (int l = 0; l < spec.numLayers(); l++) {
            NDArray h0 = initial == null ? null : initial.h().get(l);
            NDArray c0 = initial == null ? null : initial.c().get(l);
            Layer layer = new Layer(l, 0, x);
            NDArray y = layer.forward(m, cells.direction(h0, 0), cells.direction(c0, 0));
            layers.add(layer);
            if (spec.directions() == 1) {
                endH.add(layer.endH);
                endC.add(layer.endC);
            } else {
                // the reverse direction reads each sequence backwards from its last valid step; outputs side by side
                Layer reverse = new Layer(l, 1, Masks.reverseInTime(m, x, b.lengths()));
                NDArray yr = reverse.forward(m, cells.direction(h0, 1), cells.direction(c0, 1));
                reverseLayers.add(reverse);
                y = NDArrays.concat(new NDList(y, Masks.reverseInTime(m, yr, b.lengths())), 2);
                endH.add(NDArrays.stack(new NDList(layer.endH, reverse.endH), 0));
                endC.add(layer.endC == null ? null : NDArrays.stack(new NDList(layer.endC, reverse.endC), 0));
            }
            x = y.mul(validMask);
            if (l < spec.numLayers() - 1) {
                x = dropout(m, x, dropoutRng);
            }
        }
        NDArray w = p.get(ParameterLayout.HEAD_W);
        NDArray bias = p.get(ParameterLayout.HEAD_B);
        DjlNetwork.States end = new DjlNetwork.States(endH, endC);
        if (spec.outputMode() == OutputMode.LAST_STEP) {
            headInput = x.mul(lastOneHot).sum(new int[] {0});
            if (spec.directions() == 2) {
                // [h_forward at the last valid step, h_reverse at step 0]: each direction's final state
                headInput = NDArrays.concat(new NDList(headInput.get(new NDIndex(":, 0:{}", h)),
                        x.get(new NDIndex("0, :, {}:", h))), 1);
            }
            return new DjlNetwork.Pass(linear(headInput, w, bias).reshape(n, 1, spec.outputSize()), end);
        }
        headInput = x.transpose(1, 0, 2).reshape((long) n * t, spec.layerOutputSize());
        return new DjlNetwork.Pass(linear(headInput, w, bias).reshape(n, t, spec.outputSize())
                .mul(validMask.transpose(1, 0, 2)), end);
    }

    /** {@code dL/dInitialState} of the last backward: per layer {@code [N, H]} h and c (c null without one). */
    DjlNetwork.States initialStateGradient() {
        List<NDArray> dh = new ArrayList<>();
        List<NDArray> dc = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (spec.directions() == 1) {
                dh.add(layer.dInitialH);
                dc.add(layer.dInitialC);
            } else {
                Layer reverse = reverseLayers.get(l);
                dh.add(NDArrays.stack(new NDList(layer.dInitialH, reverse.dInitialH), 0));
                dc.add(layer.dInitialC == null ? null : NDArrays.stack(new NDList(layer.dInitialC, reverse.dInitialC), 0));
            }
        }
        return new DjlNetwork.States(dh, dc);
    }

    /** Gradients of every canonical parameter for {@code dOut = dLoss/dOutput}. */
    Map<String, NDArray> backward(NDManager m, NDArray dOut) {
        Map<String, NDArray> g = new HashMap<>();
        int n = batch.size();
        int t = batch.steps();
        NDArray dHeadOut = dOut.reshape(-1, spec.outputSize());
        g.put(ParameterLayout.HEAD_W, dHeadOut.transpose().matMul(headInput));
        g.put(ParameterLayout.HEAD_B, dHeadOut.sum(new int[] {0}));
        NDArray dx = dHeadOut.matMul(p.get(ParameterLayout.HEAD_W));
        if (spec.cell() == CellType.MLP) {
            for (int l = layers.size() - 1; l >= 0; l--) {
                if (l < dropoutMasks.size()) {
                    dx = dx.mul(dropoutMasks.get(l));
                }
                Layer layer = layers.get(l);
                NDArray da = dx.mul(layer.y.mul(layer.y).neg().add(1f));
                g.put(ParameterLayout.w(l), da.transpose().matMul(layer.x));
                g.put(ParameterLayout.b(l), da.sum(new int[] {0}));
                dx = da.matMul(p.get(ParameterLayout.w(l)));
            }
            return g;
        }
        NDArray dy;
        if (spec.outputMode() == OutputMode.EVERY_STEP) {
            dy = dx.reshape(n, t, spec.layerOutputSize()).transpose(1, 0, 2).mul(validMask);
        } else if (spec.directions() == 1) {
            dy = lastOneHot.mul(dx.reshape(1, n, h));
        } else {
            // the forward half came from each last valid step, the reverse half from step 0
            NDArray first = Masks.firstStep(m, batch);
            dy = NDArrays.concat(new NDList(lastOneHot.mul(dx.get(new NDIndex(":, 0:{}", h)).reshape(1, n, h)),
                    first.mul(dx.get(new NDIndex(":, {}:", h)).reshape(1, n, h))), 2);
        }
        for (int l = layers.size() - 1; l >= 0; l--) {
            if (l < dropoutMasks.size()) {
                dy = dy.mul(dropoutMasks.get(l));
            }
            dy = dy.mul(validMask);
            if (spec.directions() == 1) {
                dy = layers.get(l).backward(m, dy, g);
                continue;
            }
            Map<String, NDArray> forward = new HashMap<>();
            Map<String, NDArray> reverse = new HashMap<>();
            NDArray dxf = layers.get(l).backward(m, dy.get(new NDIndex(":, :, 0:{}", h)), forward);
            NDArray dxr = reverseLayers.get(l).backward(m,
                    Masks.reverseInTime(m, dy.get(new NDIndex(":, :, {}:", h)), batch.lengths()), reverse);
            forward.forEach((name, grad) -> g.put(name, NDArrays.stack(new NDList(grad, reverse.get(name)), 0)));
            dy = dxf.add(Masks.reverseInTime(m, dxr, batch.lengths()));
        }
        return g;
    }

    private NDArray dropout(NDManager m, NDArray x, SplittableRandom rng) {
        if (rng == null || spec.dropout() == 0f) {
            return x;
        }
        NDArray mk = Masks.dropout(m, x, spec.dropout(), rng);
        dropoutMasks.add(mk);
        return x.mul(mk);
    }

    /**
     * One step's backward results.
     *
     * @param dA           gradients of the input-side pre-activations {@code [N, G*H]}
     * @param dRec         gradients of the recurrent-side pre-activations {@code [N, G*H]}
     * @param dhPrevDirect the part of {@code dL/dh_{t-1}} not through {@code dRec R} (GRU: through z and r*h)
     * @param dcPrev       {@code dL/dc_{t-1}} (LSTM), else {@code null}
     * @param dPeep        peephole gradients {@code [N, 3H]} (peephole LSTM), else {@code null}
     * @param resetTimesH  {@code r * h_{t-1}} (GRU with linear_before_reset = 0: feeds dR_h), else {@code null}
     */
    private record StepGradients(NDArray dA, NDArray dRec, NDArray dhPrevDirect, NDArray dcPrev, NDArray dPeep,
                                 NDArray resetTimesH) {
    }

    /** One layer's forward caches and its BPTT. */
    private final class Layer {
        final int l;
        /** The direction (0 forward, 1 reverse): which half of the layer's parameters this one uses. */
        final int d;
        final NDArray x;
        NDArray y;
        final List<NDArray> hPrev = new ArrayList<>();
        final List<NDArray> cPrev = new ArrayList<>();
        /** Each step's forward results: the new h (RNN), or the cell's step record (LSTM, GRU). */
        final List<Object> cache = new ArrayList<>();
        /** The state after the last valid step, and {@code dL/d} of the initial state after backward. */
        NDArray endH;
        NDArray endC;
        NDArray dInitialH;
        NDArray dInitialC;

        Layer(int l, int d, NDArray x) {
            this.l = l;
            this.d = d;
            this.x = x;
        }

        /** Direction d's half of parameter {@code name} (the whole tensor when the spec has one direction). */
        NDArray weight(String name) {
            return cells.direction(p.get(name), d);
        }

        NDArray forward(NDManager m, NDArray initialH, NDArray initialC) {
            int gh = spec.gates() * h;
            long t = x.getShape().get(0);
            long n = x.getShape().get(1);
            NDArray b = weight(ParameterLayout.b(l));
            NDArray xp = linear(x.reshape(t * n, x.getShape().get(2)), weight(ParameterLayout.w(l)), rows(b, 0, gh))
                    .reshape(t, n, gh);
            NDArray r = weight(ParameterLayout.r(l));
            NDArray rb = rows(b, gh, 2 * gh);
            NDArray peep = spec.cell().hasPeepholes() ? weight(ParameterLayout.p(l)) : null;
            NDArray state = initialH == null ? m.zeros(new Shape(n, h)) : initialH;
            NDArray cell = initialC == null ? m.zeros(new Shape(n, h)) : initialC;
            NDList outs = new NDList();
            for (int s = 0; s < t; s++) {
                NDArray keep = validMask.get(s);
                hPrev.add(state);
                cPrev.add(cell);
                NDArray a = xp.get(s);
                NDArray newState;
                switch (spec.cell()) {
                    case RNN_TANH -> {
                        newState = cells.rnn(a.add(linear(state, r, rb)));
                        cache.add(newState);
                    }
                    case GRU -> {
                        ComposedCells.GruStep step = cells.gru(a, state, r, rb);
                        newState = step.h();
                        cache.add(step);
                    }
                    default -> {
                        ComposedCells.LstmStep step = cells.lstm(a.add(linear(state, r, rb)), cell, peep);
                        newState = step.h();
                        cell = step.c().mul(keep).add(cell.mul(oneMinus(keep)));
                        cache.add(step);
                    }
                }
                outs.add(newState);
                state = newState.mul(keep).add(state.mul(oneMinus(keep)));
            }
            y = NDArrays.stack(outs, 0);
            endH = state;
            endC = spec.cell().hasCellState() ? cell : null;
            return y;
        }

        /** Back-propagates {@code dy [T, N, H]}; adds this layer's parameter gradients to {@code g}; returns dx. */
        NDArray backward(NDManager m, NDArray dy, Map<String, NDArray> g) {
            int gh = spec.gates() * h;
            long t = x.getShape().get(0);
            long n = x.getShape().get(1);
            NDArray r = weight(ParameterLayout.r(l));
            // rows of R fed by h_{t-1} directly: all but the GRU candidate's when linear_before_reset = 0
            int k = spec.cell() == CellType.GRU && !spec.linearBeforeReset() ? GruGate.H.offset(h) : gh;
            NDArray dh = m.zeros(new Shape(n, h));
            NDArray dc = m.zeros(new Shape(n, h));
            NDArray dPeep = spec.cell().hasPeepholes() ? m.zeros(new Shape(3L * h)) : null;
            NDArray[] dA = new NDArray[(int) t];
            NDArray[] dRec = new NDArray[(int) t];
            NDArray[] rhAll = new NDArray[(int) t];
            for (int s = (int) t - 1; s >= 0; s--) {
                NDArray keep = validMask.get(s);
                NDArray dht = dy.get(s).add(dh);
                StepGradients step = switch (spec.cell()) {
                    case RNN_TANH -> rnnBackward((NDArray) cache.get(s), dht);
                    case GRU -> gruBackward((ComposedCells.GruStep) cache.get(s), hPrev.get(s), dht, r);
                    default -> lstmBackward((ComposedCells.LstmStep) cache.get(s), cPrev.get(s), dht, dc);
                };
                dA[s] = step.dA().mul(keep);
                dRec[s] = step.dRec().mul(keep);
                NDArray dhPrev = step.dhPrevDirect().add(dRec[s].get(new NDIndex(":, 0:{}", k)).matMul(rows(r, 0, k)));
                dh = dhPrev.mul(keep).add(dht.mul(oneMinus(keep)));
                if (step.dcPrev() != null) {
                    dc = step.dcPrev().mul(keep).add(dc.mul(oneMinus(keep)));
                }
                if (dPeep != null) {
                    dPeep = dPeep.add(step.dPeep().mul(keep).sum(new int[] {0}));
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
            return dAll.matMul(weight(ParameterLayout.w(l))).reshape(t, n, x.getShape().get(2));
        }

        // --- RNN: h = tanh(a); da = dh (1 - h^2) -------------------------------------------------------
        StepGradients rnnBackward(NDArray hNew, NDArray dh) {
            NDArray da = dh.mul(oneMinus(hNew.mul(hNew)));
            return new StepGradients(da, da, dh.zerosLike(), null, null, null);
        }

        // --- LSTM (blocks i, o, f, c; peephole and coupled variants), forward in ComposedCells.lstm ------
        StepGradients lstmBackward(ComposedCells.LstmStep k, NDArray cPrevious, NDArray dh, NDArray dcIn) {
            NDArray peep = spec.cell().hasPeepholes() ? weight(ParameterLayout.p(l)) : null;
            NDArray i = k.i();
            NDArray f = k.f();
            NDArray gg = k.g();
            NDArray o = k.o();
            NDArray tc = k.tanhC();
            NDArray dao = dh.mul(tc).mul(o).mul(oneMinus(o));
            NDArray dc = dcIn.add(dh.mul(o).mul(oneMinus(tc.mul(tc))));
            if (peep != null) {
                dc = dc.add(dao.mul(cells.peephole(peep, LstmGate.O)));
            }
            NDArray di = dc.mul(gg);
            NDArray daf;
            if (spec.cell().couplesInputAndForget()) {
                di = di.sub(dc.mul(cPrevious));
                daf = dh.zerosLike();
            } else {
                daf = dc.mul(cPrevious).mul(f).mul(oneMinus(f));
            }
            NDArray dai = di.mul(i).mul(oneMinus(i));
            NDArray dag = dc.mul(i).mul(oneMinus(gg.mul(gg)));
            NDArray dcPrev = dc.mul(f);
            NDArray dP = null;
            if (peep != null) {
                dcPrev = dcPrev.add(dai.mul(cells.peephole(peep, LstmGate.I))).add(daf.mul(cells.peephole(peep, LstmGate.F)));
                dP = NDArrays.concat(new NDList(dai.mul(cPrevious), dao.mul(k.c()), daf.mul(cPrevious)), 1); // P order i, o, f
            }
            NDArray da = NDArrays.concat(new NDList(dai, dao, daf, dag), 1); // gate order i, o, f, c
            return new StepGradients(da, da, dh.zerosLike(), dcPrev, dP, null);
        }

        // --- GRU (blocks z, r, h; both linear_before_reset variants), forward in ComposedCells.gru ---------
        StepGradients gruBackward(ComposedCells.GruStep k, NDArray state, NDArray dh, NDArray r) {
            NDArray z = k.z();
            NDArray reset = k.r();
            NDArray cand = k.candidate();
            NDArray dah = dh.mul(oneMinus(z)).mul(oneMinus(cand.mul(cand)));
            NDArray dz = dh.mul(state.sub(cand));
            NDArray dhPrev = dh.mul(z);
            NDArray dr;
            NDArray dRecH;
            NDArray rhForGrad = null;
            if (spec.linearBeforeReset()) {
                dr = dah.mul(k.q());
                dRecH = dah.mul(reset);
            } else {
                NDArray drh = dah.matMul(cells.block(r, GruGate.H));
                dr = drh.mul(state);
                dhPrev = dhPrev.add(drh.mul(reset));
                dRecH = dah;
                rhForGrad = k.q();
            }
            NDArray daz = dz.mul(z).mul(oneMinus(z));
            NDArray dar = dr.mul(reset).mul(oneMinus(reset));
            NDArray dA = NDArrays.concat(new NDList(daz, dar, dah), 1); // gate order z, r, h
            NDArray dRec = NDArrays.concat(new NDList(daz, dar, dRecH), 1);
            return new StepGradients(dA, dRec, dhPrev, null, null, rhForGrad);
        }
    }
}
