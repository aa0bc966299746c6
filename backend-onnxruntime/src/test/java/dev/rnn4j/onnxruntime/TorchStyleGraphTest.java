package dev.rnn4j.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.rnn4j.config.Backends;
import dev.rnn4j.onnx.export.OnnxContext;
import dev.rnn4j.onnx.export.OnnxRef;
import dev.rnn4j.onnx.OnnxValue;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.spi.OnnxSession;
import dev.rnn4j.testing.ModelAssertions;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A graph shaped like what {@code torch.onnx.export} writes for {@code nn.LSTM(batch_first=True)} followed by
 * {@code nn.Linear} on the last step: batch-first input transposed to time-major, initial states built from
 * {@code Shape -> Gather -> Unsqueeze -> Concat -> ConstantOfShape}, {@code Y} squeezed, the last step taken
 * with {@code Slice} (end INT64_MAX), and a {@code MatMul + Add} head. The native interpreter must run it by
 * the graph's own names and agree with ONNX Runtime (1e-5 absolute).
 */
class TorchStyleGraphTest {

    private static float[] random(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() - 0.5);
        }
        return a;
    }

    private static ModelProto torchLikeLstm(int in, int h, int c) {
        SplittableRandom rng = new SplittableRandom(5);
        OnnxContext ctx = new OnnxContext("main_graph");
        OnnxRef x = ctx.input("input.1", DataType.FLOAT, "batch", "seq", in);
        OnnxRef xt = x.transpose(1, 0, 2);
        OnnxRef batch = x.apply("Shape").apply("Gather", Map.of("axis", 0), ctx.scalar("idx", 0)).unsqueeze(0);
        OnnxRef stateShape = ctx.longs("one", 1).apply("Concat", Map.of("axis", 0), batch, ctx.longs("hidden", h));
        OnnxRef h0 = stateShape.apply("ConstantOfShape");
        OnnxRef c0 = stateShape.apply("ConstantOfShape");
        OnnxRef w = ctx.initializer("onnx::LSTM_W", new long[] {1, 4L * h, in}, random(rng, 4 * h * in));
        OnnxRef r = ctx.initializer("onnx::LSTM_R", new long[] {1, 4L * h, h}, random(rng, 4 * h * h));
        OnnxRef b = ctx.initializer("onnx::LSTM_B", new long[] {1, 8L * h}, random(rng, 8 * h));
        List<OnnxRef> lstm = ctx.op("LSTM", List.of(xt, w, r, b, OnnxContext.ABSENT, h0, c0), 3, Map.of("hidden_size", h));
        OnnxRef y = lstm.get(0).squeeze(1).transpose(1, 0, 2);                      // [N, T, H]
        OnnxRef last = y.apply("Slice", ctx.longs("starts", -1), ctx.longs("ends", Long.MAX_VALUE),
                ctx.longs("axes", 1)).squeeze(1);                                   // [N, H]
        OnnxRef wt = ctx.initializer("fc.weight_t", new long[] {h, c}, random(rng, h * c));
        OnnxRef bias = ctx.initializer("fc.bias", new long[] {c}, random(rng, c));
        ctx.output(last.matMul(wt).add(bias), "18", DataType.FLOAT, "batch", c);
        return ctx.model(17, "pytorch", "2.7.1", Map.of());
    }

    @Test
    void interpreterRunsTorchStyleGraphLikeOnnxRuntime() {
        byte[] model = torchLikeLstm(3, 5, 2).toByteArray();
        float[] x = random(new SplittableRandom(9), 4 * 6 * 3);
        Map<String, OnnxValue> feeds = Map.of("input.1", OnnxValue.floats(new long[] {4, 6, 3}, x));
        try (OnnxSession nat = Backends.create("native", EnumSet.noneOf(Capability.class)).openOnnx(model);
             OnnxSession ort = Backends.create("onnxruntime", EnumSet.noneOf(Capability.class)).openOnnx(model)) {
            OnnxValue a = nat.run(feeds).get("18");
            OnnxValue b = ort.run(feeds).get("18");
            assertArrayEquals(new long[] {4, 2}, a.shape());
            ModelAssertions.assertValuesClose(b.floats(), a.floats(), 1e-5, 0, "torch-style LSTM graph");
        }
    }
}
