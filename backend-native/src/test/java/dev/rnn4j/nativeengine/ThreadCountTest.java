package dev.rnn4j.nativeengine;

import dev.rnn4j.data.Sequence;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.testing.ModelAssertions;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Same seed, same engine, any thread count: the same trained model, bit for bit. The sizes (H = 128, batch 64,
 * 24 steps of 16 features) put the recurrent product, the input projection, the weight gradients and the gate
 * loops above the thresholds at which they split across threads.
 */
class ThreadCountTest {

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"LSTM", "GRU", "RNN_TANH"})
    void oneTwoAndThreeThreadsTrainTheSameModel(CellType cell) {
        sameModelOnEveryThreadCount(ModelSpec.builder().setCell(cell).setInputSize(16).setHiddenSize(128)
                .optNumLayers(2).optDropout(0.1f).setHead(HeadKind.CLASSIFICATION, 5)
                .setOutputMode(OutputMode.EVERY_STEP).build(), 64, 13);
    }

    /**
     * One sequence per batch: each step's products have a single row, split across the threads in passes of
     * {@code RecurrentCell.ROW_SPLIT_STEPS} steps or more (these sequences have 12 to 48); the weight gradients split.
     */
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"LSTM", "GRU"})
    void batchesOfOneSequenceToo(CellType cell) {
        sameModelOnEveryThreadCount(ModelSpec.builder().setCell(cell).setInputSize(16).setHiddenSize(128)
                .setHead(HeadKind.CLASSIFICATION, 5).setOutputMode(OutputMode.EVERY_STEP).build(), 1, 37);
    }

    /** ONNX's default GRU: a second product inside each step, on the rows a thread holds when the batch is split. */
    @Test
    void theOnnxDefaultGruToo() {
        sameModelOnEveryThreadCount(ModelSpec.builder().setCell(CellType.GRU).setInputSize(16).setHiddenSize(128)
                .optNumLayers(2).optLinearBeforeReset(false).setHead(HeadKind.CLASSIFICATION, 5)
                .setOutputMode(OutputMode.EVERY_STEP).build(), 64, 13);
    }

    /** Trains on 128 sequences of 12 to {@code 12 + lengthRange - 1} steps, in batches of {@code batchSize}. */
    private static void sameModelOnEveryThreadCount(ModelSpec spec, int batchSize, int lengthRange) {
        SplittableRandom rng = new SplittableRandom(9);
        List<Sequence> list = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            int t = 12 + rng.nextInt(lengthRange);
            float[] x = new float[t * 16];
            int[] labels = new int[t];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) rng.nextDouble(-1, 1);
            }
            for (int k = 0; k < t; k++) {
                labels[k] = rng.nextInt(5);
            }
            list.add(Sequence.classification(x, t, labels));
        }
        SequenceDataset data = new SequenceDataset(16, HeadKind.CLASSIFICATION, 5, OutputMode.EVERY_STEP, list);
        TrainerConfig config = TrainerConfig.builder().optMaxSteps(4).optBatchSize(batchSize).optEvalEvery(4)
                .optOptimizer(OptimizerConfig.adam(0.01f)).optClipNorm(1).optSeed(3).build();
        Parameters reference = null;
        for (int threads = 1; threads <= 3; threads++) {
            NativeBackend backend = NativeBackend.create(new Gemm(Kernels.best(), threads));
            try (TrainableModel model = backend.newTrainableModel(spec, Initializer.initialize(spec, 5), 5)) {
                new Trainer(config, List.of()).fit(model, data, data);
                if (reference == null) {
                    reference = model.parameters();
                } else {
                    ModelAssertions.assertParametersClose(reference, model.parameters(), 0, threads + " threads");
                }
            }
        }
    }
}
