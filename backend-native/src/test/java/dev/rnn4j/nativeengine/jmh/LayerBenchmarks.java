package dev.rnn4j.nativeengine.jmh;

import dev.rnn4j.nativeengine.cells.LayerWeights;
import dev.rnn4j.nativeengine.cells.RecurrentCell;
import dev.rnn4j.nativeengine.cells.RecurrentCell.StateSlot;
import dev.rnn4j.nativeengine.kernels.Buffers;
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
 * One recurrent layer at the sizes of bench configurations B (I = 2, H = 100, N = 32, T = 8), C (I = 1, H = 32, N = 128,
 * T = 50) and D (I = H = 256, N = 64; 10 of its 100 steps): an inference pass, and a training pass (forward keeping
 * every step, then backward with input and weight gradients), for the LSTM and the GRU. See {@link GemmBenchmarks} for
 * how to run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", Buffers.ALIGNING_JVM_OPTION})
public class LayerBenchmarks {
    /** A bench configuration's layer and batch. */
    public enum Shape {
        B(2, 100, 32, 8), C(1, 32, 128, 50), D(256, 256, 64, 10);

        final int inputs;
        final int hidden;
        final int batch;
        final int steps;

        Shape(int inputs, int hidden, int batch, int steps) {
            this.inputs = inputs;
            this.hidden = hidden;
            this.batch = batch;
            this.steps = steps;
        }
    }

    @Param({"B", "C", "D"})
    public Shape shape;

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
        ModelSpec spec = ModelSpec.builder().setCell(cell).setInputSize(shape.inputs).setHiddenSize(shape.hidden)
                .setHead(HeadKind.CLASSIFICATION, 3).setOutputMode(OutputMode.EVERY_STEP).build();
        Parameters params = Initializer.initialize(spec, 1);
        layer = RecurrentCell.create(spec, 0, gemm, LayerWeights.of(params, 0), LayerWeights.of(params.zerosLike(), 0));
        SplittableRandom rng = new SplittableRandom(1);
        input = new float[shape.steps * shape.batch * shape.inputs];
        gradient = new float[shape.steps * shape.batch * shape.hidden];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) rng.nextDouble(-1, 1);
        }
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = (float) rng.nextDouble(-1, 1);
        }
        lengths = new int[shape.batch];
        Arrays.fill(lengths, shape.steps);
    }

    /** Every step forward, keeping only what the next step needs (an inference pass). */
    @Benchmark
    public float[] inference() {
        return layer.forward(input, shape.steps, shape.batch, lengths, StateSlot.ZERO, RecurrentCell.Pass.INFERENCE);
    }

    /** Every step forward, then backward through them (input and weight gradients included). */
    @Benchmark
    public float[] trainingPass() {
        layer.forward(input, shape.steps, shape.batch, lengths);
        return layer.backward(gradient, true);
    }
}
