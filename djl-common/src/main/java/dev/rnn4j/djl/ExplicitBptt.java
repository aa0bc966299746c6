package dev.rnn4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.rnn4j.data.Batch;
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

    // caches of the last forward
    private Batch batch;
    private NDArray validMask;
    private NDArray lastOneHot;
    private final List<Layer> layers = new ArrayList<>();
    private final List<NDArray> dropoutMasks = new ArrayList<>();
    private NDArray headInput;

    ExplicitBptt(ModelSpec spec, Map<String, NDArray> params) {
        this.spec = spec;
        this.p = params;
        this.h = spec.hiddenSize();
    }

    /** Output {@code [N, 1, C]} or {@code [N, T, C]}, keeping caches in {@code m}. */
    NDArray forward(NDManager m, Batch b, SplittableRandom dropoutRng) {
        this.batch = b;
        layers.clear();
        dropoutMasks.clear();
        int n = b.size();
        int t = b.steps();
        NDArray input = m.create(b.inputs(), new Shape(n, t, b.inputSize()));
        if (spec.cell() == CellType.MLP) {
            NDArray x = input.reshape(n, (long) t * b.inputSize());
            for (int l = 0; l < spec.numLayers(); l++) {
                Layer layer = new Layer(l, x);
                x = linear(x, p.get(ParameterLayout.w(l)), p.get(ParameterLayout.b(l))).tanh();
                layer.y = x;
                layers.add(layer);
                if (l < spec.numLayers() - 1) {
                    x = dropout(m, x, dropoutRng);
                }
            }
            headInput = x;
            return linear(x, p.get(ParameterLayout.HEAD_W), p.get(ParameterLayout.HEAD_B)).reshape(n, 1, spec.outputSize());
        }
        validMask = Masks.valid(m, b);
        lastOneHot = Masks.lastStep(m, b);
        NDArray x = input.transpose(1, 0, 2);
        for (int l = 0; l < spec.numLayers(); l++) {
            Layer layer = new Layer(l, x);
            x = layer.forward(m).mul(validMask);
            layers.add(layer);
            if (l < spec.numLayers() - 1) {
                x = dropout(m, x, dropoutRng);
            }
        }
        NDArray w = p.get(ParameterLayout.HEAD_W);
        NDArray bias = p.get(ParameterLayout.HEAD_B);
        if (spec.outputMode() == OutputMode.LAST_STEP) {
            headInput = x.mul(lastOneHot).sum(new int[] {0});
            return linear(headInput, w, bias).reshape(n, 1, spec.outputSize());
        }
        headInput = x.transpose(1, 0, 2).reshape((long) n * t, h);
        return linear(headInput, w, bias).reshape(n, t, spec.outputSize()).mul(validMask.transpose(1, 0, 2));
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
        NDArray dy = spec.outputMode() == OutputMode.LAST_STEP
                ? lastOneHot.mul(dx.reshape(1, n, h))
                : dx.reshape(n, t, h).transpose(1, 0, 2).mul(validMask);
        for (int l = layers.size() - 1; l >= 0; l--) {
            if (l < dropoutMasks.size()) {
                dy = dy.mul(dropoutMasks.get(l));
            }
            dy = layers.get(l).backward(m, dy.mul(validMask), g);
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

    private static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return x.matMul(w.transpose()).add(b);
    }

    private static NDArray sigmoid(NDArray x) {
        return x.getNDArrayInternal().sigmoid();
    }

    private static NDArray oneMinus(NDArray x) {
        return x.neg().add(1f);
    }

    /** Columns of gate block k of {@code [N, G*H]}. */
    private NDArray col(NDArray a, int k) {
        return a.get(new NDIndex(":, {}:{}", k * h, (k + 1) * h));
    }

    private NDArray rows(NDArray a, int from, int to) {
        return a.getShape().dimension() == 1 ? a.get(new NDIndex("{}:{}", from, to)) : a.get(new NDIndex("{}:{}, :", from, to));
    }

    /** One layer's forward caches and its BPTT. */
    private final class Layer {
        final int l;
        final NDArray x;
        NDArray y;
        final List<NDArray> hPrev = new ArrayList<>();
        final List<NDArray> cPrev = new ArrayList<>();
        final List<NDArray[]> cache = new ArrayList<>();

        Layer(int l, NDArray x) {
            this.l = l;
            this.x = x;
        }

        NDArray forward(NDManager m) {
            int gh = spec.gates() * h;
            long t = x.getShape().get(0);
            long n = x.getShape().get(1);
            NDArray b = p.get(ParameterLayout.b(l));
            NDArray xp = linear(x.reshape(t * n, x.getShape().get(2)), p.get(ParameterLayout.w(l)), rows(b, 0, gh))
                    .reshape(t, n, gh);
            NDArray r = p.get(ParameterLayout.r(l));
            NDArray rb = rows(b, gh, 2 * gh);
            NDArray state = m.zeros(new Shape(n, h));
            NDArray cell = m.zeros(new Shape(n, h));
            NDList outs = new NDList();
            for (int s = 0; s < t; s++) {
                NDArray keep = validMask.get(s);
                hPrev.add(state);
                cPrev.add(cell);
                NDArray a = xp.get(s);
                NDArray[] step = switch (spec.cell()) {
                    case RNN_TANH -> rnnForward(a.add(linear(state, r, rb)));
                    case GRU -> gruForward(a, state, r, rb);
                    default -> lstmForward(a.add(linear(state, r, rb)), cell);
                };
                cache.add(step);
                NDArray newState = step[0];
                outs.add(newState);
                state = newState.mul(keep).add(state.mul(oneMinus(keep)));
                if (spec.cell().isLstm()) {
                    cell = step[1].mul(keep).add(cell.mul(oneMinus(keep)));
                }
            }
            y = NDArrays.stack(outs, 0);
            return y;
        }

        /** Back-propagates {@code dy [T, N, H]}; adds this layer's parameter gradients to {@code g}; returns dx. */
        NDArray backward(NDManager m, NDArray dy, Map<String, NDArray> g) {
            int gh = spec.gates() * h;
            long t = x.getShape().get(0);
            long n = x.getShape().get(1);
            NDArray r = p.get(ParameterLayout.r(l));
            int k = spec.cell() == CellType.GRU && !spec.linearBeforeReset() ? 2 * h : gh;
            NDArray dh = m.zeros(new Shape(n, h));
            NDArray dc = m.zeros(new Shape(n, h));
            NDArray dPeep = spec.cell() == CellType.LSTM_PEEPHOLE ? m.zeros(new Shape(3L * h)) : null;
            NDArray[] dA = new NDArray[(int) t];
            NDArray[] dRec = new NDArray[(int) t];
            NDArray[] rhAll = new NDArray[(int) t];
            for (int s = (int) t - 1; s >= 0; s--) {
                NDArray keep = validMask.get(s);
                NDArray dht = dy.get(s).add(dh);
                // result: {dA, dRec, dhPrev (direct part), dcPrev, dP, r*hPrev}
                NDArray[] step = switch (spec.cell()) {
                    case RNN_TANH -> rnnBackward(cache.get(s), dht);
                    case GRU -> gruBackward(cache.get(s), hPrev.get(s), dht, r);
                    default -> lstmBackward(cache.get(s), cPrev.get(s), dht, dc);
                };
                dA[s] = step[0].mul(keep);
                dRec[s] = step[1].mul(keep);
                NDArray dhPrev = step[2].add(dRec[s].get(new NDIndex(":, 0:{}", k)).matMul(rows(r, 0, k)));
                dh = dhPrev.mul(keep).add(dht.mul(oneMinus(keep)));
                if (step[3] != null) {
                    dc = step[3].mul(keep).add(dc.mul(oneMinus(keep)));
                }
                if (dPeep != null) {
                    dPeep = dPeep.add(step[4].mul(keep).sum(new int[] {0}));
                }
                rhAll[s] = step[5];
            }
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
            return dAll.matMul(p.get(ParameterLayout.w(l))).reshape(t, n, x.getShape().get(2));
        }

        // --- RNN: h = tanh(a); da = dh (1 - h^2) -------------------------------------------------------
        NDArray[] rnnForward(NDArray a) {
            return new NDArray[] {a.tanh()};
        }

        NDArray[] rnnBackward(NDArray[] c, NDArray dh) {
            NDArray da = dh.mul(oneMinus(c[0].mul(c[0])));
            return new NDArray[] {da, da, dh.zerosLike(), null, null, null};
        }

        // --- LSTM (blocks i, o, f, c; peephole and coupled variants) -------------------------------------
        NDArray[] lstmForward(NDArray a, NDArray cPrevious) {
            NDArray peep = spec.cell() == CellType.LSTM_PEEPHOLE ? p.get(ParameterLayout.p(l)) : null;
            NDArray ai = col(a, 0);
            NDArray af = col(a, 2);
            if (peep != null) {
                ai = ai.add(cPrevious.mul(rows(peep, 0, h)));
                af = af.add(cPrevious.mul(rows(peep, 2 * h, 3 * h)));
            }
            NDArray i = sigmoid(ai);
            NDArray f = spec.cell() == CellType.LSTM_CIFG ? oneMinus(i) : sigmoid(af);
            NDArray gg = col(a, 3).tanh();
            NDArray c = f.mul(cPrevious).add(i.mul(gg));
            NDArray ao = col(a, 1);
            if (peep != null) {
                ao = ao.add(c.mul(rows(peep, h, 2 * h)));
            }
            NDArray o = sigmoid(ao);
            NDArray tc = c.tanh();
            return new NDArray[] {o.mul(tc), c, i, f, gg, o, tc};
        }

        NDArray[] lstmBackward(NDArray[] k, NDArray cPrevious, NDArray dh, NDArray dcIn) {
            NDArray peep = spec.cell() == CellType.LSTM_PEEPHOLE ? p.get(ParameterLayout.p(l)) : null;
            NDArray c = k[1];
            NDArray i = k[2];
            NDArray f = k[3];
            NDArray gg = k[4];
            NDArray o = k[5];
            NDArray tc = k[6];
            NDArray dao = dh.mul(tc).mul(o).mul(oneMinus(o));
            NDArray dc = dcIn.add(dh.mul(o).mul(oneMinus(tc.mul(tc))));
            if (peep != null) {
                dc = dc.add(dao.mul(rows(peep, h, 2 * h)));
            }
            NDArray di = dc.mul(gg);
            NDArray daf;
            if (spec.cell() == CellType.LSTM_CIFG) {
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
                dcPrev = dcPrev.add(dai.mul(rows(peep, 0, h))).add(daf.mul(rows(peep, 2 * h, 3 * h)));
                dP = NDArrays.concat(new NDList(dai.mul(cPrevious), dao.mul(c), daf.mul(cPrevious)), 1);
            }
            NDArray da = NDArrays.concat(new NDList(dai, dao, daf, dag), 1);
            return new NDArray[] {da, da, dh.zerosLike(), dcPrev, dP, null};
        }

        // --- GRU (blocks z, r, h; both linear_before_reset variants) --------------------------------------
        NDArray[] gruForward(NDArray a, NDArray state, NDArray r, NDArray rb) {
            NDArray zr = linear(state, rows(r, 0, 2 * h), rows(rb, 0, 2 * h));
            NDArray z = sigmoid(col(a, 0).add(col(zr, 0)));
            NDArray reset = sigmoid(col(a, 1).add(col(zr, 1)));
            NDArray rh = rows(r, 2 * h, 3 * h);
            NDArray rbh = rows(rb, 2 * h, 3 * h);
            NDArray q;
            NDArray cand;
            if (spec.linearBeforeReset()) {
                q = linear(state, rh, rbh);
                cand = col(a, 2).add(reset.mul(q)).tanh();
            } else {
                q = reset.mul(state);
                cand = col(a, 2).add(linear(q, rh, rbh)).tanh();
            }
            NDArray hNew = oneMinus(z).mul(cand).add(z.mul(state));
            return new NDArray[] {hNew, z, reset, cand, q};
        }

        NDArray[] gruBackward(NDArray[] k, NDArray state, NDArray dh, NDArray r) {
            NDArray z = k[1];
            NDArray reset = k[2];
            NDArray cand = k[3];
            NDArray q = k[4];
            NDArray dah = dh.mul(oneMinus(z)).mul(oneMinus(cand.mul(cand)));
            NDArray dz = dh.mul(state.sub(cand));
            NDArray dhPrev = dh.mul(z);
            NDArray dr;
            NDArray dRecH;
            NDArray rhForGrad = null;
            if (spec.linearBeforeReset()) {
                dr = dah.mul(q);
                dRecH = dah.mul(reset);
            } else {
                NDArray drh = dah.matMul(rows(r, 2 * h, 3 * h));
                dr = drh.mul(state);
                dhPrev = dhPrev.add(drh.mul(reset));
                dRecH = dah;
                rhForGrad = q;
            }
            NDArray daz = dz.mul(z).mul(oneMinus(z));
            NDArray dar = dr.mul(reset).mul(oneMinus(reset));
            NDArray dA = NDArrays.concat(new NDList(daz, dar, dah), 1);
            NDArray dRec = NDArrays.concat(new NDList(daz, dar, dRecH), 1);
            return new NDArray[] {dA, dRec, dhPrev, null, null, rhForGrad};
        }
    }
}
