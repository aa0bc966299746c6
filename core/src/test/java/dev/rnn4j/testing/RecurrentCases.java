package dev.rnn4j.testing;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.rnn4j.onnx.export.OnnxContext;
import dev.rnn4j.onnx.export.OnnxRef;
import dev.rnn4j.onnx.OnnxValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Single-node ONNX models for {@code LSTM}, {@code GRU} and {@code RNN} that exercise what the official node
 * tests do not: distinct random weights (gate order, R), reverse and bidirectional directions, sequence_lens
 * masking, initial states, peepholes, clip, input_forget, linear_before_reset, non-default activations with
 * alpha/beta, and layout=1. Every input is a graph input, so engines and references see the same numbers.
 */
public final class RecurrentCases {

    /**
     * One case.
     *
     * @param name   test name
     * @param op     LSTM, GRU or RNN
     * @param attrs  node attributes
     * @param inputs graph inputs in node order; a missing optional input is absent from the map and skipped
     *               by name in {@link #model()}
     */
    public record Case(String name, String op, Map<String, Object> attrs, Map<String, OnnxValue> inputs) {

        public int directions() {
            return "bidirectional".equals(attrs.get("direction")) ? 2 : 1;
        }

        public boolean batchFirst() {
            return Integer.valueOf(1).equals(attrs.get("layout"));
        }

        /** The single-node model; outputs Y, Y_h and (LSTM) Y_c. */
        public ModelProto model() {
            OnnxContext ctx = new OnnxContext(name);
            List<OnnxRef> refs = new ArrayList<>();
            String[] order = {"X", "W", "R", "B", "sequence_lens", "initial_h", "initial_c", "P"};
            int last = 0;
            for (int k = 0; k < order.length; k++) {
                if (inputs.containsKey(order[k])) {
                    last = k;
                }
            }
            for (int k = 0; k <= last; k++) {
                OnnxValue v = inputs.get(order[k]);
                if (v == null) {
                    refs.add(OnnxContext.ABSENT);
                    continue;
                }
                Object[] dims = new Object[v.rank()];
                for (int d = 0; d < dims.length; d++) {
                    dims[d] = (int) v.shape()[d];
                }
                refs.add(ctx.input(order[k], v.type() == OnnxValue.Type.FLOAT ? DataType.FLOAT : DataType.INT32, dims));
            }
            int outs = op.equals("LSTM") ? 3 : 2;
            List<OnnxRef> results = ctx.op(op, refs, outs, attrs);
            String[] names = {"Y", "Y_h", "Y_c"};
            for (int k = 0; k < outs; k++) {
                ctx.output(results.get(k), names[k], DataType.FLOAT);
            }
            return ctx.model(17, "rnn4j-tests", "0", Map.of());
        }
    }

    private RecurrentCases() {
    }

    private static float[] random(SplittableRandom rng, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    /** T = 4, N = 3, I = 2, H = 3; lengths 4, 2, 3. */
    static Case build(String name, String op, Map<String, Object> attrs, boolean bias, boolean lens,
                      boolean initial, boolean peephole, long seed) {
        int t = 4;
        int n = 3;
        int in = 2;
        int h = 3;
        int g = op.equals("LSTM") ? 4 : op.equals("GRU") ? 3 : 1;
        Map<String, Object> a = new LinkedHashMap<>(attrs);
        a.put("hidden_size", h);
        int d = "bidirectional".equals(a.get("direction")) ? 2 : 1;
        boolean batchFirst = Integer.valueOf(1).equals(a.get("layout"));
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, OnnxValue> inputs = new LinkedHashMap<>();
        long[] xShape = batchFirst ? new long[] {n, t, in} : new long[] {t, n, in};
        inputs.put("X", OnnxValue.floats(xShape, random(rng, t * n * in, 1.5)));
        inputs.put("W", OnnxValue.floats(new long[] {d, g * h, in}, random(rng, d * g * h * in, 0.9)));
        inputs.put("R", OnnxValue.floats(new long[] {d, g * h, h}, random(rng, d * g * h * h, 0.9)));
        if (bias) {
            inputs.put("B", OnnxValue.floats(new long[] {d, 2 * g * h}, random(rng, d * 2 * g * h, 0.5)));
        }
        if (lens) {
            inputs.put("sequence_lens", OnnxValue.longs(OnnxValue.Type.INT32, new long[] {n}, new long[] {4, 2, 3}));
        }
        if (initial) {
            long[] s = batchFirst ? new long[] {n, d, h} : new long[] {d, n, h};
            inputs.put("initial_h", OnnxValue.floats(s, random(rng, d * n * h, 0.8)));
            if (op.equals("LSTM")) {
                inputs.put("initial_c", OnnxValue.floats(s, random(rng, d * n * h, 0.8)));
            }
        }
        if (peephole) {
            inputs.put("P", OnnxValue.floats(new long[] {d, 3 * h}, random(rng, d * 3 * h, 0.7)));
        }
        return new Case(name, op, a, inputs);
    }

    /** Every case; {@code includeBatchFirst} adds layout=1 variants (ONNX Runtime refuses those). */
    public static List<Case> all(boolean includeBatchFirst) {
        List<Case> list = new ArrayList<>();
        list.add(build("lstm_forward_peephole_lens", "LSTM", Map.of(), true, true, false, true, 1));
        list.add(build("lstm_reverse_lens", "LSTM", Map.of("direction", "reverse"), true, true, true, true, 2));
        list.add(build("lstm_bidirectional_initial", "LSTM", Map.of("direction", "bidirectional"), true, true, true, true, 3));
        list.add(build("lstm_input_forget_clip", "LSTM", Map.of("input_forget", 1, "clip", 0.6f), true, true, true, false, 4));
        list.add(build("lstm_activations", "LSTM", Map.of("activations", new String[] {"HardSigmoid", "ScaledTanh", "Softsign"},
                "activation_alpha", new float[] {0.3f, 1.2f}, "activation_beta", new float[] {0.55f, 0.8f}),
                true, true, false, false, 5));
        list.add(build("gru_lbr0_bidirectional", "GRU", Map.of("direction", "bidirectional"), true, true, true, false, 6));
        list.add(build("gru_lbr1_lens", "GRU", Map.of("linear_before_reset", 1), true, true, true, false, 7));
        list.add(build("gru_lbr1_reverse_clip", "GRU", Map.of("linear_before_reset", 1, "direction", "reverse",
                "clip", 0.7f), true, true, false, false, 8));
        list.add(build("rnn_bidirectional_lens", "RNN", Map.of("direction", "bidirectional"), true, true, true, false, 9));
        list.add(build("rnn_leakyrelu_clip", "RNN", Map.of("activations", new String[] {"LeakyRelu"},
                "activation_alpha", new float[] {0.2f}, "clip", 0.9f), true, true, false, false, 10));
        list.add(build("rnn_no_bias", "RNN", Map.of(), false, false, false, false, 11));
        if (includeBatchFirst) {
            list.add(build("lstm_layout1_bidirectional", "LSTM", Map.of("layout", 1, "direction", "bidirectional"),
                    true, true, true, true, 12));
            list.add(build("gru_layout1_lens", "GRU", Map.of("layout", 1), true, true, true, false, 13));
        }
        return list;
    }
}
