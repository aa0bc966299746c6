package dev.rnn4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import dev.rnn4j.params.GruGate;
import dev.rnn4j.params.LstmGate;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;

/**
 * One time step of each cell in NDArray ops, following the ONNX equations in the canonical gate order, written once,
 * each cell's forward beside its backward (micrograd's layout): {@link ComposedLayer} runs a layer from them,
 * autograd differentiates the forward on PyTorch, and {@link ExplicitBptt} applies the backward equations by hand.
 * A forward step returns a typed {@link Step} with what its backward needs. Shapes: {@code [N, G*H]} pre-activations
 * in, {@code [N, H]} states out.
 */
final class ComposedCells {
    private final ModelSpec spec;
    private final int h;

    /** A step's results and what its backward needs: one record per cell. */
    sealed interface Step permits RnnStep, LstmStep, GruStep {
        /** The new hidden state {@code h_t}. */
        NDArray h();
    }

    /** A tanh RNN step: {@code h_t = tanh(a)} is all its backward needs. */
    record RnnStep(NDArray h) implements Step {
    }

    /**
     * One direction's recurrent weights.
     *
     * @param r    {@code R [G*H, H]}
     * @param rb   {@code Rb [G*H]}
     * @param peep {@code P [3H]} (i, o, f) of the peephole LSTM, else {@code null}
     */
    record Recurrent(NDArray r, NDArray rb, NDArray peep) {
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
    record StepGradients(NDArray dA, NDArray dRec, NDArray dhPrevDirect, NDArray dcPrev, NDArray dPeep,
                         NDArray resetTimesH) {
    }

    /**
     * An LSTM step's results and what its backward needs.
     *
     * @param h     {@code h_t = o * tanh(c_t)}
     * @param c     {@code c_t = f * c_{t-1} + i * g}
     * @param i     input gate
     * @param f     forget gate ({@code 1 - i} when coupled)
     * @param g     candidate {@code tanh(a_c)}
     * @param o     output gate
     * @param tanhC {@code tanh(c_t)}
     */
    record LstmStep(NDArray h, NDArray c, NDArray i, NDArray f, NDArray g, NDArray o, NDArray tanhC) implements Step {
    }

    /**
     * A GRU step's results and what its backward needs.
     *
     * @param h         {@code h_t = (1 - z) * candidate + z * h_{t-1}}
     * @param z         update gate
     * @param r         reset gate
     * @param candidate {@code h~}
     * @param q         linear_before_reset = 1: {@code h_{t-1} R_h^T + Rb_h}; = 0: {@code r * h_{t-1}}
     */
    record GruStep(NDArray h, NDArray z, NDArray r, NDArray candidate, NDArray q) implements Step {
    }

    ComposedCells(ModelSpec spec) {
        this.spec = spec;
        this.h = spec.hiddenSize();
    }

    /**
     * One step of the spec's cell from the input side {@code ax = x W^T + Wb} and the previous state ({@code cPrev}:
     * LSTM family only).
     */
    Step forward(NDArray ax, NDArray hPrev, NDArray cPrev, Recurrent w) {
        if (spec.cell() == CellType.RNN_TANH) {
            return rnn(ax.add(linear(hPrev, w.r(), w.rb())));
        }
        if (spec.cell() == CellType.GRU) {
            return gru(ax, hPrev, w.r(), w.rb());
        }
        return lstm(ax.add(linear(hPrev, w.r(), w.rb())), cPrev, w.peep());
    }

    /**
     * The backward of {@code step}: from {@code dh = dL/dh_t} (and {@code dc = dL/dc_t} carried from the step after,
     * LSTM family) to the pre-activations' gradients and the previous state's.
     */
    StepGradients backward(Step step, NDArray hPrev, NDArray cPrev, NDArray dh, NDArray dc, Recurrent w) {
        if (step instanceof RnnStep s) {
            return rnnBackward(s, dh);
        }
        if (step instanceof GruStep s) {
            return gruBackward(s, hPrev, dh, w.r());
        }
        return lstmBackward((LstmStep) step, cPrev, dh, dc, w.peep());
    }

    // --- RNN: h = tanh(a), a = x W^T + Wb + h_{t-1} R^T + Rb --------------------------------------------

    RnnStep rnn(NDArray a) {
        return new RnnStep(a.tanh());
    }

    /** {@code da = dh (1 - h^2)}, on both the input and the recurrent side. */
    StepGradients rnnBackward(RnnStep k, NDArray dh) {
        NDArray da = dh.mul(oneMinus(k.h().mul(k.h())));
        return new StepGradients(da, da, dh.zerosLike(), null, null, null);
    }

    // --- LSTM (blocks i, o, f, c; peephole and coupled variants) ------------------------------------------

    /**
     * LSTM (plain, peephole or coupled per the spec) from {@code a = x W^T + Wb + h_{t-1} R^T + Rb}:
     * <pre>
     *   i = sigmoid(a_i + P_i * c_{t-1})      f = sigmoid(a_f + P_f * c_{t-1})   (coupled: f = 1 - i)
     *   g = tanh(a_c)                         c_t = f * c_{t-1} + i * g
     *   o = sigmoid(a_o + P_o * c_t)          h_t = o * tanh(c_t)
     * </pre>
     *
     * @param peep {@code P [3H]} (i, o, f), or {@code null} for none
     */
    LstmStep lstm(NDArray a, NDArray cPrev, NDArray peep) {
        NDArray ai = gate(a, LstmGate.I.offset(h));
        NDArray af = gate(a, LstmGate.F.offset(h));
        NDArray ao = gate(a, LstmGate.O.offset(h));
        if (peep != null) {
            ai = ai.add(cPrev.mul(peephole(peep, LstmGate.I)));
            af = af.add(cPrev.mul(peephole(peep, LstmGate.F)));
        }
        NDArray i = sigmoid(ai);
        NDArray f = spec.cell().couplesInputAndForget() ? oneMinus(i) : sigmoid(af);
        NDArray g = gate(a, LstmGate.C.offset(h)).tanh();
        NDArray c = f.mul(cPrev).add(i.mul(g));
        if (peep != null) {
            ao = ao.add(c.mul(peephole(peep, LstmGate.O)));
        }
        NDArray o = sigmoid(ao);
        NDArray tanhC = c.tanh();
        return new LstmStep(o.mul(tanhC), c, i, f, g, o, tanhC);
    }

