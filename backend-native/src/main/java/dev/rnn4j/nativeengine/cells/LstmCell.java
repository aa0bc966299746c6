package dev.rnn4j.nativeengine.cells;

import dev.rnn4j.nativeengine.kernels.Buffers;
import dev.rnn4j.params.LstmGate;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import java.util.Arrays;
import java.util.Map;

/**
 * LSTM in ONNX's formulation, gate blocks {@code i, o, f, c}, covering three variants:
 * <pre>
 *   i = sigmoid(a_i + P_i * c_{t-1})           a_g = x_t W_g^T + Wb_g + h_{t-1} R_g^T + Rb_g
 *   f = sigmoid(a_f + P_f * c_{t-1})           (coupled, CIFG: f = 1 - i)
 *   g = tanh(a_c)
 *   c_t = f * c_{t-1} + i * g
 *   o = sigmoid(a_o + P_o * c_t)
 *   h_t = o * tanh(c_t)
 * </pre>
 * Peepholes {@code P = [P_i, P_o, P_f]} exist only for the peephole variant (otherwise zero).
 *
 * <p>Backward, from {@code dh} and the carried {@code dc}:
 * <pre>
 *   da_o = dh * tanh(c_t) * o (1 - o)
 *   dc   = dc + dh * o * (1 - tanh^2 c_t) + da_o * P_o
 *   di   = dc * g (CIFG: minus dc * c_{t-1});   da_i = di * i (1 - i)
 *   da_f = dc * c_{t-1} * f (1 - f)            (CIFG: 0)
 *   da_c = dc * i * (1 - g^2)
 *   dc_{t-1} = dc * f + da_i * P_i + da_f * P_f
 * </pre>
 */
public final class LstmCell extends RecurrentCell {
    private final boolean coupled;
    private final float[] p;
    private final float[] dp;
    /** Where this cell's direction's peepholes start in p and dp. */
    private final int po;
    /** Activated gates {@code [T, N, 4H]} in block order i, o, f, c (the same array as xp). */
    private float[] act;
    /** Cell states {@code [T+1, N, H]} and their tanh, laid out as the hidden states (two steps' when inferring). */
    private float[] cs;
    private float[] tanhC;
    private final Buffers.TwoSizes csBuffers = new Buffers.TwoSizes();
    private final Buffers.TwoSizes tanhCBuffers = new Buffers.TwoSizes();
    /** The two {@code [N, H]} buffers of {@code dL/dc} carried between steps ({@link #dcCarriedInto}). */
    private float[] dcBufferA;
    private float[] dcBufferB;

    /**
     * Peepholes come from {@code weights.p()} (and their gradient from {@code grads.p()}); {@code null} for none.
     *
     * @param coupled CIFG: {@code f = 1 - i}
     */
    public LstmCell(Gemm gemm, int inputSize, int hidden, LayerWeights weights, LayerWeights grads, boolean coupled) {
        super(gemm, inputSize, hidden, 4, weights, grads);
        this.p = weights.p();
        this.dp = grads.p();
        this.coupled = coupled;
        this.po = weights.direction() * 3 * hidden;
    }

    /** The gates are activated in place in {@link #xp}, which holds the whole pre-activation of each step. */
    @Override
    protected void allocateState() {
        act = xp;
        int states = (latestOnly ? 2 : steps + 1) * batch * hidden;
        cs = csBuffers.reuse(!latestOnly, states);
        if (initial.c() == null) {
            Arrays.fill(cs, 0, batch * hidden, 0f); // the zero initial cell state
        } else {
            System.arraycopy(initial.c(), initial.offset(), cs, 0, batch * hidden);
        }
        tanhC = tanhCBuffers.reuse(!latestOnly, states);
    }

