package dev.rnn4j.nativeengine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.data.Batch;
import dev.rnn4j.model.Output;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Two steps of each cell with I = 2 and H = 3 (so W and R are not square and a transposed one fails) and a
 * distinct value for every weight (so a swapped gate block, a missing bias half, an ignored R or a wrong peephole
 * changes the result). Expected values are computed here, in double, straight from the ONNX equations, written
 * out element by element; the head is the identity (W = I_3, b = 0) so the outputs are h_1 and h_2. Both kernel
 * sets run. Tolerance 1e-6 absolute: float32 rounding of values below 1.
 */
class CellStepTest {
    private static final double TOL = 1e-6;
    private static final int I = 2;
    private static final int H = 3;
    private static final float[][] X = {{0.5f, -0.3f}, {-0.8f, 0.9f}};

    enum Engine { SCALAR, VECTOR }

    private static NativeBackend backend(Engine engine) {
        return NativeBackend.create(new Gemm(engine == Engine.SCALAR ? Kernels.scalar() : Kernels.best(), false));
    }

    /** {@code n} distinct values in (-scale, scale). */
    private static float[] values(int n, double scale, int seed) {
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = (float) (scale * Math.sin(1.3 * seed + 0.77 * k + 0.1));
        }
        return v;
    }

    private static double sig(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** Gate block {@code g} of {@code x W^T + Wb} (x of size I) or {@code h R^T + Rb} (h of size H), unit j. */
    private static double affine(float[] m, float[] b, int bOff, int g, int j, double[] v) {
        int row = g * H + j;
        double s = b[bOff + row];
        for (int k = 0; k < v.length; k++) {
            s += m[row * v.length + k] * v[k];
        }
        return s;
    }

    private static double[] x(int t) {
        return new double[] {X[t][0], X[t][1]};
    }

    private Output run(Engine engine, CellType cell, boolean lbr, float[] w, float[] r, float[] b, float[] p) {
        ModelSpec spec = ModelSpec.builder().setCell(cell).setInputSize(I).setHiddenSize(H)
                .setHead(HeadKind.REGRESSION, H).setOutputMode(OutputMode.EVERY_STEP).optLinearBeforeReset(lbr).build();
        int gh = spec.gates() * H;
        Parameters params = new Parameters();
        params.put(new Tensor(ParameterLayout.w(0), new int[] {gh, I}, w));
        params.put(new Tensor(ParameterLayout.r(0), new int[] {gh, H}, r));
        params.put(new Tensor(ParameterLayout.b(0), new int[] {2 * gh}, b));
        if (p != null) {
            params.put(new Tensor(ParameterLayout.p(0), new int[] {3 * H}, p));
        }
        params.put(new Tensor(ParameterLayout.HEAD_W, new int[] {H, H}, new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}));
        params.put(new Tensor(ParameterLayout.HEAD_B, new int[] {H}, new float[H]));
        float[] inputs = {X[0][0], X[0][1], X[1][0], X[1][1]};
        Batch batch = new Batch(1, 2, I, inputs, new int[] {2}, 2, H, new float[2 * H], null);
        return backend(engine).newModel(spec, params).forward(batch);
    }

    private static void assertSteps(double[][] expected, Output out) {
        for (int t = 0; t < 2; t++) {
            for (int j = 0; j < H; j++) {
                assertEquals(expected[t][j], out.get(0, t, j), TOL, "h_" + (t + 1) + "[" + j + "]");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void rnnTanh(Engine engine) {
        float[] w = values(H * I, 0.8, 1);
        float[] r = values(H * H, 0.6, 2);
        float[] b = values(2 * H, 0.2, 3);
        double[][] expected = new double[2][H];
        double[] h = new double[H];
        for (int t = 0; t < 2; t++) {
            for (int j = 0; j < H; j++) {
                expected[t][j] = Math.tanh(affine(w, b, 0, 0, j, x(t)) + affine(r, b, H, 0, j, h));
            }
            h = expected[t];
        }
        assertSteps(expected, run(engine, CellType.RNN_TANH, true, w, r, b, null));
    }

    /** Blocks i, o, f, c; peepholes i, o, f. */
    private static double[][] lstm(float[] w, float[] r, float[] b, float[] p, boolean coupled) {
        int gh = 4 * H;
        double[][] out = new double[2][H];
        double[] h = new double[H];
        double[] c = new double[H];
        for (int t = 0; t < 2; t++) {
            double[] cNew = new double[H];
            for (int j = 0; j < H; j++) {
                double pi = p == null ? 0 : p[j];
                double po = p == null ? 0 : p[H + j];
                double pf = p == null ? 0 : p[2 * H + j];
                double i = sig(affine(w, b, 0, 0, j, x(t)) + affine(r, b, gh, 0, j, h) + pi * c[j]);
                double f = coupled ? 1 - i : sig(affine(w, b, 0, 2, j, x(t)) + affine(r, b, gh, 2, j, h) + pf * c[j]);
                double g = Math.tanh(affine(w, b, 0, 3, j, x(t)) + affine(r, b, gh, 3, j, h));
                cNew[j] = f * c[j] + i * g;
                double o = sig(affine(w, b, 0, 1, j, x(t)) + affine(r, b, gh, 1, j, h) + po * cNew[j]);
                out[t][j] = o * Math.tanh(cNew[j]);
            }
            c = cNew;
            h = out[t];
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void lstm(Engine engine) {
        float[] w = values(4 * H * I, 0.9, 4);
        float[] r = values(4 * H * H, 0.7, 5);
        float[] b = values(8 * H, 0.3, 6);
        assertSteps(lstm(w, r, b, null, false), run(engine, CellType.LSTM, true, w, r, b, null));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void lstmPeephole(Engine engine) {
        float[] w = values(4 * H * I, 0.9, 7);
        float[] r = values(4 * H * H, 0.7, 8);
        float[] b = values(8 * H, 0.3, 9);
        float[] p = values(3 * H, 0.5, 10);
        assertSteps(lstm(w, r, b, p, false), run(engine, CellType.LSTM_PEEPHOLE, true, w, r, b, p));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void lstmCoupledInputForget(Engine engine) {
        float[] w = values(4 * H * I, 0.9, 11);
        float[] r = values(4 * H * H, 0.7, 12);
        float[] b = values(8 * H, 0.3, 13);
        assertSteps(lstm(w, r, b, null, true), run(engine, CellType.LSTM_CIFG, true, w, r, b, null));
    }

    /** Blocks z, r, h. */
    private static double[][] gru(float[] w, float[] rw, float[] b, boolean linearBeforeReset) {
        int gh = 3 * H;
        double[][] out = new double[2][H];
        double[] h = new double[H];
        for (int t = 0; t < 2; t++) {
            double[] r = new double[H];
            double[] rh = new double[H];
            for (int j = 0; j < H; j++) {
                r[j] = sig(affine(w, b, 0, 1, j, x(t)) + affine(rw, b, gh, 1, j, h));
                rh[j] = r[j] * h[j];
            }
            for (int j = 0; j < H; j++) {
                double z = sig(affine(w, b, 0, 0, j, x(t)) + affine(rw, b, gh, 0, j, h));
                double cand = linearBeforeReset
                        ? Math.tanh(affine(w, b, 0, 2, j, x(t)) + r[j] * affine(rw, b, gh, 2, j, h))
                        : Math.tanh(affine(w, b, 0, 2, j, x(t)) + affine(rw, b, gh, 2, j, rh));
                out[t][j] = (1 - z) * cand + z * h[j];
            }
            h = out[t];
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void gruLinearBeforeReset(Engine engine) {
        float[] w = values(3 * H * I, 0.9, 14);
        float[] r = values(3 * H * H, 0.8, 15);
        float[] b = values(6 * H, 0.3, 16);
        assertSteps(gru(w, r, b, true), run(engine, CellType.GRU, true, w, r, b, null));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void gruResetBeforeLinear(Engine engine) {
        float[] w = values(3 * H * I, 0.9, 17);
        float[] r = values(3 * H * H, 0.8, 18);
        float[] b = values(6 * H, 0.3, 19);
        assertSteps(gru(w, r, b, false), run(engine, CellType.GRU, false, w, r, b, null));
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
        Batch batch = new Batch(1, 2, 1, new float[] {0.5f, -0.8f}, new int[] {2}, 1, 1, new float[1], null);
        double expected = 1.5 * Math.tanh(0.6 * 0.5 - 0.3 * -0.8 + 0.2) - 0.1;
        assertEquals(expected, backend(Engine.SCALAR).newModel(spec, params).forward(batch).get(0, 0, 0), TOL);
    }
}
