package dev.rnn4j.onnxruntime;

import dev.rnn4j.config.Threads;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.rnn4j.onnx.OnnxValue.Type;
import dev.rnn4j.spi.OnnxSession;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One ONNX Runtime session over ONNX bytes, fed and read by the graph's names. Single-threaded inside,
 * so results are reproducible.
 */
public final class OrtRunner implements OnnxSession {
    private final OrtEnvironment env;
    private final OrtSession session;

    /**
     * @throws UnsupportedOperationException for models ONNX Runtime does not implement (layout=1 recurrent ops)
     * @throws IllegalArgumentException      if ONNX Runtime rejects the model otherwise (the message is ORT's)
     */
    public OrtRunner(byte[] onnx) {
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(Threads.configured());
            opts.setInterOpNumThreads(1);
            // failures surface as exceptions with ORT's message; don't also print them to the console
            opts.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            session = env.createSession(onnx, opts);
        } catch (OrtException e) {
            if (String.valueOf(e.getMessage()).contains("Batchwise recurrent operations (layout == 1) are not supported")) {
                throw new UnsupportedOperationException("unsupported by ONNX Runtime: recurrent operators with "
                        + "layout=1 (batch-first); rnn4j's own exports use layout=0");
            }
            throw new IllegalArgumentException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, dev.rnn4j.onnx.OnnxValue> run(Map<String, dev.rnn4j.onnx.OnnxValue> inputs) {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (var e : inputs.entrySet()) {
                feeds.put(e.getKey(), toOrt(e.getValue()));
            }
            Map<String, dev.rnn4j.onnx.OnnxValue> out = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    out.put(e.getKey(), fromOrt((OnnxTensor) e.getValue()));
                }
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor toOrt(dev.rnn4j.onnx.OnnxValue v) throws OrtException {
        return switch (v.type()) {
            case FLOAT -> OnnxTensor.createTensor(env, FloatBuffer.wrap(v.floats()), v.shape());
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(v.longs()), v.shape());
            case INT32 -> {
                int[] ints = new int[v.size()];
                for (int i = 0; i < ints.length; i++) {
                    ints[i] = Math.toIntExact(v.longs()[i]);
                }
                yield OnnxTensor.createTensor(env, IntBuffer.wrap(ints), v.shape());
            }
            case BOOL -> {
                byte[] b = new byte[v.size()];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) (v.longs()[i] != 0 ? 1 : 0);
                }
                yield OnnxTensor.createTensor(env, ByteBuffer.wrap(b), v.shape(), OnnxJavaType.BOOL);
            }
        };
    }

    private static dev.rnn4j.onnx.OnnxValue fromOrt(OnnxTensor t) {
        TensorInfo info = t.getInfo();
        long[] shape = info.getShape();
        switch (info.type) {
            case FLOAT -> {
                FloatBuffer fb = t.getFloatBuffer();
                float[] values = new float[fb.remaining()];
                fb.get(values);
                return dev.rnn4j.onnx.OnnxValue.floats(shape, values);
            }
            case INT64 -> {
                LongBuffer lb = t.getLongBuffer();
                long[] values = new long[lb.remaining()];
                lb.get(values);
                return dev.rnn4j.onnx.OnnxValue.longs(Type.INT64, shape, values);
            }
            case INT32 -> {
                IntBuffer ib = t.getIntBuffer();
                long[] values = new long[ib.remaining()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = ib.get();
                }
                return dev.rnn4j.onnx.OnnxValue.longs(Type.INT32, shape, values);
            }
            default -> throw new IllegalArgumentException("ONNX Runtime output of unsupported type " + info.type);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("Cannot close the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