    @Override
    protected void step(int t, int n0, int n1) {
        int hh = hidden;
        int oi = LstmGate.I.offset(hh);
        int oo = LstmGate.O.offset(hh);
        int of = LstmGate.F.offset(hh);
        int oc = LstmGate.C.offset(hh);
        Kernels k = gemm.kernels();
        if (p == null && !coupled) { // rows n0..n1 lie one after the other: every row's gates, then states, in a call
            int a = row(t, n0) * 4 * hh;
            k.lstmGates(act, a, n1 - n0, hh);
            k.lstmState(act, a, n1 - n0, hh, cs, hIndex(t - 1, n0), hIndex(t, n0), tanhC, hs);
            return;
        }
        for (int n = n0; n < n1; n++) {
            int a = row(t, n) * 4 * hh;
            int prev = hIndex(t - 1, n);
            int cur = hIndex(t, n);
            // act[a ..] holds the pre-activations of all four blocks; the gates are activated in place, as few calls
            // as the variant allows (blocks i, o, f are contiguous)
            if (p != null) {
                for (int j = 0; j < hh; j++) {
                    act[a + oi + j] += p[po + oi + j] * cs[prev + j];
                    act[a + of + j] += p[po + of + j] * cs[prev + j];
                }
                k.sigmoid(act, a + oi, hh);
                k.sigmoid(act, a + of, hh);
            } else {
                k.sigmoid(act, a + oi, 2 * hh); // coupled: i and o, then f = 1 - i
                for (int j = 0; j < hh; j++) {
                    act[a + of + j] = 1f - act[a + oi + j];
                }
            }
            k.tanh(act, a + oc, hh);
            if (p == null) {
                k.lstmState(act, a, 1, hh, cs, prev, cur, tanhC, hs); // c, tanh(c), h in one pass
                continue;
            }
            for (int j = 0; j < hh; j++) {
                cs[cur + j] = act[a + of + j] * cs[prev + j] + act[a + oi + j] * act[a + oc + j];
            }
            for (int j = 0; j < hh; j++) {
                act[a + oo + j] += p[po + oo + j] * cs[cur + j];
            }
            k.sigmoid(act, a + oo, hh);
            System.arraycopy(cs, cur, tanhC, cur, hh);
            k.tanh(tanhC, cur, hh);
            for (int j = 0; j < hh; j++) {
                hs[cur + j] = act[a + oo + j] * tanhC[cur + j];
            }
        }
    }

    /** The cell state and its tanh in a lanes pass, laid out as {@code hLanes} (the inputs' rows unused). */
    private float[] cLanes;
    private float[] tanhCLanes;

    /** Without peepholes or coupled gates, a step is element by element on whole gate blocks. */
    @Override
    protected boolean stepsInLanes() {
        return p == null && !coupled;
    }

    @Override
    protected void allocateLanes(int floats) {
        cLanes = Buffers.reuse(cLanes, floats);
        tanhCLanes = Buffers.reuse(tanhCLanes, floats);
        Arrays.fill(cLanes, 0f); // sequences past the batch stay zero
    }

    /** A panel's gates are one row of {@code 4 H NR} pre-activations, block by block: the row kernels' own layout. */
    @Override
    protected void stepLanes(int g0, int prev, int cur) {
        int units = hidden * gemm.kernels().panelWidth();
        gemm.kernels().lstmGates(gatesLanes, g0, 1, units);
        gemm.kernels().lstmState(gatesLanes, g0, 1, units, cLanes, prev, cur, tanhCLanes, hLanes);
    }

    @Override
    protected void carryLanes(int prev, int cur, int col, int nr) {
        super.carryLanes(prev, cur, col, nr);
        for (int j = 0; j < hidden; j++) {
            cLanes[cur + j * nr + col] = cLanes[prev + j * nr + col];
            tanhCLanes[cur + j * nr + col] = tanhCLanes[prev + j * nr + col];
        }
    }

    @Override
    protected void moveStateLanes(boolean toLanes, int rowAt, int at, int col, int nr) {
        super.moveStateLanes(toLanes, rowAt, at, col, nr);
        for (int j = 0; j < hidden; j++) {
            if (toLanes) {
                cLanes[at + j * nr + col] = cs[rowAt + j];
            } else {
                cs[rowAt + j] = cLanes[at + j * nr + col];
            }
        }
    }

    /** Backward reads a step's gates before it writes their gradients, unit by unit, in the same places. */
    @Override
    protected boolean gradientsOverPreActivations() {
        return true;
    }

    /**
     * Adds the gates i, f, o and the cell state c.
     *
     * @throws IllegalStateException after the backward pass that followed the forward pass (it wrote the gates'
     *                               gradients over them)
     */
    @Override
    public Map<String, float[]> activations() {
        if (preActivationsSpent()) {
            throw new IllegalStateException("activations() reads the gates of the last forwardTrain(), which "
                    + "backward() overwrote with their gradients: read them between forwardTrain() and backward()");
        }
        Map<String, float[]> m = super.activations();
        m.put("i", block(act, LstmGate.I.ordinal()));
        m.put("f", block(act, LstmGate.F.ordinal()));
        m.put("o", block(act, LstmGate.O.ordinal()));
        m.put("c", Arrays.copyOfRange(cs, batch * hidden, cs.length));
        return m;
    }