    /** The LSTM step's backward: through o, tanh(c), then c to i, f, g and the peepholes. */
    StepGradients lstmBackward(LstmStep k, NDArray cPrevious, NDArray dh, NDArray dcIn, NDArray peep) {
        NDArray i = k.i();
        NDArray f = k.f();
        NDArray gg = k.g();
        NDArray o = k.o();
        NDArray tc = k.tanhC();
        NDArray dao = dh.mul(tc).mul(o).mul(oneMinus(o));
        NDArray dc = dcIn.add(dh.mul(o).mul(oneMinus(tc.mul(tc))));
        if (peep != null) {
            dc = dc.add(dao.mul(peephole(peep, LstmGate.O)));
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
            dcPrev = dcPrev.add(dai.mul(peephole(peep, LstmGate.I))).add(daf.mul(peephole(peep, LstmGate.F)));
            dP = NDArrays.concat(new NDList(dai.mul(cPrevious), dao.mul(k.c()), daf.mul(cPrevious)), 1); // P order i, o, f
        }
        NDArray da = NDArrays.concat(new NDList(dai, dao, daf, dag), 1); // gate order i, o, f, c
        return new StepGradients(da, da, dh.zerosLike(), dcPrev, dP, null);
    }

    // --- GRU (blocks z, r, h; both linear_before_reset variants) -------------------------------------------

    /**
     * GRU with the spec's linear_before_reset, from the input side {@code a = x W^T + Wb} alone:
     * <pre>
     *   z = sigmoid(a_z + h_{t-1} R_z^T + Rb_z)      r = sigmoid(a_r + h_{t-1} R_r^T + Rb_r)
     *   lbr = 1: h~ = tanh(a_h + r * (h_{t-1} R_h^T + Rb_h))     lbr = 0: h~ = tanh(a_h + (r * h_{t-1}) R_h^T + Rb_h)
     *   h_t = (1 - z) * h~ + z * h_{t-1}
     * </pre>
     */
    GruStep gru(NDArray a, NDArray hPrev, NDArray r, NDArray rb) {
        NDArray z = sigmoid(gate(a, GruGate.Z.offset(h)).add(linear(hPrev, block(r, GruGate.Z), block(rb, GruGate.Z))));
        NDArray reset = sigmoid(gate(a, GruGate.R.offset(h)).add(linear(hPrev, block(r, GruGate.R), block(rb, GruGate.R))));
        NDArray rh = block(r, GruGate.H);
        NDArray rbh = block(rb, GruGate.H);
        NDArray q;
        NDArray candidate;
        if (spec.linearBeforeReset()) {
            q = linear(hPrev, rh, rbh);
            candidate = gate(a, GruGate.H.offset(h)).add(reset.mul(q)).tanh();
        } else {
            q = reset.mul(hPrev);
            candidate = gate(a, GruGate.H.offset(h)).add(linear(q, rh, rbh)).tanh();
        }
        return new GruStep(oneMinus(z).mul(candidate).add(z.mul(hPrev)), z, reset, candidate, q);
    }

    /** The GRU step's backward: through the interpolation by z, the candidate, then r (per the variant). */
    StepGradients gruBackward(GruStep k, NDArray state, NDArray dh, NDArray r) {
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
            NDArray drh = dah.matMul(block(r, GruGate.H));
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

    /**
     * Direction {@code d} of a per-direction tensor (a parameter or a state): itself when the spec has one direction,
     * else its slice d along ONNX's leading direction axis; null stays null.
     */
    NDArray direction(NDArray a, int d) {
        return spec.directions() == 1 || a == null ? a : a.get(d);
    }

    /** Columns {@code [offset, offset + H)} of {@code [N, G*H]}: one gate block. */
    NDArray gate(NDArray a, int offset) {
        return a.get(new NDIndex(":, {}:{}", offset, offset + h));
    }

    /** The GRU block {@code k} of a weight {@code [G*H, ...]} or a bias {@code [G*H]}. */
    NDArray block(NDArray a, GruGate k) {
        return rows(a, k.offset(h), k.offset(h) + h);
    }

    /** The peephole weights of gate {@code k} (i, o or f) from {@code P [3H]}. */
    NDArray peephole(NDArray peep, LstmGate k) {
        return rows(peep, k.offset(h), k.offset(h) + h);
    }

    /** Rows {@code [from, to)} of a 2-D array, or entries of a 1-D one. */
    static NDArray rows(NDArray a, int from, int to) {
        return a.getShape().dimension() == 1 ? a.get(new NDIndex("{}:{}", from, to))
                : a.get(new NDIndex("{}:{}, :", from, to));
    }

    /** {@code x W^T + b}. */
    static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return x.matMul(w.transpose()).add(b);
    }

    static NDArray sigmoid(NDArray x) {
        return x.getNDArrayInternal().sigmoid();
    }

    static NDArray oneMinus(NDArray x) {
        return x.neg().add(1f);
    }
}
