package dev.rnn4j.nativeengine.interpreter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.rnn4j.onnx.OnnxValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The interpreter's load-time and run-time checks on the cases an audit found unguarded. */
class InterpreterValidationTest {

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto floats(String name, float... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            a.addFloats(v);
        }
        return a.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** One node {@code op(inputs) -> Y} with graph inputs named as given, at {@code opset}. */
    private static ModelProto model(int opset, NodeProto.Builder node, String... inputs) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g").addNode(node.setName("n").addOutput("Y"))
                .addOutput(ValueInfoProto.newBuilder().setName("Y"));
        for (String in : inputs) {
            g.addInput(ValueInfoProto.newBuilder().setName(in));
        }
        return ModelProto.newBuilder().setIrVersion(7).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).build();
    }

    @Test
    void sliceBeforeOpset10TakesItsBoundsFromAttributes() {
        ModelProto m = model(9, NodeProto.newBuilder().setOpType("Slice").addInput("X")
                .addAttribute(ints("starts", 1)).addAttribute(ints("ends", 3)).addAttribute(ints("axes", 1)), "X");
        float[] x = {0, 1, 2, 3, 4, 5, 6, 7};
        OnnxValue y = new OnnxInterpreter(m).run(Map.of("X", OnnxValue.floats(new long[] {2, 4}, x))).get("Y");
        assertArrayEquals(new long[] {2, 2}, y.shape());
        assertArrayEquals(new float[] {1, 2, 5, 6}, y.floats());
    }

    @Test
    void matMulOnIntegersIsRefusedNamingTheNode() {
        ModelProto m = model(13, NodeProto.newBuilder().setOpType("MatMul").addInput("A").addInput("B"), "A", "B");
        OnnxValue ints = OnnxValue.longs(OnnxValue.Type.INT64, new long[] {2, 2}, new long[] {1, 2, 3, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OnnxInterpreter(m).run(Map.of("A", ints, "B", ints)));
        assertEquals("ONNX node 'n' (MatMul): input 0 is INT64; this interpreter computes MatMul in float32 only",
                e.getMessage());
    }

    @Test
    void attributesAnOperatorDoesNotDefineAreRefusedAtLoad() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OnnxInterpreter(model(13,
                NodeProto.newBuilder().setOpType("Gemm").addInput("A").addInput("B").addAttribute(integer("transC", 1)),
                "A", "B")));
        assertTrue(e.getMessage().startsWith("ONNX node 'n' (Gemm): unsupported attribute 'transC'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OnnxInterpreter(model(13,
                NodeProto.newBuilder().setOpType("Gemm").addInput("A").addInput("B").addAttribute(integer("transA", 2)),
                "A", "B")));
        assertEquals("ONNX node 'n' (Gemm): transA must be 0 or 1, got 2", e.getMessage());
    }

    @Test
    void recurrentAttributesThatWouldBeIgnoredAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OnnxInterpreter(model(14,
                NodeProto.newBuilder().setOpType("LSTM").addInput("X").addInput("W").addInput("R")
                        .addAttribute(integer("hidden_size", 2)).addAttribute(integer("linear_before_reset", 1)),
                "X", "W", "R")));
        assertEquals("ONNX node 'n' (LSTM): linear_before_reset is a GRU attribute", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OnnxInterpreter(model(14,
                NodeProto.newBuilder().setOpType("RNN").addInput("X").addInput("W").addInput("R")
                        .addAttribute(integer("hidden_size", 2)).addAttribute(floats("activation_alpha", 1f, 2f)),
                "X", "W", "R")));
        assertEquals("ONNX node 'n' (RNN): activation_alpha has 2 values but the activations use 0", e.getMessage());
    }

    /** A damaged dims field claiming 2^30 floats over 4 bytes of data is refused before anything is allocated. */
    @Test
    void aShapeLargerThanItsDataIsRefusedBeforeAllocating() {
        ai.onnx.proto.OnnxMl.TensorProto t = ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setName("w").addDims(1L << 30)
                .setDataType(ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[4])).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxValue.fromProto(t));
        assertEquals("Tensor 'w' claims 1073741824 elements but holds data for at most 1", e.getMessage());
        ai.onnx.proto.OnnxMl.TensorProto ints = t.toBuilder()
                .setDataType(ai.onnx.proto.OnnxMl.TensorProto.DataType.INT64.getNumber()).build();
        e = assertThrows(IllegalArgumentException.class, () -> OnnxValue.fromProto(ints));
        assertTrue(e.getMessage().startsWith("Tensor 'w' claims 1073741824 elements"), e.getMessage());
    }

    /** A graph input with an initializer of the same name: the initializer is its default, a fed value replaces it. */
    @Test
    void aFedValueReplacesAnInputsDefaultInitializer() {
        dev.rnn4j.onnx.export.OnnxContext ctx = new dev.rnn4j.onnx.export.OnnxContext("defaults");
        dev.rnn4j.onnx.export.OnnxRef x = ctx.input("x", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, 2);
        ctx.initializer("x", new long[] {2}, new float[] {1, 2});
        ctx.output(x.apply("Relu"), "y", ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT, 2);
        OnnxInterpreter interpreter = new OnnxInterpreter(ctx.model(17, "test", "1", Map.of()));
        assertArrayEquals(new float[] {1, 2}, interpreter.run(Map.of()).get("y").floats());
        assertArrayEquals(new float[] {3, 0}, interpreter.run(Map.of("x", OnnxValue.floats(new long[] {2},
                new float[] {3, -4}))).get("y").floats());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> interpreter.run(Map.of("x",
                OnnxValue.floats(new long[] {3}, new float[] {3, -4, 5}))));
        assertTrue(e.getMessage().contains("expected shape [2], got [3]"), e.getMessage());
    }
}
