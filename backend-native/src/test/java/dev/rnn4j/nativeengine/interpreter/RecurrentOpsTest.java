package dev.rnn4j.nativeengine.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.rnn4j.onnx.OnnxModels;
import dev.rnn4j.onnx.OnnxValue;
import dev.rnn4j.testing.ModelAssertions;
import dev.rnn4j.testing.RecurrentCases;
import java.util.Arrays;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The interpreter's LSTM, GRU and RNN against a reference written here in double precision straight from the
 * ONNX operator equations: distinct random weights (so a wrong gate order or an ignored R fails), reverse and
 * bidirectional directions, sequence_lens masking, initial states, peepholes, clip, input_forget,
 * linear_before_reset, activations with alpha/beta, and layout=1. Tolerance 1e-5 absolute (float32 vs double
 * over at most 4 steps of values of order 1).
 */
class RecurrentOpsTest {
    private static final double TOL = 1e-5;

    static Stream<RecurrentCases.Case> cases() {
        return RecurrentCases.all(true).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheEquations(RecurrentCases.Case c) {
        Map<String, OnnxValue> out = new OnnxInterpreter(c.model()).run(c.inputs());
        Reference ref = new Reference(c);
        ModelAssertions.assertValuesClose(ref.y, out.get("Y").floats(), TOL, 0, c.name() + " Y");
        assertEquals(Arrays.toString(ref.yShape), Arrays.toString(out.get("Y").shape()), c.name() + " Y shape");
        ModelAssertions.assertValuesClose(ref.yh, out.get("Y_h").floats(), TOL, 0, c.name() + " Y_h");
        if (c.op().equals("LSTM")) {
            ModelAssertions.assertValuesClose(ref.yc, out.get("Y_c").floats(), TOL, 0, c.name() + " Y_c");
        }
    }

    @Test
    void unsupportedOperatorAndAttributeAreNamed() {
        RecurrentCases.Case c = RecurrentCases.all(false).get(0);
        ModelProto m = c.model();
        ModelProto badAttr = m.toBuilder().setGraph(m.getGraph().toBuilder().setNode(0, m.getGraph().getNode(0).toBuilder()
                .addAttribute(ai.onnx.proto.OnnxMl.AttributeProto.newBuilder().setName("frobnicate").setI(1)))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OnnxInterpreter(badAttr));
        assertTrue(e.getMessage().contains("unsupported attribute 'frobnicate'") && e.getMessage().contains("(LSTM)"),
                e.getMessage());
        ModelProto badOp = m.toBuilder().setGraph(m.getGraph().toBuilder().addNode(NodeProto.newBuilder()
                .setOpType("Einsum").setName("mystery").addInput("Y").addOutput("Z"))).build();
        e = assertThrows(IllegalArgumentException.class, () -> new OnnxInterpreter(badOp));
        assertTrue(e.getMessage().startsWith("ONNX node 'mystery' (Einsum): unsupported operator 'Einsum'"), e.getMessage());
        ModelProto badAct = m.toBuilder().setGraph(m.getGraph().toBuilder().setNode(0, m.getGraph().getNode(0).toBuilder()
                .addAttribute(ai.onnx.proto.OnnxMl.AttributeProto.newBuilder().setName("activations")
                        .addStrings(com.google.protobuf.ByteString.copyFromUtf8("Sigmoid"))
                        .addStrings(com.google.protobuf.ByteString.copyFromUtf8("Gelu"))
                        .addStrings(com.google.protobuf.ByteString.copyFromUtf8("Tanh"))))).build();
        e = assertThrows(IllegalArgumentException.class, () -> new OnnxInterpreter(badAct));
        assertTrue(e.getMessage().contains("unsupported activation function 'Gelu'"), e.getMessage());
    }

    @Test
    void truncatedFileFailsClearly() {
        byte[] bytes = RecurrentCases.all(false).get(0).model().toByteArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxModels.parse(Arrays.copyOf(bytes, bytes.length / 2), "m.onnx"));
        assertTrue(e.getMessage().startsWith("m.onnx is not a valid ONNX model"), e.getMessage());
    }

