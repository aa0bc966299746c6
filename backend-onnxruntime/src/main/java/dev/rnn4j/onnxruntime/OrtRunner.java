package dev.rnn4j.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One ONNX Runtime session over ONNX bytes. Single-threaded inside, so results are reproducible.
 * Inputs and outputs are named as in the graph.
 */
public final class OrtRunner implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;

    /**
     * @throws IllegalArgumentException if ONNX Runtime rejects the model (the message is ORT's)
     */
    public OrtRunner(byte[] onnx) {
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            opts.setInterOpNumThreads(1);
            session = env.createSession(onnx, opts);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** A named input: float32 data or int32/int64 data with a shape. */
    public record Input(long[] shape, float[] floats, int[] ints, long[] longs) {
        public static Input floats(long[] shape, float[] data) {
            return new Input(shape, data, null, null);
        }

        public static Input ints(long[] shape, int[] data) {
            return new Input(shape, null, data, null);
        }

        public static Input longs(long[] shape, long[] data) {
            return new Input(shape, null, null, data);
        }
    }

    /** A float output with its shape. */
    public record Result(long[] shape, float[] values) {
    }

    /**
     * Runs the graph.
     *
     * @return every float output by name, in graph order
     * @throws IllegalArgumentException with ONNX Runtime's message if the run fails
     */
    public Map<String, Result> run(Map<String, Input> inputs) {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (var e : inputs.entrySet()) {
                Input in = e.getValue();
                OnnxTensor t;
                if (in.floats() != null) {
                    t = OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(in.floats()), in.shape());
                } else if (in.ints() != null) {
                    t = OnnxTensor.createTensor(env, java.nio.IntBuffer.wrap(in.ints()), in.shape());
                } else {
                    t = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(in.longs()), in.shape());
                }
                feeds.put(e.getKey(), t);
            }
            Map<String, Result> out = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    java.nio.FloatBuffer fb = t.getFloatBuffer();
                    float[] values = new float[fb.remaining()];
                    fb.get(values);
                    out.put(e.getKey(), new Result(t.getInfo().getShape(), values));
                }
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
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
