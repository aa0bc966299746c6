package dev.rnn4j.nativeengine.jmh;

import dev.rnn4j.nativeengine.kernels.Buffers;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How close the GEMM micro-kernel comes to this core's peak, on one thread, with everything in L1: one call of
 * {@link Kernels#packedPanel} over one packed block of B (the machine's {@link Gemm#blockRowsHere()} rows by a panel's
 * width, from a cache line) against a loop of the same number of independent multiply-adds on registers alone
 * ({@code peak}). The ratio of their times is the kernel's share of the peak with no memory in the way; what a whole
 * product loses beyond it is memory (docs/speed.md, "How the native engine computes"). See {@link GemmBenchmarks} for
 * how to run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", Buffers.ALIGNING_JVM_OPTION})
public class KernelBenchmarks {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Kernels kernels;
    private int k;
    private int mr;
    private int nr;
    private float[] a;
    private float[] panel;
    private float[] c;

    @Setup
    public void setUp() {
        kernels = Kernels.best();
        k = Gemm.blockRowsHere();
        mr = kernels.panelRows();
        nr = kernels.panelWidth();
        int start = Buffers.ALIGNED_START;
        a = filled(start + mr * k, 0.001f);
        panel = filled(start + k * nr, 0.0001f);
        c = new float[start + mr * nr];
    }

    private static float[] filled(int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = scale * (i % 7 - 3);
        }
        return x;
    }

    /** One micro-kernel call: a tile of {@code mr x nr} over {@code k} inner terms, A, B and C in L1. */
    @Benchmark
    public float[] microKernel() {
        int start = Buffers.ALIGNED_START;
        kernels.packedPanel(mr, k, a, start, panel, start, c, start, nr, nr);
        return c;
    }

    /**
     * The peak: the micro-kernel's {@code 2 mr k} vector multiply-adds into 12 independent accumulators (more than the
     * multiply-add units' latency times their number on current cores), their operands in registers, nothing loaded.
     */
    @Benchmark
    public float peak() {
        FloatVector x = FloatVector.broadcast(S, a[0]);
        FloatVector b0 = FloatVector.fromArray(S, panel, 0);
        FloatVector b1 = FloatVector.fromArray(S, panel, S.length());
        int steps = k * mr / 6;
        FloatVector r0 = FloatVector.zero(S);
        FloatVector r1 = r0;
        FloatVector r2 = r0;
        FloatVector r3 = r0;
        FloatVector r4 = r0;
        FloatVector r5 = r0;
        FloatVector r6 = r0;
        FloatVector r7 = r0;
        FloatVector r8 = r0;
        FloatVector r9 = r0;
        FloatVector r10 = r0;
        FloatVector r11 = r0;
        for (int p = 0; p < steps; p++) {
            r0 = b0.fma(x, r0);
            r1 = b1.fma(x, r1);
            r2 = b0.fma(x, r2);
            r3 = b1.fma(x, r3);
            r4 = b0.fma(x, r4);
            r5 = b1.fma(x, r5);
            r6 = b0.fma(x, r6);
            r7 = b1.fma(x, r7);
            r8 = b0.fma(x, r8);
            r9 = b1.fma(x, r9);
            r10 = b0.fma(x, r10);
            r11 = b1.fma(x, r11);
        }
        // summed in line: passed to a method as an array, the accumulators became objects inside the loop (100x slower)
        return r0.add(r1).add(r2).add(r3).add(r4).add(r5).add(r6).add(r7).add(r8).add(r9).add(r10).add(r11)
                .reduceLanes(VectorOperators.ADD);
    }
}
