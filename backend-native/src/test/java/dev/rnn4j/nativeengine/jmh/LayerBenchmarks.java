package dev.rnn4j.nativeengine.jmh;

import dev.rnn4j.nativeengine.cells.LayerWeights;
import dev.rnn4j.nativeengine.cells.RecurrentCell;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import java.util.Arrays;
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
 * One recurrent layer at bench configuration D's sizes (H = 256, N = 64): one step forward, and a 10-step forward
 * with its backward, for the LSTM and the GRU. See {@link GemmBenchmarks} for how to run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LayerBenchmarks {
    private static final int N = 64;
    private static final int H = 256;

    @Param({"1", "2"})
    public int threads;

    @Param({"LSTM", "GRU"})
    public CellType cell;

    private RecurrentCell layer;
    private float[] input;
    private float[] gradient;
    private int[] lengths;

    @Setup
    public void setUp() {
        Gemm gemm = new Gemm(Kernels.best(), threads);
        ModelSpec spec = ModelSpec.builder().setCell(cell).setInputSize(H).setHiddenSize(H)
                .setHead(HeadKind.CLASSIFICATION, 65).setOutputMode(OutputMode.EVERY_STEP).build();
        Parameters params = Initializer.initialize(spec, 1);
        layer = RecurrentCell.create(spec, 0, gemm, LayerWeights.of(params, 0), LayerWeights.of(params.zerosLike(), 0));
        SplittableRandom rng = new SplittableRandom(1);
        input = new float[10 * N * H];
        gradient = new float[10 * N * H];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) rng.nextDouble(-1, 1);
            gradient[i] = (float) rng.nextDouble(-1, 1);
        }
        lengths = new int[N];
        Arrays.fill(lengths, 10);
    }

    /** One time step forward (input projection, recurrent product, gates). */
    @Benchmark
    public float[] stepForward() {
        return layer.forward(input, 1, N, lengths);
    }

    /** Ten steps forward, then backward through them (input and weight gradients included). */
    @Benchmark
    public float[] tenStepsForwardBackward() {
        layer.forward(input, 10, N, lengths);
        return layer.backward(gradient, true);
    }
}
