package dev.rnn4j.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.Arrays;

/**
 * A tensor flowing through an ONNX graph: float32 values, or integers and booleans held as longs.
 *
 * @param type   the element type
 * @param shape  dims, row-major
 * @param floats values when {@code type == FLOAT}, else {@code null}
 * @param longs  values for integer and boolean types, else {@code null}
 */
public record OnnxValue(Type type, long[] shape, float[] floats, long[] longs) {

    /** Element types the interpreter handles; every integer type is computed in 64 bits. */
    public enum Type { FLOAT, INT64, INT32, BOOL }

    public OnnxValue {
        int n = OnnxTensors.count(shape);
        int got = type == Type.FLOAT ? floats.length : longs.length;
        if (got != n) {
            throw new IllegalArgumentException("A " + type + " tensor of shape " + Arrays.toString(shape)
                    + " needs " + n + " values, got " + got);
        }
    }

    public static OnnxValue floats(long[] shape, float[] data) {
        return new OnnxValue(Type.FLOAT, shape, data, null);
    }

    public static OnnxValue longs(Type type, long[] shape, long[] data) {
        return new OnnxValue(type, shape, null, data);
    }

    public int size() {
        return OnnxTensors.count(shape);
    }

    public int rank() {
        return shape.length;
    }

    /** This value's elements as doubles, whatever the type. */
    public double get(int i) {
        return type == Type.FLOAT ? floats[i] : longs[i];
    }

    /** Reads a TensorProto (float32, int64, int32, int8/16, uint8/16 or bool). */
    public static OnnxValue fromProto(TensorProto t) {
        TensorProto.DataType dt = TensorProto.DataType.forNumber(t.getDataType());
        if (dt == null) {
            throw new IllegalArgumentException("Tensor '" + t.getName() + "' has an unknown data type number "
                    + t.getDataType());
        }
        long[] shape = OnnxTensors.shape(t);
        if (dt == TensorProto.DataType.FLOAT) {
            return floats(shape, OnnxTensors.toFloats(t));
        }
        Type type = switch (dt) {
            case BOOL -> Type.BOOL;
            case INT32, INT16, INT8, UINT8, UINT16 -> Type.INT32;
            case INT64 -> Type.INT64;
            default -> throw new IllegalArgumentException("Tensor '" + t.getName() + "' has unsupported data type " + dt
                    + " (supported: float32 and integer types)");
        };
        return longs(type, shape, OnnxTensors.toLongs(t));
    }

    /** Writes this value as a TensorProto named {@code name}. */
    public TensorProto toProto(String name) {
        return switch (type) {
            case FLOAT -> OnnxTensors.floats(name, shape, floats);
            case INT64 -> OnnxTensors.longs(name, shape, longs);
            case INT32 -> OnnxTensors.ints(name, shape, Arrays.stream(longs).mapToInt(Math::toIntExact).toArray());
            case BOOL -> {
                byte[] b = new byte[longs.length];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) (longs[i] != 0 ? 1 : 0);
                }
                yield TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.BOOL.getNumber())
                        .addAllDims(Arrays.stream(shape).boxed().toList())
                        .setRawData(com.google.protobuf.ByteString.copyFrom(b)).build();
            }
        };
    }
}
