package dev.rnn4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.rnn4j.params.GruGate;
import dev.rnn4j.params.LstmGate;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;

/**
 * One time step of each cell in NDArray ops, following the ONNX equations in the canonical gate order, written once:
 * {@link DjlNetwork} composes its layers from them (autograd differentiates them on PyTorch), and
 * {@link ExplicitBptt} keeps the intermediates they return for its hand-written backward. Shapes: {@code [N, G*H]}
 * pre-activations in, {@code [N, H]} states out.
 */
final class ComposedCells {
    private final ModelSpec spec;
    private final int h;

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
    record LstmStep(NDArray h, NDArray c, NDArray i, NDArray f, NDArray g, NDArray o, NDArray tanhC) {
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
    record GruStep(NDArray h, NDArray z, NDArray r, NDArray candidate, NDArray q) {
    }

    ComposedCells(ModelSpec spec) {
        this.spec = spec;
        this.h = spec.hiddenSize();
    }

    /** Tanh RNN: {@code h_t = tanh(a)}, {@code a = x W^T + Wb + h_{t-1} R^T + Rb}. */
    NDArray rnn(NDArray a) {
        return a.tanh();
    }

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
