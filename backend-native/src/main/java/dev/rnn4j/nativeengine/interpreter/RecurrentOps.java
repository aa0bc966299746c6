package dev.rnn4j.nativeengine.interpreter;

import dev.rnn4j.spec.CellType;
import dev.rnn4j.onnx.OnnxValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * ONNX {@code LSTM}, {@code GRU} and {@code RNN} with every attribute and optional input, as the ONNX
 * operator documentation defines them:
 * <ul>
 *   <li>inputs X, W, R, B, sequence_lens, initial_h, initial_c (LSTM), P (LSTM); outputs Y, Y_h, Y_c;</li>
 *   <li>direction forward, reverse, bidirectional; layout 0 ({@code [T, N, ...]}) and 1 ({@code [N, T, ...]});</li>
 *   <li>clip (applied to every gate pre-activation), activations with activation_alpha/beta consumed in order
 *       by the functions that take them, input_forget, linear_before_reset;</li>
 *   <li>sequence_lens: Y is zero past a sequence's length, Y_h/Y_c hold its last valid state, and the reverse
 *       direction starts at each sequence's own last valid step.</li>
 * </ul>
 * Plain float loops: this is the reference-style path for arbitrary graphs; rnn4j's own exports can also be
 * loaded back into the fused cells ({@link dev.rnn4j.onnx.OnnxModels#spec} and
 * {@link dev.rnn4j.onnx.OnnxModels#parameters} read the spec and canonical parameters from the file).
 */
final class RecurrentOps {
    static final Set<String> SUPPORTED = java.util.Arrays.stream(CellType.values()).filter(CellType::isRecurrent)
            .map(CellType::onnxOp).collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final Set<String> ATTRIBUTES = Set.of("activation_alpha", "activation_beta", "activations", "clip",
            "direction", "hidden_size", "input_forget", "linear_before_reset", "layout");

    private RecurrentOps() {
    }

    private static int functionsPerDirection(String op) {
        return switch (op) {
            case "LSTM" -> 3;
            case "GRU" -> 2;
            default -> 1;
        };
    }

    private static List<String> defaultActivations(String op) {
        return switch (op) {
            case "LSTM" -> List.of("Sigmoid", "Tanh", "Tanh");
            case "GRU" -> List.of("Sigmoid", "Tanh");
            default -> List.of("Tanh");
        };
    }

    /** Checks attributes at load time so a bad file fails before it runs. */
    static void validate(Node node) {
        for (String a : node.attributeNames()) {
            if (!ATTRIBUTES.contains(a)) {
                throw node.error("unsupported attribute '" + a + "'");
            }
        }
        String dir = node.s("direction", "forward");
        if (!Set.of("forward", "reverse", "bidirectional").contains(dir)) {
            throw node.error("unsupported direction '" + dir + "'");
        }
        long layout = node.i("layout", 0);
        if (layout != 0 && layout != 1) {
            throw node.error("unsupported layout " + layout);
        }
        List<String> acts = node.strings("activations");
        if (acts != null) {
            int k = functionsPerDirection(node.op());
            int d = dir.equals("bidirectional") ? 2 : 1;
            if (acts.size() != k * d && acts.size() != k) {
                throw node.error("expected " + k * d + " activations, got " + acts.size());
            }
            for (String a : acts) {
                if (!Activation.known(a)) {
                    throw node.error("unsupported activation function '" + a + "'");
                }
            }
        }
        if (node.has("input_forget") && !node.op().equals("LSTM")) {
            throw node.error("input_forget is an LSTM attribute");
        }
        if (node.has("linear_before_reset") && !node.op().equals("GRU")) {
            throw node.error("linear_before_reset is a GRU attribute");
        }
        for (String flag : new String[] {"input_forget", "linear_before_reset"}) {
            long v = node.i(flag, 0);
            if (v != 0 && v != 1) {
                throw node.error(flag + " must be 0 or 1, got " + v);
            }
        }
        if (node.has("hidden_size") && node.i("hidden_size", 0) <= 0) {
            throw node.error("hidden_size must be positive, got " + node.i("hidden_size", 0));
        }
        int dirs = dir.equals("bidirectional") ? 2 : 1;
        List<String> names = acts != null ? acts : defaultActivations(node.op());
        int perDirection = functionsPerDirection(node.op());
        long usesAlpha = 0;
        long usesBeta = 0;
        for (int j = 0; j < dirs * perDirection; j++) {
            String n = names.get(names.size() == perDirection ? j % perDirection : j);
            usesAlpha += Activation.usesAlpha(n) ? 1 : 0;
            usesBeta += Activation.usesBeta(n) ? 1 : 0;
        }
        checkParameterCount(node, "activation_alpha", usesAlpha);
        checkParameterCount(node, "activation_beta", usesBeta);
    }

    /** Extra alpha or beta values would be silently ignored: refuse them, naming what the activations use. */
    private static void checkParameterCount(Node node, String attribute, long used) {
        float[] values = node.floats(attribute);
        if (values != null && values.length > used) {
            throw node.error(attribute + " has " + values.length + " values but the activations use " + used);
        }
    }

    /** {@code activations[d]}: the functions of direction d, with alpha/beta consumed in list order. */
    private static Activation[][] activations(Node node, int dirs) {
        int k = functionsPerDirection(node.op());
        List<String> names = node.strings("activations");
        if (names == null) {
            names = defaultActivations(node.op());
        }
        if (names.size() == k && dirs == 2) {
            List<String> both = new ArrayList<>(names);
            both.addAll(names);
            names = both;
        }
        float[] alphas = node.floats("activation_alpha");
        float[] betas = node.floats("activation_beta");
        int ai = 0;
        int bi = 0;
        Activation[][] out = new Activation[dirs][k];
        for (int j = 0; j < dirs * k; j++) {
            String n = names.get(j);
            Float alpha = null;
            Float beta = null;
            if (Activation.usesAlpha(n) && alphas != null && ai < alphas.length) {
                alpha = alphas[ai++];
            }
            if (Activation.usesBeta(n) && betas != null && bi < betas.length) {
                beta = betas[bi++];
            }
            out[j / k][j % k] = Activation.of(n, alpha, beta);
        }
        return out;
    }

    private static OnnxValue optional(List<OnnxValue> in, int k) {
        return in.size() > k ? in.get(k) : null;
    }

    /** Runs the node; returns Y, Y_h and (LSTM) Y_c. */
    static List<OnnxValue> apply(Node node, List<OnnxValue> in) {
        String op = node.op();
        int g = CellType.ofOnnxOp(op).gates();
        boolean batchFirst = node.i("layout", 0) == 1;
        String direction = node.s("direction", "forward");
        int dirs = direction.equals("bidirectional") ? 2 : 1;
        if (in.size() < 3 || in.get(0) == null || in.get(1) == null || in.get(2) == null) {
            throw node.error("needs the inputs X, W and R");
        }
        String[] names = {"X", "W", "R", "B", "sequence_lens", "initial_h", "initial_c", "P"};
        boolean cellState = CellType.ofOnnxOp(op).hasCellState();
        if (in.size() > (cellState ? 8 : 6)) {
            throw node.error("has " + in.size() + " inputs; " + op + " takes at most " + (cellState ? 8 : 6));
        }
        for (int k = 0; k < in.size(); k++) {
            boolean integer = k == 4;
            if (in.get(k) != null && (in.get(k).type() == OnnxValue.Type.FLOAT) == integer) {
                throw node.error(names[k] + " must be " + (integer ? "an integer" : "a float") + " tensor, got "
                        + in.get(k).type());
            }
        }
        OnnxValue xv = in.get(0);
        OnnxValue wv = in.get(1);
        OnnxValue rv = in.get(2);
        if (xv.rank() != 3 || wv.rank() != 3 || rv.rank() != 3) {
            throw node.error("X, W and R must be 3-D, got " + Arrays.toString(xv.shape()) + ", "
                    + Arrays.toString(wv.shape()) + ", " + Arrays.toString(rv.shape()));
        }
        int t = (int) (batchFirst ? xv.shape()[1] : xv.shape()[0]);
        int n = (int) (batchFirst ? xv.shape()[0] : xv.shape()[1]);
        int inSize = (int) xv.shape()[2];
        int h = (int) node.i("hidden_size", rv.shape()[2]);
        expect(node, "W", wv.shape(), dirs, (long) g * h, inSize);
        expect(node, "R", rv.shape(), dirs, (long) g * h, h);
        float[] x = batchFirst ? TensorOps.transpose(xv, new long[] {1, 0, 2}).floats() : xv.floats();
        OnnxValue bv = optional(in, 3);
        if (bv != null) {
            expect(node, "B", bv.shape(), dirs, 2L * g * h);
        }
        int[] lens = new int[n];
        Arrays.fill(lens, t);
        OnnxValue lv = optional(in, 4);
        if (lv != null) {
            expect(node, "sequence_lens", lv.shape(), n);
            for (int i = 0; i < n; i++) {
                lens[i] = (int) lv.longs()[i];
                if (lens[i] < 0 || lens[i] > t) {
                    throw node.error("sequence_lens[" + i + "] = " + lens[i] + " is outside 0.." + t);
                }
            }
        }
        float[] h0 = initialState(node, optional(in, 5), "initial_h", batchFirst, dirs, n, h);
        float[] c0 = cellState ? initialState(node, optional(in, 6), "initial_c", batchFirst, dirs, n, h) : null;
        OnnxValue pv = cellState ? optional(in, 7) : null;
        if (pv != null) {
            expect(node, "P", pv.shape(), dirs, 3L * h);
        }
        float clip = node.f("clip", Float.POSITIVE_INFINITY);
        boolean inputForget = node.i("input_forget", 0) != 0;
        boolean lbr = node.i("linear_before_reset", 0) != 0;
        Activation[][] acts = activations(node, dirs);

        float[] y = new float[t * dirs * n * h];
        float[] yh = new float[dirs * n * h];
        float[] yc = new float[dirs * n * h];
        for (int d = 0; d < dirs; d++) {
            boolean reverse = direction.equals("reverse") || d == 1;
            Weights wts = new Weights(wv.floats(), rv.floats(), bv == null ? null : bv.floats(),
                    pv == null ? null : pv.floats(), d, g, h, inSize);
            for (int b = 0; b < n; b++) {
                float[] hs = Arrays.copyOfRange(h0, (d * n + b) * h, (d * n + b + 1) * h);
                float[] cs = c0 == null ? null : Arrays.copyOfRange(c0, (d * n + b) * h, (d * n + b + 1) * h);
                for (int s = 0; s < lens[b]; s++) {
                    int step = reverse ? lens[b] - 1 - s : s;
                    int xOff = (step * n + b) * inSize;
                    switch (op) {
                        case "LSTM" -> lstmStep(wts, x, xOff, hs, cs, acts[d], clip, inputForget);
                        case "GRU" -> gruStep(wts, x, xOff, hs, acts[d], clip, lbr);
                        default -> rnnStep(wts, x, xOff, hs, acts[d], clip);
                    }
                    System.arraycopy(hs, 0, y, ((step * dirs + d) * n + b) * h, h);
                }
                System.arraycopy(hs, 0, yh, (d * n + b) * h, h);
                if (cs != null) {
                    System.arraycopy(cs, 0, yc, (d * n + b) * h, h);
                }
            }
        }
        OnnxValue yOut = OnnxValue.floats(new long[] {t, dirs, n, h}, y);
        OnnxValue yhOut = OnnxValue.floats(new long[] {dirs, n, h}, yh);
        OnnxValue ycOut = OnnxValue.floats(new long[] {dirs, n, h}, yc);
        if (batchFirst) {
            yOut = TensorOps.transpose(yOut, new long[] {2, 0, 1, 3});
            yhOut = TensorOps.transpose(yhOut, new long[] {1, 0, 2});
            ycOut = TensorOps.transpose(ycOut, new long[] {1, 0, 2});
        }
        return cellState ? List.of(yOut, yhOut, ycOut) : List.of(yOut, yhOut);
    }

    private static void expect(Node node, String name, long[] shape, long... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw node.error(name + " has shape " + Arrays.toString(shape) + ", expected " + Arrays.toString(expected));
        }
    }

    private static float[] initialState(Node node, OnnxValue v, String name, boolean batchFirst, int dirs, int n, int h) {
        if (v == null) {
            return new float[dirs * n * h];
        }
        if (batchFirst) {
            expect(node, name, v.shape(), n, dirs, h);
            return TensorOps.transpose(v, new long[] {1, 0, 2}).floats();
        }
        expect(node, name, v.shape(), dirs, n, h);
        return v.floats();
    }

    /** One direction's W, R, B, P, addressed by gate block. */
    private record Weights(float[] w, float[] r, float[] b, float[] p, int dir, int gates, int h, int in) {

        /** {@code x W_block^T + h R_block^T + Wb + Rb} for unit j of block {@code block}. */
        float pre(int block, int j, float[] x, int xOff, float[] hPrev, boolean withRecurrent) {
            int row = block * h + j;
            int gh = gates * h;
            float s = 0;
            int wOff = (dir * gh + row) * in;
            for (int k = 0; k < in; k++) {
                s += w[wOff + k] * x[xOff + k];
            }
            if (b != null) {
                s += b[dir * 2 * gh + row];
            }
            if (withRecurrent) {
                s += recurrent(block, j, hPrev) + rb(block, j);
            }
            return s;
        }

        /** {@code h R_block^T} for unit j. */
        float recurrent(int block, int j, float[] hv) {
            int rOff = (dir * gates * h + block * h + j) * h;
            float s = 0;
            for (int k = 0; k < h; k++) {
                s += r[rOff + k] * hv[k];
            }
            return s;
        }

        float rb(int block, int j) {
            return b == null ? 0f : b[dir * 2 * gates * h + gates * h + block * h + j];
        }

        /** Peephole {@code P[block]} for unit j, blocks i = 0, o = 1, f = 2. */
        float peep(int block, int j) {
            return p == null ? 0f : p[dir * 3 * h + block * h + j];
        }
    }

    private static float clip(float v, float c) {
        return Math.max(-c, Math.min(c, v));
    }

    /** ONNX LSTM step; blocks i, o, f, c; activations f, g, h. */
    private static void lstmStep(Weights wt, float[] x, int xOff, float[] hs, float[] cs, Activation[] a,
                                 float clip, boolean inputForget) {
        int h = wt.h();
        float[] hNew = new float[h];
        for (int j = 0; j < h; j++) {
            float c = cs[j];
            float i = a[0].apply(clip(wt.pre(0, j, x, xOff, hs, true) + wt.peep(0, j) * c, clip));
            float f = inputForget ? 1 - i : a[0].apply(clip(wt.pre(2, j, x, xOff, hs, true) + wt.peep(2, j) * c, clip));
            float g = a[1].apply(clip(wt.pre(3, j, x, xOff, hs, true), clip));
            float cNew = f * c + i * g;
            float o = a[0].apply(clip(wt.pre(1, j, x, xOff, hs, true) + wt.peep(1, j) * cNew, clip));
            cs[j] = cNew;
            hNew[j] = o * a[2].apply(cNew);
        }
        System.arraycopy(hNew, 0, hs, 0, h);
    }

    /** ONNX GRU step; blocks z, r, h; activations f, g. */
    private static void gruStep(Weights wt, float[] x, int xOff, float[] hs, Activation[] a, float clip, boolean lbr) {
        int h = wt.h();
        float[] z = new float[h];
        float[] rh = new float[h];
        float[] r = new float[h];
        for (int j = 0; j < h; j++) {
            z[j] = a[0].apply(clip(wt.pre(0, j, x, xOff, hs, true), clip));
            r[j] = a[0].apply(clip(wt.pre(1, j, x, xOff, hs, true), clip));
            rh[j] = r[j] * hs[j];
        }
        float[] hNew = new float[h];
        for (int j = 0; j < h; j++) {
            float xPart = wt.pre(2, j, x, xOff, hs, false);
            float cand = lbr
                    ? xPart + r[j] * (wt.recurrent(2, j, hs) + wt.rb(2, j))
                    : xPart + wt.recurrent(2, j, rh) + wt.rb(2, j);
            float hh = a[1].apply(clip(cand, clip));
            hNew[j] = (1 - z[j]) * hh + z[j] * hs[j];
        }
        System.arraycopy(hNew, 0, hs, 0, h);
    }

    /** ONNX RNN step; activation f. */
    private static void rnnStep(Weights wt, float[] x, int xOff, float[] hs, Activation[] a, float clip) {
        int h = wt.h();
        float[] hNew = new float[h];
        for (int j = 0; j < h; j++) {
            hNew[j] = a[0].apply(clip(wt.pre(0, j, x, xOff, hs, true), clip));
        }
        System.arraycopy(hNew, 0, hs, 0, h);
    }
}
