package dev.rnn4j.onnx.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A value in an {@link OnnxContext} graph, with methods for the operators graph code uses most. */
public final class OnnxRef {
    private final OnnxContext ctx;
    private final String name;

    OnnxRef(OnnxContext ctx, String name) {
        this.ctx = ctx;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** {@code op(this, others...)} with attributes, one output. */
    public OnnxRef apply(String op, Map<String, Object> attrs, OnnxRef... others) {
        List<OnnxRef> inputs = new ArrayList<>();
        inputs.add(this);
        inputs.addAll(Arrays.asList(others));
        return ctx.op(op, inputs, attrs);
    }

    /** {@code op(this, others...)} without attributes. */
    public OnnxRef apply(String op, OnnxRef... others) {
        return apply(op, Map.of(), others);
    }

    public OnnxRef transpose(int... perm) {
        return apply("Transpose", Map.of("perm", perm));
    }

    public OnnxRef squeeze(long... axes) {
        return apply("Squeeze", ctx.longs("axes", axes));
    }

    public OnnxRef unsqueeze(long... axes) {
        return apply("Unsqueeze", ctx.longs("axes", axes));
    }

    public OnnxRef add(OnnxRef other) {
        return apply("Add", other);
    }

    public OnnxRef mul(OnnxRef other) {
        return apply("Mul", other);
    }

    public OnnxRef matMul(OnnxRef other) {
        return apply("MatMul", other);
    }

    /** {@code this W^T + b}, for {@code W [out, in]}. */
    public OnnxRef gemmTransB(OnnxRef w, OnnxRef b) {
        return apply("Gemm", Map.of("transB", 1), w, b);
    }

    public OnnxRef tanh() {
        return apply("Tanh");
    }

    public OnnxRef softmax(int axis) {
        return apply("Softmax", Map.of("axis", axis));
    }

    @Override
    public String toString() {
        return name;
    }
}
