package dev.rnn4j.nativeengine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.data.Batch;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.model.Output;
import org.junit.jupiter.api.Test;

/**
 * Two steps of each cell with I = H = 1 and a distinct value for every weight, so a swapped gate block,
 * a missing bias half or an ignored R changes the result. Expected values are computed here, in double,
 * straight from the ONNX equations; the head is the identity (W = 1, b = 0) so the output is h_t.
 * Tolerance 1e-6 absolute: float32 rounding of values below 1.
 */
class CellStepTest {
    private static final double TOL = 1e-6;
    private static final float X1 = 0.5f;
    private static final float X2 = -0.8f;
    private final NativeBackend backend = NativeBackend.create(new Gemm(Kernels.scalar(), false));

    private static double sig(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private Output run(ModelSpec spec, float[] w, float[] r, float[] b, float[] p) {
        Parameters params = new Parameters();
        params.put(new Tensor(ParameterLayout.w(0), new int[] {w.length, 1}, w));
        params.put(new Tensor(ParameterLayout.r(0), new int[] {r.length, 1}, r));
        params.put(new Tensor(ParameterLayout.b(0), new int[] {b.length}, b));
        if (p != null) {
            params.put(new Tensor(ParameterLayout.p(0), new int[] {3}, p));
        }
        params.put(new Tensor(ParameterLayout.HEAD_W, new int[] {1, 1}, new float[] {1}));
        params.put(new Tensor(ParameterLayout.HEAD_B, new int[] {1}, new float[] {0}));
        Batch batch = new Batch(1, 2, 1, new float[] {X1, X2}, new int[] {2}, 2, 1, new float[2], null);
        return backend.newModel(spec, params).forward(batch);
    }

    private static ModelSpec spec(CellType cell, boolean lbr) {
        return ModelSpec.builder().setCell(cell).setInputSize(1).setHiddenSize(1)
                .setHead(HeadKind.REGRESSION, 1).setOutputMode(OutputMode.EVERY_STEP).optLinearBeforeReset(lbr).build();
    }

    @Test
    void rnnTanh() {
        double w = 0.7;
        double r = -0.4;
        double wb = 0.1;
        double rb = 0.05;
        double h1 = Math.tanh(w * X1 + wb + r * 0 + rb);
        double h2 = Math.tanh(w * X2 + wb + r * h1 + rb);
        Output out = run(spec(CellType.RNN_TANH, true), new float[] {0.7f}, new float[] {-0.4f},
                new float[] {0.1f, 0.05f}, null);
        assertEquals(h1, out.get(0, 0, 0), TOL);
        assertEquals(h2, out.get(0, 1, 0), TOL);
    }

    /** W, R, B for I = H = 1 in ONNX block order i, o, f, c. */
    private static final float[] LW = {0.3f, -0.6f, 0.9f, 0.45f};
    private static final float[] LR = {-0.2f, 0.35f, 0.15f, -0.5f};
    private static final float[] LB = {0.1f, -0.1f, 0.2f, 0.05f, 0.02f, 0.03f, -0.04f, 0.06f};
    private static final float[] LP = {0.25f, -0.3f, 0.4f}; // i, o, f

    private static double[] lstm(boolean peephole, boolean coupled) {
        double h = 0;
        double c = 0;
        double[] out = new double[2];
        float[] xs = {X1, X2};
        for (int t = 0; t < 2; t++) {
            double x = xs[t];
            double pi = peephole ? LP[0] : 0;
            double po = peephole ? LP[1] : 0;
            double pf = peephole ? LP[2] : 0;
            double i = sig(LW[0] * x + LR[0] * h + LB[0] + LB[4] + pi * c);
            double f = coupled ? 1 - i : sig(LW[2] * x + LR[2] * h + LB[2] + LB[6] + pf * c);
            double g = Math.tanh(LW[3] * x + LR[3] * h + LB[3] + LB[7]);
            c = f * c + i * g;
            double o = sig(LW[1] * x + LR[1] * h + LB[1] + LB[5] + po * c);
            h = o * Math.tanh(c);
            out[t] = h;
        }
        return out;
    }

    @Test
    void lstm() {
        double[] expected = lstm(false, false);
        Output out = run(spec(CellType.LSTM, true), LW.clone(), LR.clone(), LB.clone(), null);
        assertEquals(expected[0], out.get(0, 0, 0), TOL);
        assertEquals(expected[1], out.get(0, 1, 0), TOL);
    }

    @Test
    void lstmPeephole() {
        double[] expected = lstm(true, false);
        Output out = run(spec(CellType.LSTM_PEEPHOLE, true), LW.clone(), LR.clone(), LB.clone(), LP.clone());
        assertEquals(expected[0], out.get(0, 0, 0), TOL);
        assertEquals(expected[1], out.get(0, 1, 0), TOL);
    }

    @Test
    void lstmCoupledInputForget() {
        double[] expected = lstm(false, true);
        Output out = run(spec(CellType.LSTM_CIFG, true), LW.clone(), LR.clone(), LB.clone(), null);
        assertEquals(expected[0], out.get(0, 0, 0), TOL);
        assertEquals(expected[1], out.get(0, 1, 0), TOL);
    }

    /** Blocks z, r, h. */
    private static final float[] GW = {0.4f, -0.7f, 0.8f};
    private static final float[] GR = {0.3f, 0.6f, -0.9f};
    private static final float[] GB = {0.1f, -0.2f, 0.05f, 0.15f, 0.25f, -0.35f};

    private static double[] gru(boolean linearBeforeReset) {
        double h = 0;
        double[] out = new double[2];
        float[] xs = {X1, X2};
        for (int t = 0; t < 2; t++) {
            double x = xs[t];
            double z = sig(GW[0] * x + GB[0] + GR[0] * h + GB[3]);
            double r = sig(GW[1] * x + GB[1] + GR[1] * h + GB[4]);
            double cand = linearBeforeReset
                    ? Math.tanh(GW[2] * x + GB[2] + r * (GR[2] * h + GB[5]))
                    : Math.tanh(GW[2] * x + GB[2] + GR[2] * (r * h) + GB[5]);
            h = (1 - z) * cand + z * h;
            out[t] = h;
        }
        return out;
    }

    @Test
    void gruLinearBeforeReset() {
        double[] expected = gru(true);
        Output out = run(spec(CellType.GRU, true), GW.clone(), GR.clone(), GB.clone(), null);
        assertEquals(expected[0], out.get(0, 0, 0), TOL);
        assertEquals(expected[1], out.get(0, 1, 0), TOL);
    }

    @Test
    void gruResetBeforeLinear() {
        double[] expected = gru(false);
        Output out = run(spec(CellType.GRU, false), GW.clone(), GR.clone(), GB.clone(), null);
        assertEquals(expected[0], out.get(0, 0, 0), TOL);
        assertEquals(expected[1], out.get(0, 1, 0), TOL);
    }

    @Test
    void mlpOverTheWindow() {
        ModelSpec spec = ModelSpec.builder().setCell(CellType.MLP).setInputSize(1).setHiddenSize(1).optWindow(2)
                .setHead(HeadKind.REGRESSION, 1).build();
        Parameters params = new Parameters();
        params.put(new Tensor(ParameterLayout.w(0), new int[] {1, 2}, new float[] {0.6f, -0.3f}));
        params.put(new Tensor(ParameterLayout.b(0), new int[] {1}, new float[] {0.2f}));
        params.put(new Tensor(ParameterLayout.HEAD_W, new int[] {1, 1}, new float[] {1.5f}));
        params.put(new Tensor(ParameterLayout.HEAD_B, new int[] {1}, new float[] {-0.1f}));
        Batch batch = new Batch(1, 2, 1, new float[] {X1, X2}, new int[] {2}, 1, 1, new float[1], null);
        double expected = 1.5 * Math.tanh(0.6 * X1 - 0.3 * X2 + 0.2) - 0.1;
        assertEquals(expected, backend.newModel(spec, params).forward(batch).get(0, 0, 0), TOL);
    }
}
