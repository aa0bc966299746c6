package dev.rnn4j.nativeengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.config.Backends;
import dev.rnn4j.data.Sequence;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.train.Metrics;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainerConfig;
import dev.rnn4j.train.TrainingResult;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Stateful training carries what the previous chunk saw: a random bit stream cut into chunks of 4, the label at each
 * step the bit one step before. The first step of every chunk needs the previous chunk's last bit, which only a state
 * carried across the chunk boundary holds: a stateless model can get at most 7/8 of the steps right, a stateful one all.
 */
class StatefulTrainingTest {
    private static final int CHUNK = 4;
    private static final Backend NATIVE = Backends.create("native", EnumSet.of(Capability.TRAINING));

    /** {@code chunks} consecutive chunks of one bit stream, in order. */
    private static SequenceDataset bits(int chunks, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] stream = new float[chunks * CHUNK + 1];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = rng.nextInt(2);
        }
        List<Sequence> list = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            float[] x = new float[CHUNK];
            int[] labels = new int[CHUNK];
            for (int t = 0; t < CHUNK; t++) {
                int pos = 1 + c * CHUNK + t;
                x[t] = stream[pos];
                labels[t] = (int) stream[pos - 1];
            }
            list.add(Sequence.classification(x, CHUNK, labels));
        }
        return new SequenceDataset(1, HeadKind.CLASSIFICATION, 1, OutputMode.EVERY_STEP, list);
    }

    private static double accuracy(boolean stateful) {
        ModelSpec spec = ModelSpec.builder().setCell(CellType.GRU).setInputSize(1).setHiddenSize(8)
                .setHead(HeadKind.CLASSIFICATION, 2).setOutputMode(OutputMode.EVERY_STEP).build();
        TrainerConfig config = TrainerConfig.builder().optBatchSize(8).optMaxSteps(400).optEvalEvery(400)
                .optOptimizer(OptimizerConfig.adam(0.03f)).optSeed(3).optStateful(stateful).build();
        try (TrainableModel model = NATIVE.newTrainableModel(spec, Initializer.initialize(spec, 3), 3)) {
            TrainingResult r = new Trainer(config, List.of()).fit(model, bits(8 * 50, 1), bits(640, 2));
            return r.finalMetrics().get(Metrics.ACCURACY);
        }
    }

    @Test
    void onlyAStatefulModelSeesAcrossTheChunkBoundary() {
        double stateful = accuracy(true);
        double stateless = accuracy(false);
        assertTrue(stateful >= 0.97, "stateful accuracy " + stateful);
        assertTrue(stateless <= 0.9, "stateless accuracy " + stateless + " (at most 7/8 plus luck)");
    }

    @Test
    void streamBatchesContinueEachStream() {
        SequenceDataset data = bits(10, 1);
        List<int[]> kept = data.streamBatches(3, false);
        assertEquals(List.of("[0, 3, 6]", "[1, 4, 7]", "[2, 5, 8]"), kept.stream().map(java.util.Arrays::toString).toList());
        List<int[]> whole = data.streamBatches(3, true);
        assertEquals(List.of("[0, 4, 7]", "[1, 5, 8]", "[2, 6, 9]", "[3]"),
                whole.stream().map(java.util.Arrays::toString).toList());
    }
}
