package dev.rnn4j.nativeengine.jmh;

import dev.rnn4j.nativeengine.kernels.Buffers;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The native engine's matrix products at bench configuration D's shapes (2-layer char model, H = 256, N = 64, T = 100):
 * one recurrent step against packed {@code R^T}, a layer's input projection over all steps, and the weight gradient
 * summed over them. Run with {@link LayerBenchmarks} (README, "Speed"):
 * {@code mvn -B -pl backend-native test-compile exec:exec@jmh} after {@code mvn -B install -DskipTests}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", Buffers.ALIGNING_JVM_OPTION})
public class GemmBenchmarks {
    private static final int N = 64;
    private static final int H = 256;
    private static final int G = 4;
    private static final int T = 100;

    @Param({"1", "2"})
    public int threads;

    private Gemm gemm;
    private Gemm.Packed recurrent;
    private float[] h;
    private float[] pre;
    private float[] x;
    private float[] w;
    private float[] xp;
    private float[] dw;

    @Setup
    public void setUp() {
        gemm = new Gemm(Kernels.best(), threads);
        SplittableRandom rng = new SplittableRandom(1);
        recurrent = gemm.pack(H, G * H, random(G * H * H, rng), 0, 1, H);
        h = random(N * H, rng);
        pre = new float[N * G * H];
        x = random(T * N * H, rng);
        w = random(G * H * H, rng);
        xp = new float[T * N * G * H];
        dw = new float[G * H * H];
    }

    private static float[] random(int n, SplittableRandom rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextDouble(-1, 1);
        }
        return a;
    }

    /** One recurrent step: {@code [64, 256] x [256, 1024]} against packed weights. */
    @Benchmark
    public float[] recurrentStep() {
        gemm.multiply(N, h, 0, H, 1, recurrent, pre, 0, G * H);
        return pre;
    }

    /** A layer's input projection over all steps: {@code [6400, 256] x [256, 1024]}. */
    @Benchmark
    public float[] inputProjection() {
        gemm.abt(T * N, G * H, H, x, 0, H, w, 0, H, xp, 0, G * H);
        return xp;
    }

    /** The weight gradient summed over all steps: {@code [1024, 6400] x [6400, 256]}. */
    @Benchmark
    public float[] weightGradient() {
        gemm.atb(G * H, H, T * N, xp, 0, G * H, x, 0, H, dw, 0, H);
        return dw;
    }
}