    @Override
    protected void carryState(int t, int n) {
        System.arraycopy(cs, hIndex(t - 1, n), cs, hIndex(t, n), hidden);
        System.arraycopy(tanhC, hIndex(t - 1, n), tanhC, hIndex(t, n), hidden);
    }

    @Override
    protected void stepBackward(int t, int n0, int n1, float[] dh, float[] dhPrev) {
        int hh = hidden;
        int oi = LstmGate.I.offset(hh);
        int oo = LstmGate.O.offset(hh);
        int of = LstmGate.F.offset(hh);
        int oc = LstmGate.C.offset(hh);
        float[] dcIn = dcCarriedInto(t);
        float[] dcPrev = dcCarriedInto(t - 1);
        for (int n = n0; n < n1; n++) {
            int a = row(t, n) * 4 * hh;
            int prev = hIndex(t - 1, n);
            int cur = hIndex(t, n);
            if (p == null) {
                gemm.kernels().lstmBackward(act, a, hh, cs, prev, cur, tanhC, dh, dcIn, dcPrev, n * hh, dA, coupled);
                continue;
            }
            for (int j = 0; j < hh; j++) {
                float i = act[a + oi + j];
                float o = act[a + oo + j];
                float f = act[a + of + j];
                float g = act[a + oc + j];
                float c = cs[cur + j];
                float cPrev = cs[prev + j];
                float tc = tanhC[cur + j];
                float dhj = dh[n * hh + j];
                float dao = dhj * tc * o * (1 - o);
                float peepO = p[po + oo + j];
                float dc = dcIn[n * hh + j] + dhj * o * (1 - tc * tc) + dao * peepO;
                float di = dc * g;
                float daf = 0f;
                if (coupled) {
                    di -= dc * cPrev;
                } else {
                    daf = dc * cPrev * f * (1 - f);
                }
                float dai = di * i * (1 - i);
                float dag = dc * i * (1 - g * g);
                float pi = p[po + oi + j];
                float pf = p[po + of + j];
                dcPrev[n * hh + j] = dc * f + dai * pi + daf * pf;
                if (dp != null) {
                    dp[po + oi + j] += dai * cPrev;
                    dp[po + oo + j] += dao * c;
                    dp[po + of + j] += daf * cPrev;
                }
                dA[a + oi + j] = dai;
                dA[a + oo + j] = dao;
                dA[a + of + j] = daf;
                dA[a + oc + j] = dag;
            }
        }
    }

    /** The rows are independent but for the peephole gradient, which sums over them. */
    @Override
    protected boolean rowsMeetInBackward() {
        return dp != null;
    }

    @Override
    protected void beginBackward() {
        dcBufferA = Buffers.reuse(dcBufferA, batch * hidden);
        dcBufferB = Buffers.reuse(dcBufferB, batch * hidden);
        Arrays.fill(dcBufferA, 0f);
    }

    /**
     * {@code dL/dc[t]} carried from later steps: the two buffers take turns (step T-1 reads the zeroed A), so each
     * step's pair follows from t alone, as the base class does for {@code dL/dh}.
     */
    private float[] dcCarriedInto(int t) {
        return firstOfPair(t) ? dcBufferA : dcBufferB;
    }

    @Override
    public void finalState(StateSlot target) {
        super.finalState(target);
        System.arraycopy(cs, hIndex(steps - 1, 0), target.c(), target.offset(), batch * hidden);
    }

    /** Adds {@code dL/dc} of the initial state: what the carried cell gradient is after step 0. */
    @Override
    public void initialStateGradient(StateSlot target) {
        super.initialStateGradient(target);
        System.arraycopy(dcCarriedInto(-1), 0, target.c(), target.offset(), batch * hidden);
    }

    @Override
    protected void carryStateGradient(int t, int n) {
        System.arraycopy(dcCarriedInto(t), n * hidden, dcCarriedInto(t - 1), n * hidden, hidden);
    }
}