    @Test
    void wrongInputShapeIsNamed() {
        RecurrentCases.Case c = RecurrentCases.all(false).get(0);
        Map<String, OnnxValue> inputs = new java.util.HashMap<>(c.inputs());
        inputs.put("X", OnnxValue.floats(new long[] {4, 3, 5}, new float[60]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OnnxInterpreter(c.model()).run(inputs));
        assertEquals("ONNX graph input 'X': expected shape [4, 3, 2], got [4, 3, 5]", e.getMessage());
    }

    /** The ONNX equations in double, one sequence and one direction at a time. */
    private static final class Reference {
        final float[] y;
        final float[] yh;
        final float[] yc;
        final long[] yShape;

        Reference(RecurrentCases.Case c) {
            Map<String, OnnxValue> in = c.inputs();
            Map<String, Object> a = c.attrs();
            boolean bf = c.batchFirst();
            OnnxValue x = in.get("X");
            int t = (int) x.shape()[bf ? 1 : 0];
            int n = (int) x.shape()[bf ? 0 : 1];
            int inSize = (int) x.shape()[2];
            int h = (Integer) a.get("hidden_size");
            int dirs = c.directions();
            int g = c.op().equals("LSTM") ? 4 : c.op().equals("GRU") ? 3 : 1;
            double clip = a.containsKey("clip") ? ((Float) a.get("clip")) : Double.POSITIVE_INFINITY;
            DoubleUnaryOperator[] f = functions(c);
            y = new float[t * dirs * n * h];
            yh = new float[dirs * n * h];
            yc = new float[dirs * n * h];
            for (int d = 0; d < dirs; d++) {
                boolean reverse = "reverse".equals(a.get("direction")) || d == 1;
                for (int b = 0; b < n; b++) {
                    int len = in.containsKey("sequence_lens") ? (int) in.get("sequence_lens").longs()[b] : t;
                    double[] hs = new double[h];
                    double[] cs = new double[h];
                    for (int j = 0; j < h; j++) {
                        hs[j] = state(in.get("initial_h"), bf, d, b, j, n, dirs, h);
                        cs[j] = state(in.get("initial_c"), bf, d, b, j, n, dirs, h);
                    }
                    for (int s = 0; s < len; s++) {
                        int step = reverse ? len - 1 - s : s;
                        double[] xv = new double[inSize];
                        for (int k = 0; k < inSize; k++) {
                            xv[k] = x.floats()[bf ? (b * t + step) * inSize + k : (step * n + b) * inSize + k];
                        }
                        // pre-activation parts of gate block q, unit j
                        double[][] xw = new double[g][h];
                        double[][] hr = new double[g][h];
                        for (int q = 0; q < g; q++) {
                            for (int j = 0; j < h; j++) {
                                int row = q * h + j;
                                double sx = bias(in, d, g, h, row, false);
                                for (int k = 0; k < inSize; k++) {
                                    sx += in.get("W").floats()[(d * g * h + row) * inSize + k] * xv[k];
                                }
                                double sh = bias(in, d, g, h, row, true);
                                for (int k = 0; k < h; k++) {
                                    sh += in.get("R").floats()[(d * g * h + row) * h + k] * hs[k];
                                }
                                xw[q][j] = sx;
                                hr[q][j] = sh;
                            }
                        }
                        double[] hNew = new double[h];
                        double[] cNew = new double[h];
                        for (int j = 0; j < h; j++) {
                            switch (c.op()) {
                                case "LSTM" -> {
                                    double pi = peep(in, d, h, 0, j);
                                    double po = peep(in, d, h, 1, j);
                                    double pf = peep(in, d, h, 2, j);
                                    double ig = f[d * 3].applyAsDouble(cl(xw[0][j] + hr[0][j] + pi * cs[j], clip));
                                    double fg = Integer.valueOf(1).equals(a.get("input_forget")) ? 1 - ig
                                            : f[d * 3].applyAsDouble(cl(xw[2][j] + hr[2][j] + pf * cs[j], clip));
                                    double cc = f[d * 3 + 1].applyAsDouble(cl(xw[3][j] + hr[3][j], clip));
                                    cNew[j] = fg * cs[j] + ig * cc;
                                    double og = f[d * 3].applyAsDouble(cl(xw[1][j] + hr[1][j] + po * cNew[j], clip));
                                    hNew[j] = og * f[d * 3 + 2].applyAsDouble(cNew[j]);
                                }
                                case "GRU" -> {
                                    double z = f[d * 2].applyAsDouble(cl(xw[0][j] + hr[0][j], clip));
                                    double r = f[d * 2].applyAsDouble(cl(xw[1][j] + hr[1][j], clip));
                                    double cand;
                                    if (Integer.valueOf(1).equals(a.get("linear_before_reset"))) {
                                        cand = xw[2][j] + r * hr[2][j];
                                    } else {
                                        // (r * h_{t-1}) R_h^T + Rb_h, with r of every unit
                                        cand = xw[2][j] + bias(in, d, g, h, 2 * h + j, true);
                                        for (int k = 0; k < h; k++) {
                                            double rk = f[d * 2].applyAsDouble(cl(xw[1][k] + hr[1][k], clip));
                                            cand += in.get("R").floats()[(d * g * h + 2 * h + j) * h + k] * rk * hs[k];
                                        }
                                    }
                                    double hh = f[d * 2 + 1].applyAsDouble(cl(cand, clip));
                                    hNew[j] = (1 - z) * hh + z * hs[j];
                                }
                                default -> hNew[j] = f[d].applyAsDouble(cl(xw[0][j] + hr[0][j], clip));
                            }
                        }
                        hs = hNew;
                        if (c.op().equals("LSTM")) {
                            cs = cNew;
                        }
                        for (int j = 0; j < h; j++) {
                            int idx = bf ? ((b * t + step) * dirs + d) * h + j : ((step * dirs + d) * n + b) * h + j;
                            y[idx] = (float) hs[j];
                        }
                    }
                    for (int j = 0; j < h; j++) {
                        int idx = bf ? (b * dirs + d) * h + j : (d * n + b) * h + j;
                        yh[idx] = (float) hs[j];
                        yc[idx] = (float) cs[j];
                    }
                }
            }
            yShape = bf ? new long[] {n, t, dirs, h} : new long[] {t, dirs, n, h};
        }

        private static double cl(double v, double c) {
            return Math.max(-c, Math.min(c, v));
        }

        private static double state(OnnxValue v, boolean bf, int d, int b, int j, int n, int dirs, int h) {
            if (v == null) {
                return 0;
            }
            return v.floats()[bf ? (b * dirs + d) * h + j : (d * n + b) * h + j];
        }

        private static double bias(Map<String, OnnxValue> in, int d, int g, int h, int row, boolean recurrent) {
            OnnxValue b = in.get("B");
            return b == null ? 0 : b.floats()[d * 2 * g * h + (recurrent ? g * h : 0) + row];
        }

        private static double peep(Map<String, OnnxValue> in, int d, int h, int block, int j) {
            OnnxValue p = in.get("P");
            return p == null ? 0 : p.floats()[d * 3 * h + block * h + j];
        }

        /** The activation functions per direction, from the ONNX defaults or the node's list with alpha/beta. */
        private static DoubleUnaryOperator[] functions(RecurrentCases.Case c) {
            String[] names = (String[]) c.attrs().get("activations");
            if (names == null) {
                names = switch (c.op()) {
                    case "LSTM" -> new String[] {"Sigmoid", "Tanh", "Tanh"};
                    case "GRU" -> new String[] {"Sigmoid", "Tanh"};
                    default -> new String[] {"Tanh"};
                };
            }
            float[] alpha = (float[]) c.attrs().get("activation_alpha");
            float[] beta = (float[]) c.attrs().get("activation_beta");
            int ai = 0;
            int bi = 0;
            DoubleUnaryOperator[] fs = new DoubleUnaryOperator[names.length * c.directions()];
            for (int k = 0; k < fs.length; k++) {
                String name = names[k % names.length];
                switch (name) {
                    case "Sigmoid" -> fs[k] = v -> 1 / (1 + Math.exp(-v));
                    case "Tanh" -> fs[k] = Math::tanh;
                    case "Softsign" -> fs[k] = v -> v / (1 + Math.abs(v));
                    case "LeakyRelu" -> {
                        double al = alpha[ai++];
                        fs[k] = v -> v >= 0 ? v : al * v;
                    }
                    case "HardSigmoid" -> {
                        double al = alpha[ai++];
                        double be = beta[bi++];
                        fs[k] = v -> Math.max(0, Math.min(1, al * v + be));
                    }
                    case "ScaledTanh" -> {
                        double al = alpha[ai++];
                        double be = beta[bi++];
                        fs[k] = v -> al * Math.tanh(be * v);
                    }
                    default -> throw new IllegalStateException(name);
                }
            }
            return fs;
        }
    }
}
