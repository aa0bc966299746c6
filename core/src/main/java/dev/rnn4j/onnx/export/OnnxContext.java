package dev.rnn4j.onnx.export;

import dev.rnn4j.onnx.OnnxTensors;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one ONNX graph. Values are {@link OnnxRef}s; every operator call adds a node with a fresh,
 * readable output name.
 *
 * <pre>{@code
 * OnnxContext ctx = new OnnxContext("rnn4j");
 * OnnxRef x = ctx.input("input", TensorProto.DataType.FLOAT, "N", "T", 2);
 * OnnxRef y = x.transpose(1, 0, 2).apply("Tanh");
 * ctx.output(y, "output");
 * }</pre>
 */
public final class OnnxContext {
    /** An absent optional input (the empty name). */
    public static final OnnxRef ABSENT = new OnnxRef(null, "");

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<String, Integer> counters = new HashMap<>();

    public OnnxContext(String graphName) {
        graph.setName(graphName);
    }

    /** A graph input; each dim is an Integer (fixed) or a String (symbolic, e.g. "N"). */
    public OnnxRef input(String name, TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
        return new OnnxRef(this, name);
    }

    /** A float initializer. */
    public OnnxRef initializer(String name, long[] shape, float[] data) {
        graph.addInitializer(OnnxTensors.floats(name, shape, data));
        return new OnnxRef(this, name);
    }

    /** A 1-D int64 initializer (axes, shapes, starts). */
    public OnnxRef longs(String name, long... values) {
        graph.addInitializer(OnnxTensors.longs(fresh(name), new long[] {values.length}, values));
        return new OnnxRef(this, graph.getInitializer(graph.getInitializerCount() - 1).getName());
    }

    /** A scalar int64 initializer. */
    public OnnxRef scalar(String name, long value) {
        graph.addInitializer(OnnxTensors.longs(fresh(name), new long[0], new long[] {value}));
        return new OnnxRef(this, graph.getInitializer(graph.getInitializerCount() - 1).getName());
    }

    /**
     * Adds a node.
     *
     * @param opType  e.g. {@code LSTM}
     * @param inputs  inputs in order; {@link #ABSENT} for a skipped optional input
     * @param outputs how many outputs to name (trailing ones may be left unused)
     * @param attrs   attribute values: Integer, Long, Float, String, int[], long[], float[] or String[]
     */
    public List<OnnxRef> op(String opType, List<OnnxRef> inputs, int outputs, Map<String, Object> attrs) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(fresh(opType));
        for (OnnxRef in : inputs) {
            node.addInput(in.name());
        }
        List<OnnxRef> outs = new ArrayList<>();
        for (int k = 0; k < outputs; k++) {
            String name = fresh(opType.toLowerCase() + "_out");
            node.addOutput(name);
            outs.add(new OnnxRef(this, name));
        }
        // by name: the same node bytes whatever the caller's map (Map.of iterates in a per-JVM random order)
        new java.util.TreeMap<>(attrs).forEach((k, v) -> node.addAttribute(attribute(k, v)));
        graph.addNode(node);
        return outs;
    }

    /** Single-output convenience for {@link #op}. */
    public OnnxRef op(String opType, List<OnnxRef> inputs, Map<String, Object> attrs) {
        return op(opType, inputs, 1, attrs).get(0);
    }

    /** Declares {@code ref} as a graph output named {@code name} (through an Identity node). */
    public void output(OnnxRef ref, String name, TensorProto.DataType type, Object... dims) {
        graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName(fresh("Identity"))
                .addInput(ref.name()).addOutput(name));
        graph.addOutput(valueInfo(name, type, dims));
    }

    /** The model: this graph with one default-domain opset import, producer and metadata. */
    public ModelProto model(int opset, String producer, String version, Map<String, String> metadata) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setProducerName(producer)
                .setProducerVersion(version).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset));
        new java.util.TreeMap<>(metadata).forEach((k, v) ->
                m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private String fresh(String base) {
        int n = counters.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "_" + n;
    }

    /** A value info; with no dims the shape is left unknown (not a scalar). */
    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        if (dims.length == 0) {
            return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(type.getNumber()))).build();
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }

    private static AttributeProto attribute(String name, Object v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (v instanceof Integer || v instanceof Long) {
            a.setType(AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
        } else if (v instanceof Float || v instanceof Double) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(((Number) v).floatValue());
        } else if (v instanceof String s) {
            a.setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(s));
        } else if (v instanceof int[] ints) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (int i : ints) {
                a.addInts(i);
            }
        } else if (v instanceof long[] ls) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long l : ls) {
                a.addInts(l);
            }
        } else if (v instanceof float[] fs) {
            a.setType(AttributeProto.AttributeType.FLOATS);
            for (float f : fs) {
                a.addFloats(f);
            }
        } else if (v instanceof String[] ss) {
            a.setType(AttributeProto.AttributeType.STRINGS);
            for (String s : ss) {
                a.addStrings(com.google.protobuf.ByteString.copyFromUtf8(s));
            }
        } else {
            throw new IllegalArgumentException("Unsupported attribute value for " + name + ": " + v);
        }
        return a.build();
    }
}
