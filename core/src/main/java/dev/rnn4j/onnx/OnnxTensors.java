package dev.rnn4j.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Converting between {@link TensorProto} and Java arrays. */
public final class OnnxTensors {

    private OnnxTensors() {
    }

    /** A float32 tensor stored as little-endian raw data. */
    public static TensorProto floats(String name, long[] shape, float[] data) {
        ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addAllDims(Arrays.stream(shape).boxed().toList()).setRawData(ByteString.copyFrom(buf.array())).build();
    }

    /** An int64 tensor stored as little-endian raw data. */
    public static TensorProto longs(String name, long[] shape, long[] data) {
        ByteBuffer buf = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(data);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                .addAllDims(Arrays.stream(shape).boxed().toList()).setRawData(ByteString.copyFrom(buf.array())).build();
    }

    /** An int32 tensor stored as little-endian raw data. */
    public static TensorProto ints(String name, long[] shape, int[] data) {
        ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asIntBuffer().put(data);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT32.getNumber())
                .addAllDims(Arrays.stream(shape).boxed().toList()).setRawData(ByteString.copyFrom(buf.array())).build();
    }

    /** The dims of a tensor. */
    public static long[] shape(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** Number of elements for a shape. */
    public static int count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("ONNX tensor shape " + java.util.Arrays.toString(shape)
                        + " has a negative dimension");
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("ONNX tensor shape " + java.util.Arrays.toString(shape)
                        + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }

    /**
     * Refuses a shape that claims more elements than the data could hold (checked before allocating: a damaged dims
     * field must not allocate gigabytes for a few bytes of data).
     */
    private static void requireData(TensorProto t, int elements, long atMost) {
        if (elements > atMost) {
            throw new IllegalArgumentException("Tensor '" + t.getName() + "' claims " + elements
                    + " elements but holds data for at most " + atMost);
        }
    }

    /**
     * The values of a float tensor, from raw data or the typed field.
     *
     * @throws IllegalArgumentException if it is not float32 or its size does not match its shape
     */
    public static float[] toFloats(TensorProto t) {
        if (t.getDataType() != TensorProto.DataType.FLOAT.getNumber()) {
            throw new IllegalArgumentException("Tensor '" + t.getName() + "' has data type "
                    + TensorProto.DataType.forNumber(t.getDataType()) + ", expected FLOAT");
        }
        int n = count(shape(t));
        requireData(t, n, t.getRawData().isEmpty() ? t.getFloatDataCount() : t.getRawData().size() / 4);
        float[] out = new float[n];
        if (!t.getRawData().isEmpty()) {
            checkSize(t, t.getRawData().size(), 4L * n);
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        } else {
            checkSize(t, t.getFloatDataCount(), n);
            for (int i = 0; i < n; i++) {
                out[i] = t.getFloatData(i);
            }
        }
        return out;
    }

    /**
     * The values of an integer or boolean tensor (INT64, INT32, INT8, UINT8, BOOL...) as longs.
     *
     * @throws IllegalArgumentException for other types or a size mismatch
     */
    public static long[] toLongs(TensorProto t) {
        int n = count(shape(t));
        requireData(t, n, t.getRawData().isEmpty() ? (long) t.getInt64DataCount() + t.getInt32DataCount()
                : t.getRawData().size());
        long[] out = new long[n];
        TensorProto.DataType type = TensorProto.DataType.forNumber(t.getDataType());
        boolean raw = !t.getRawData().isEmpty();
        ByteBuffer buf = raw ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN) : null;
        switch (type) {
            case INT64 -> {
                if (raw) {
                    checkSize(t, buf.remaining(), 8L * n);
                    buf.asLongBuffer().get(out);
                } else {
                    checkSize(t, t.getInt64DataCount(), n);
                    for (int i = 0; i < n; i++) {
                        out[i] = t.getInt64Data(i);
                    }
                }
            }
            case INT32, INT16, INT8, UINT8, UINT16, BOOL -> {
                int width = switch (type) {
                    case INT32 -> 4;
                    case INT16, UINT16 -> 2;
                    default -> 1;
                };
                if (raw) {
                    checkSize(t, buf.remaining(), (long) width * n);
                    for (int i = 0; i < n; i++) {
                        out[i] = switch (width) {
                            case 4 -> buf.getInt();
                            case 2 -> type == TensorProto.DataType.UINT16 ? buf.getShort() & 0xffff : buf.getShort();
                            default -> type == TensorProto.DataType.INT8 ? buf.get() : buf.get() & 0xff;
                        };
                    }
                } else {
                    checkSize(t, t.getInt32DataCount(), n);
                    for (int i = 0; i < n; i++) {
                        out[i] = t.getInt32Data(i);
                    }
                }
            }
            default -> throw new IllegalArgumentException("Tensor '" + t.getName() + "' has unsupported data type " + type);
        }
        return out;
    }

    private static void checkSize(TensorProto t, long got, long expected) {
        if (got != expected) {
            throw new IllegalArgumentException("Tensor '" + t.getName() + "' of shape " + Arrays.toString(shape(t))
                    + " holds " + got + " " + (t.getRawData().isEmpty() ? "values" : "bytes") + ", expected " + expected);
        }
    }
}
