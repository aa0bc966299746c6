package dev.rnn4j.nativeengine.interpreter;

import dev.rnn4j.onnx.OnnxValue;
import dev.rnn4j.onnx.OnnxValue.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * The non-recurrent operators the interpreter supports, in one typed table ({@link #OPERATORS}), with ONNX semantics
 * (numpy broadcasting for element-wise ops; opset 13+ forms with opset 11 fallbacks for Squeeze/Unsqueeze axes and
 * Softmax).
 */
final class TensorOps {
    /**
     * One operator the interpreter runs: its name, how many inputs it needs (present and not empty) at an opset, the
     * attributes it takes (any other is refused at load), and what computes it.
     */
    record Operator(String name, IntUnaryOperator inputsAtOpset, Set<String> attributes, Implementation run) {
    }

    /** Computes one node from its inputs ({@code null} for absent optional ones) at the model's opset. */
    @FunctionalInterface
    interface Implementation {
        OnnxValue apply(Node node, List<OnnxValue> in, int opset);
    }

    private static Operator op(String name, IntUnaryOperator inputs, Set<String> attributes, Implementation run) {
        return new Operator(name, inputs, attributes, run);
    }

    /**
     * The non-recurrent operators, by name, with ONNX semantics (the opsets this interpreter reads: Slice takes its
     * bounds as attributes before opset 10).
     */
    static final Map<String, Operator> OPERATORS = java.util.stream.Stream.of(
            op("Identity", v -> 1, Set.of(), (n, in, opset) -> in.get(0)),
            op("Transpose", v -> 1, Set.of("perm"), (n, in, opset) -> transpose(in.get(0), permutation(n, in.get(0).rank()))),
            op("Squeeze", v -> 1, Set.of("axes"), (n, in, opset) -> squeeze(n, in.get(0), axesOf(n, in, opset))),
            op("Unsqueeze", v -> 1, Set.of("axes"), (n, in, opset) -> unsqueeze(n, in.get(0), axesOf(n, in, opset))),
            op("Slice", v -> v < 10 ? 1 : 3, Set.of("starts", "ends", "axes"), (n, in, opset) -> slice(n, in)),
            op("Gather", v -> 2, Set.of("axis"), (n, in, opset) -> gather(n, in.get(0), in.get(1), n.i("axis", 0))),
            op("Gemm", v -> 2, Set.of("alpha", "beta", "transA", "transB"), (n, in, opset) -> gemm(n, in)),
            op("MatMul", v -> 2, Set.of(),
                (n, in, opset) -> matMul(n, requireFloat(n, in.get(0), 0), requireFloat(n, in.get(1), 1))),
            op("Add", v -> 2, Set.of(), (n, in, opset) -> binary(n, in.get(0), in.get(1), Double::sum)),
            op("Sub", v -> 2, Set.of(), (n, in, opset) -> binary(n, in.get(0), in.get(1), (a, b) -> a - b)),
            op("Mul", v -> 2, Set.of(), (n, in, opset) -> binary(n, in.get(0), in.get(1), (a, b) -> a * b)),
            op("Div", v -> 2, Set.of(), (n, in, opset) -> binary(n, in.get(0), in.get(1), (a, b) -> a / b)),
            op("Less", v -> 2, Set.of(), (n, in, opset) -> compare(n, in.get(0), in.get(1), (a, b) -> a < b ? 1 : 0)),
            op("Greater", v -> 2, Set.of(), (n, in, opset) -> compare(n, in.get(0), in.get(1), (a, b) -> a > b ? 1 : 0)),
            op("Equal", v -> 2, Set.of(), (n, in, opset) -> compare(n, in.get(0), in.get(1), (a, b) -> a == b ? 1 : 0)),
            op("Softmax", v -> 1, Set.of("axis"), (n, in, opset) -> softmax(n, in.get(0), opset)),
            op("Shape", v -> 1, Set.of("start", "end"), (n, in, opset) -> shape(n, in.get(0))),
            op("Constant", v -> 0, Set.of("value", "value_float", "value_floats", "value_int", "value_ints"),
                (n, in, opset) -> constant(n)),
            op("ConstantOfShape", v -> 1, Set.of("value"), (n, in, opset) -> constantOfShape(n, in.get(0))),
            op("Range", v -> 3, Set.of(), (n, in, opset) -> range(n, in.get(0), in.get(1), in.get(2))),
            op("Cast", v -> 1, Set.of("to"), (n, in, opset) -> cast(n, in.get(0))),
            op("Reshape", v -> 2, Set.of("allowzero"), (n, in, opset) -> reshape(n, in.get(0), in.get(1))),
            op("Flatten", v -> 1, Set.of("axis"), (n, in, opset) -> flatten(n, in.get(0))),
            op("Tanh", v -> 1, Set.of(), (n, in, opset) -> unary(in.get(0), Math::tanh)),
            op("Sigmoid", v -> 1, Set.of(), (n, in, opset) -> unary(in.get(0), v -> 1 / (1 + Math.exp(-v)))),
            op("Relu", v -> 1, Set.of(), (n, in, opset) -> unary(in.get(0), v -> Math.max(0, v))),
            op("Concat", v -> 1, Set.of("axis"), (n, in, opset) -> concat(n, in, n.i("axis", 0))),
            op("Expand", v -> 2, Set.of(), (n, in, opset) -> expand(n, in.get(0), in.get(1)))
    ).collect(java.util.stream.Collectors.toUnmodifiableMap(Operator::name, o -> o));

    /** The largest tensor an operator may make (2^26 elements, 256 MiB of floats): a bigger one is a broken file. */
    static final long MAX_ELEMENTS = 1L << 26;

    private TensorOps() {
    }

    /** Checks a node's attributes at load time: names the operator defines, values it supports. */
    static void validate(Node node) {
        Set<String> allowed = OPERATORS.get(node.op()).attributes();
        for (String a : node.attributeNames()) {
            if (!allowed.contains(a)) {
                throw node.error("unsupported attribute '" + a + "'" + (allowed.isEmpty() ? " (it takes none)"
                        : "; supported: " + String.join(", ", new java.util.TreeSet<>(allowed))));
            }
        }
        for (String flag : new String[] {"transA", "transB", "allowzero"}) {
            long v = node.i(flag, 0);
            if (v != 0 && v != 1) {
                throw node.error(flag + " must be 0 or 1, got " + v);
            }
        }
        if (node.op().equals("Constant") && node.attributeNames().size() != 1) {
            throw node.error("a Constant needs exactly one value attribute, got " + node.attributeNames());
        }
    }

    /** The input at {@code k} as a float tensor: MatMul and Gemm here compute in float32 only. */
    private static OnnxValue requireFloat(Node node, OnnxValue v, int k) {
        if (v == null) {
            throw node.error("input " + k + " is missing");
        }
        if (v.type() != Type.FLOAT) {
            throw node.error("input " + k + " is " + v.type() + "; this interpreter computes " + node.op()
                    + " in float32 only");
        }
        return v;
    }

    /** Refuses a result of more than {@link #MAX_ELEMENTS} elements before allocating it. */
    static int checkedSize(Node node, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw node.error("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > MAX_ELEMENTS) {
                throw node.error("a tensor of shape " + Arrays.toString(shape) + " is too large (over 2^26 elements)");
            }
        }
        return (int) n;
    }

    /** Runs one node; {@code in} has {@code null} for absent optional inputs. */
    static OnnxValue apply(Node node, List<OnnxValue> in, int opset) {
        Operator op = OPERATORS.get(node.op());
        if (op == null) {
            throw node.error("unsupported operator");
        }
        int needed = op.inputsAtOpset().applyAsInt(opset);
        for (int k = 0; k < needed; k++) {
            if (k >= in.size() || in.get(k) == null) {
                throw node.error("needs " + needed + " input" + (needed == 1 ? "" : "s") + ", input " + k + " is missing");
            }
        }
        return op.run().apply(node, in, opset);
    }

    // ---- shapes and indexing -------------------------------------------------------------------

    static int[] strides(long[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= (int) shape[d];
        }
        return s;
    }

    private static int axis(Node node, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw node.error("axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    /** A value of the same type as {@code like} with new data laid out by {@code source[i]}. */
    private static OnnxValue gatherElements(OnnxValue like, long[] shape, int[] source) {
        if (like.type() == Type.FLOAT) {
            float[] out = new float[source.length];
            for (int i = 0; i < source.length; i++) {
                out[i] = like.floats()[source[i]];
            }
            return OnnxValue.floats(shape, out);
        }
        long[] out = new long[source.length];
        for (int i = 0; i < source.length; i++) {
            out[i] = like.longs()[source[i]];
        }
        return OnnxValue.longs(like.type(), shape, out);
    }

    private static OnnxValue withShape(OnnxValue v, long[] shape) {
        return new OnnxValue(v.type(), shape, v.floats(), v.longs());
    }

    // ---- operators -------------------------------------------------------------------------------

    /** The perm attribute, checked to be a permutation of the {@code rank} axes; null (reverse them) if absent. */
    private static long[] permutation(Node node, int rank) {
        long[] perm = node.ints("perm");
        if (perm == null) {
            return null;
        }
        boolean[] seen = new boolean[rank];
        boolean ok = perm.length == rank;
        for (int d = 0; ok && d < rank; d++) {
            ok = perm[d] >= 0 && perm[d] < rank && !seen[(int) perm[d]];
            if (ok) {
                seen[(int) perm[d]] = true;
            }
        }
        if (!ok) {
            throw node.error("perm " + Arrays.toString(perm) + " is not a permutation of the " + rank + " axes");
        }
        return perm;
    }

    static OnnxValue transpose(OnnxValue x, long[] permAttr) {
        int r = x.rank();
        int[] perm = new int[r];
        for (int d = 0; d < r; d++) {
            perm[d] = permAttr == null ? r - 1 - d : (int) permAttr[d];
        }
        long[] shape = new long[r];
        for (int d = 0; d < r; d++) {
            shape[d] = x.shape()[perm[d]];
        }
        int[] inStrides = strides(x.shape());
        int[] src = new int[x.size()];
        int[] idx = new int[r];
        for (int i = 0; i < src.length; i++) {
            int off = 0;
            for (int d = 0; d < r; d++) {
                off += idx[d] * inStrides[perm[d]];
            }
            src[i] = off;
            nextIndex(idx, shape);
        }
        return gatherElements(x, shape, src);
    }

    private static long[] axesOf(Node node, List<OnnxValue> in, int opset) {
        if (in.size() > 1 && in.get(1) != null) {
            return in.get(1).longs();
        }
        return node.ints("axes");
    }

    static OnnxValue squeeze(Node node, OnnxValue x, long[] axes) {
        boolean[] drop = new boolean[x.rank()];
        if (axes == null) {
            for (int d = 0; d < x.rank(); d++) {
                drop[d] = x.shape()[d] == 1;
            }
        } else {
            for (long a : axes) {
                int d = axis(node, a, x.rank());
                if (x.shape()[d] != 1) {
                    throw node.error("dimension " + a + " of " + Arrays.toString(x.shape()) + " is not 1");
                }
                drop[d] = true;
            }
        }
        long[] shape = new long[x.rank()];
        int k = 0;
        for (int d = 0; d < x.rank(); d++) {
            if (!drop[d]) {
                shape[k++] = x.shape()[d];
            }
        }
        return withShape(x, Arrays.copyOf(shape, k));
    }

    /** An INT32 or INT64 tensor's values. */
    private static long[] integers(Node node, OnnxValue v, String what) {
        if (v.type() == Type.FLOAT) {
            throw node.error(what + " must be an integer tensor, got FLOAT");
        }
        return v.longs();
    }

    private static OnnxValue unsqueeze(Node node, OnnxValue x, long[] axes) {
        if (axes == null) {
            throw node.error("no axes given");
        }
        int r = x.rank() + axes.length;
        boolean[] added = new boolean[r];
        for (long a : axes) {
            added[axis(node, a, r)] = true;
        }
        long[] shape = new long[r];
        int k = 0;
        for (int d = 0; d < r; d++) {
            shape[d] = added[d] ? 1 : x.shape()[k++];
        }
        return withShape(x, shape);
    }

    private static OnnxValue slice(Node node, List<OnnxValue> in) {
        OnnxValue x = in.get(0);
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (in.size() == 1) {
            // opset 1-9: starts, ends and axes are attributes
            starts = node.ints("starts");
            ends = node.ints("ends");
            axes = node.ints("axes");
            if (starts == null || ends == null) {
                throw node.error("needs starts and ends (attributes before opset 10, inputs since)");
            }
        } else {
            if (in.size() < 3 || in.get(1) == null || in.get(2) == null) {
                throw node.error("needs the inputs data, starts and ends");
            }
            starts = integers(node, in.get(1), "starts");
            ends = integers(node, in.get(2), "ends");
            axes = in.size() > 3 && in.get(3) != null ? integers(node, in.get(3), "axes") : null;
            steps = in.size() > 4 && in.get(4) != null ? integers(node, in.get(4), "steps") : null;
        }
        if (ends.length != starts.length || axes != null && axes.length != starts.length
                || steps != null && steps.length != starts.length) {
            throw node.error("starts, ends, axes and steps must have the same length");
        }
        int r = x.rank();
        long[] begin = new long[r];
        long[] step = new long[r];
        long[] shape = x.shape().clone();
        Arrays.fill(step, 1);
        for (int k = 0; k < starts.length; k++) {
            int d = axis(node, axes == null ? k : axes[k], r);
            long dim = x.shape()[d];
            long st = steps == null ? 1 : steps[k];
            if (st == 0) {
                throw node.error("step 0");
            }
            long s = starts[k] < 0 ? starts[k] + dim : starts[k];
            long e = ends[k] < 0 ? ends[k] + dim : ends[k];
            if (st > 0) {
                s = Math.max(0, Math.min(s, dim));
                e = Math.max(0, Math.min(e, dim));
                shape[d] = Math.max(0, (e - s + st - 1) / st);
            } else {
                s = Math.max(-1, Math.min(s, dim - 1));
                e = Math.max(-1, Math.min(e, dim - 1));
                shape[d] = Math.max(0, (s - e - st - 1) / -st);
            }
            begin[d] = s;
            step[d] = st;
        }
        int[] inStrides = strides(x.shape());
        int n = dev.rnn4j.onnx.OnnxTensors.count(shape);
        int[] src = new int[n];
        int[] idx = new int[r];
        for (int i = 0; i < n; i++) {
            int off = 0;
            for (int d = 0; d < r; d++) {
                off += (int) (begin[d] + idx[d] * step[d]) * inStrides[d];
            }
            src[i] = off;
            nextIndex(idx, shape);
        }
        return gatherElements(x, shape, src);
    }

    private static OnnxValue gather(Node node, OnnxValue data, OnnxValue indices, long axisAttr) {
        int r = data.rank();
        int axis = axis(node, axisAttr, r);
        long dim = data.shape()[axis];
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= (int) data.shape()[d];
        }
        int inner = 1;
        for (int d = axis + 1; d < r; d++) {
            inner *= (int) data.shape()[d];
        }
        long[] idx = indices.longs();
        long[] shape = new long[r - 1 + indices.rank()];
        System.arraycopy(data.shape(), 0, shape, 0, axis);
        System.arraycopy(indices.shape(), 0, shape, axis, indices.rank());
        System.arraycopy(data.shape(), axis + 1, shape, axis + indices.rank(), r - axis - 1);
        int[] src = new int[outer * idx.length * inner];
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (long raw : idx) {
                long j = raw < 0 ? raw + dim : raw;
                if (j < 0 || j >= dim) {
                    throw new IllegalArgumentException("Gather: index " + raw + " is out of range for dimension " + dim);
                }
                for (int i = 0; i < inner; i++) {
                    src[k++] = (int) ((o * dim + j) * inner + i);
                }
            }
        }
        return gatherElements(data, shape, src);
    }

    private static OnnxValue gemm(Node node, List<OnnxValue> in) {
        OnnxValue a = requireFloat(node, in.get(0), 0);
        OnnxValue b = requireFloat(node, in.get(1), 1);
        boolean ta = node.i("transA", 0) != 0;
        boolean tb = node.i("transB", 0) != 0;
        float alpha = node.f("alpha", 1f);
        float beta = node.f("beta", 1f);
        if (a.rank() != 2 || b.rank() != 2) {
            throw node.error("A and B must be 2-D, got " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        int m = (int) (ta ? a.shape()[1] : a.shape()[0]);
        int k = (int) (ta ? a.shape()[0] : a.shape()[1]);
        int kb = (int) (tb ? b.shape()[1] : b.shape()[0]);
        int n = (int) (tb ? b.shape()[0] : b.shape()[1]);
        if (k != kb) {
            throw node.error("inner dimensions differ: " + k + " vs " + kb);
        }
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    float av = ta ? a.floats()[p * m + i] : a.floats()[i * k + p];
                    float bv = tb ? b.floats()[j * k + p] : b.floats()[p * n + j];
                    s += av * bv;
                }
                out[i * n + j] = alpha * s;
            }
        }
        OnnxValue result = OnnxValue.floats(new long[] {m, n}, out);
        if (in.size() > 2 && in.get(2) != null && beta != 0f) {
            OnnxValue c = in.get(2);
            result = binary(node, result, beta == 1f ? c : unary(c, v -> v * beta), Double::sum);
        }
        return result;
    }

    private static OnnxValue matMul(Node node, OnnxValue a, OnnxValue b) {
        boolean aVec = a.rank() == 1;
        boolean bVec = b.rank() == 1;
        long[] as = aVec ? new long[] {1, a.shape()[0]} : a.shape();
        long[] bs = bVec ? new long[] {b.shape()[0], 1} : b.shape();
        int m = (int) as[as.length - 2];
        int k = (int) as[as.length - 1];
        int n = (int) bs[bs.length - 1];
        if (bs[bs.length - 2] != k) {
            throw node.error("inner dimensions differ: " + Arrays.toString(a.shape()) + " x " + Arrays.toString(b.shape()));
        }
        long[] aBatch = Arrays.copyOf(as, as.length - 2);
        long[] bBatch = Arrays.copyOf(bs, bs.length - 2);
        long[] batch = broadcastShape(node, aBatch, bBatch);
        int nb = dev.rnn4j.onnx.OnnxTensors.count(batch);
        int[] aIdx = broadcastIndex(aBatch, batch);
        int[] bIdx = broadcastIndex(bBatch, batch);
        float[] out = new float[nb * m * n];
        for (int t = 0; t < nb; t++) {
            int ao = aIdx[t] * m * k;
            int bo = bIdx[t] * k * n;
            int oo = t * m * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a.floats()[ao + i * k + p] * b.floats()[bo + p * n + j];
                    }
                    out[oo + i * n + j] = s;
                }
            }
        }
        long[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = m;
        shape[batch.length + 1] = n;
        OnnxValue r = OnnxValue.floats(shape, out);
        if (aVec) {
            r = squeeze(node, r, new long[] {-2});
        }
        if (bVec) {
            r = squeeze(node, r, new long[] {-1});
        }
        return r;
    }

    static long[] broadcastShape(Node node, long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int d = 0; d < r; d++) {
            long da = d - (r - a.length) >= 0 ? a[d - (r - a.length)] : 1;
            long db = d - (r - b.length) >= 0 ? b[d - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw node.error("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
            out[d] = Math.max(da, db);
        }
        return out;
    }

    /** For every element of {@code out}, the flat index of the element of {@code in} it broadcasts from. */
    static int[] broadcastIndex(long[] in, long[] out) {
        int r = out.length;
        int[] inStrides = strides(in);
        int n = dev.rnn4j.onnx.OnnxTensors.count(out);
        int[] src = new int[n];
        int[] idx = new int[r];
        int shift = r - in.length;
        for (int i = 0; i < n; i++) {
            int off = 0;
            for (int d = shift; d < r; d++) {
                if (in[d - shift] != 1) {
                    off += idx[d] * inStrides[d - shift];
                }
            }
            src[i] = off;
            nextIndex(idx, out);
        }
        return src;
    }

    private static OnnxValue binary(Node node, OnnxValue a, OnnxValue b, DoubleBinaryOperator f) {
        long[] shape = broadcastShape(node, a.shape(), b.shape());
        int[] ai = broadcastIndex(a.shape(), shape);
        int[] bi = broadcastIndex(b.shape(), shape);
        if (a.type() == Type.FLOAT || b.type() == Type.FLOAT) {
            float[] out = new float[ai.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) f.applyAsDouble((float) a.get(ai[i]), (float) b.get(bi[i]));
            }
            return OnnxValue.floats(shape, out);
        }
        long[] out = new long[ai.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) f.applyAsDouble(a.get(ai[i]), b.get(bi[i]));
        }
        return OnnxValue.longs(a.type(), shape, out);
    }

    private static OnnxValue compare(Node node, OnnxValue a, OnnxValue b, DoubleBinaryOperator f) {
        long[] shape = broadcastShape(node, a.shape(), b.shape());
        int[] ai = broadcastIndex(a.shape(), shape);
        int[] bi = broadcastIndex(b.shape(), shape);
        long[] out = new long[ai.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) f.applyAsDouble(a.get(ai[i]), b.get(bi[i]));
        }
        return OnnxValue.longs(Type.BOOL, shape, out);
    }

    private static OnnxValue unary(OnnxValue x, DoubleUnaryOperator f) {
        float[] out = new float[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) f.applyAsDouble(x.get(i));
        }
        return OnnxValue.floats(x.shape(), out);
    }

    private static OnnxValue softmax(Node node, OnnxValue x, int opset) {
        int r = x.rank();
        int axis = axis(node, node.i("axis", opset >= 13 ? -1 : 1), r);
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= (int) x.shape()[d];
        }
        // opset < 13: softmax over the flattened trailing block; 13+: along one axis
        int len = opset >= 13 ? (int) x.shape()[axis] : x.size() / Math.max(outer, 1);
        int inner = opset >= 13 ? x.size() / Math.max(outer * len, 1) : 1;
        float[] out = new float[x.size()];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < len; k++) {
                    max = Math.max(max, x.floats()[base + k * inner]);
                }
                double z = 0;
                for (int k = 0; k < len; k++) {
                    z += Math.exp(x.floats()[base + k * inner] - max);
                }
                for (int k = 0; k < len; k++) {
                    out[base + k * inner] = (float) (Math.exp(x.floats()[base + k * inner] - max) / z);
                }
            }
        }
        return OnnxValue.floats(x.shape(), out);
    }

    private static OnnxValue shape(Node node, OnnxValue x) {
        int r = x.rank();
        int start = (int) node.i("start", 0);
        int end = (int) node.i("end", r);
        start = Math.max(0, Math.min(r, start < 0 ? start + r : start));
        end = Math.max(0, Math.min(r, end < 0 ? end + r : end));
        long[] dims = Arrays.copyOfRange(x.shape(), start, Math.max(start, end));
        return OnnxValue.longs(Type.INT64, new long[] {dims.length}, dims);
    }

    private static OnnxValue constant(Node node) {
        if (node.has("value")) {
            return node.tensor("value");
        }
        if (node.has("value_float")) {
            return OnnxValue.floats(new long[0], new float[] {node.f("value_float", 0)});
        }
        if (node.has("value_floats")) {
            float[] f = node.floats("value_floats");
            return OnnxValue.floats(new long[] {f.length}, f);
        }
        if (node.has("value_int")) {
            return OnnxValue.longs(Type.INT64, new long[0], new long[] {node.i("value_int", 0)});
        }
        if (node.has("value_ints")) {
            long[] l = node.ints("value_ints");
            return OnnxValue.longs(Type.INT64, new long[] {l.length}, l);
        }
        throw node.error("unsupported Constant attribute " + node.attributeNames());
    }

    private static OnnxValue constantOfShape(Node node, OnnxValue shapeValue) {
        long[] shape = integers(node, shapeValue, "shape").clone();
        OnnxValue v = node.tensor("value");
        int n = checkedSize(node, shape);
        if (v != null && v.size() != 1) {
            throw node.error("value must hold one element, got " + v.size());
        }
        if (v == null || v.type() == Type.FLOAT) {
            float[] out = new float[n];
            Arrays.fill(out, v == null ? 0f : v.floats()[0]);
            return OnnxValue.floats(shape, out);
        }
        long[] out = new long[n];
        Arrays.fill(out, v.longs()[0]);
        return OnnxValue.longs(v.type(), shape, out);
    }

    private static OnnxValue range(Node node, OnnxValue start, OnnxValue limit, OnnxValue delta) {
        double s = start.get(0);
        double l = limit.get(0);
        double d = delta.get(0);
        double count = Math.max(0, Math.ceil((l - s) / d));
        if (d == 0 || Double.isNaN(count) || count > MAX_ELEMENTS) {
            throw node.error("start " + s + ", limit " + l + " and delta " + d + " give no usable length");
        }
        int n = (int) count;
        if (start.type() == Type.FLOAT) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = (float) (s + i * d);
            }
            return OnnxValue.floats(new long[] {n}, out);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = (long) (s + i * d);
        }
        return OnnxValue.longs(start.type(), new long[] {n}, out);
    }

    private static OnnxValue cast(Node node, OnnxValue x) {
        int to = (int) node.i("to", 0);
        return switch (to) {
            case 1 -> x.type() == Type.FLOAT ? x : unary(x, v -> v);
            case 7, 6, 9 -> {
                Type t = to == 7 ? Type.INT64 : to == 6 ? Type.INT32 : Type.BOOL;
                long[] out = new long[x.size()];
                for (int i = 0; i < out.length; i++) {
                    double v = x.get(i);
                    out[i] = t == Type.BOOL ? (v != 0 ? 1 : 0) : (long) v;
                }
                yield OnnxValue.longs(t, x.shape(), out);
            }
            default -> throw node.error("unsupported Cast target type " + to + " (supported: FLOAT, INT32, INT64, BOOL)");
        };
    }

    private static OnnxValue reshape(Node node, OnnxValue x, OnnxValue shapeValue) {
        long[] shape = shapeValue.longs().clone();
        boolean allowZero = node.i("allowzero", 0) != 0;
        int infer = -1;
        long known = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0 && !allowZero) {
                shape[d] = x.shape()[d];
            }
            if (shape[d] == -1) {
                if (infer >= 0) {
                    throw node.error("more than one -1 in shape " + Arrays.toString(shapeValue.longs()));
                }
                infer = d;
            } else {
                known *= shape[d];
            }
        }
        if (infer >= 0) {
            shape[infer] = known == 0 ? 0 : x.size() / known;
        }
        if (dev.rnn4j.onnx.OnnxTensors.count(shape) != x.size()) {
            throw node.error("cannot reshape " + Arrays.toString(x.shape()) + " to " + Arrays.toString(shapeValue.longs()));
        }
        return withShape(x, shape);
    }

    /** {@code [d_0 ... d_(axis-1), d_axis ...] -> [outer, inner]}; axis in {@code [-rank, rank]}. */
    private static OnnxValue flatten(Node node, OnnxValue x) {
        int r = x.rank();
        long attr = node.i("axis", 1);
        long axis = attr < 0 ? attr + r : attr;
        if (axis < 0 || axis > r) {
            throw node.error("axis " + attr + " is out of range for rank " + r);
        }
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= x.shape()[d];
        }
        return withShape(x, new long[] {outer, x.size() / Math.max(outer, 1)});
    }

    private static OnnxValue concat(Node node, List<OnnxValue> in, long axisAttr) {
        OnnxValue first = in.get(0);
        int r = first.rank();
        int axis = axis(node, axisAttr, r);
        long[] shape = first.shape().clone();
        shape[axis] = 0;
        for (OnnxValue v : in) {
            shape[axis] += v.shape()[axis];
        }
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= (int) shape[d];
        }
        int n = dev.rnn4j.onnx.OnnxTensors.count(shape);
        float[] f = first.type() == Type.FLOAT ? new float[n] : null;
        long[] l = f == null ? new long[n] : null;
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (OnnxValue v : in) {
                int block = v.size() / Math.max(outer, 1);
                for (int i = 0; i < block; i++, k++) {
                    if (f != null) {
                        f[k] = (float) v.get(o * block + i);
                    } else {
                        l[k] = (long) v.get(o * block + i);
                    }
                }
            }
        }
        return f != null ? OnnxValue.floats(shape, f) : OnnxValue.longs(first.type(), shape, l);
    }

    private static OnnxValue expand(Node node, OnnxValue x, OnnxValue shapeValue) {
        long[] shape = broadcastShape(node, x.shape(), shapeValue.longs());
        return gatherElements(x, shape, broadcastIndex(x.shape(), shape));
    }

    /** Advances the multi-index {@code idx} over {@code shape} in row-major order (the last axis fastest). */
    private static void nextIndex(int[] idx, long[] shape) {
        for (int d = idx.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) {
                return;
            }
            idx[d] = 0;
        }
    }
}
