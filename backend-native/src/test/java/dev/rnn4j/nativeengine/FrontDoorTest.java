package dev.rnn4j.nativeengine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.Provenance;
import dev.rnn4j.Rnn4j;
import dev.rnn4j.RnnModel;
import dev.rnn4j.config.BackendException;
import dev.rnn4j.config.Backends;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.data.Sequence;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.model.Output;
import dev.rnn4j.onnx.OnnxModels;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.testing.ModelAssertions;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.TrainerConfig;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.train.TrainingResult;
import dev.rnn4j.train.TrainingSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The front door ({@link Rnn4j}, {@link RnnModel}) on the native engine: train, predict, save, load, export. */
class FrontDoorTest {
    private static final ModelSpec CLASSIFIER = ModelSpec.builder().setCell(CellType.GRU).setInputSize(1).setHiddenSize(8)
            .setHead(HeadKind.CLASSIFICATION, 2).setOutputMode(OutputMode.LAST_STEP).build();
    private static final TrainerConfig TRAINING = TrainerConfig.builder().optMaxSteps(30).optBatchSize(16).optEvalEvery(10)
            .optOptimizer(OptimizerConfig.adam(0.02f)).build();

    /** Class 1 when the first value is positive; lengths 2 to 6. */
    private static SequenceDataset firstSign(int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Sequence> list = new ArrayList<>();
        for (int s = 0; s < size; s++) {
            int length = 2 + rng.nextInt(5);
            float[] x = new float[length];
            for (int t = 0; t < length; t++) {
                x[t] = (float) rng.nextDouble(-1, 1);
            }
            list.add(Sequence.classification(x, length, new int[] {x[0] > 0 ? 1 : 0}));
        }
        return new SequenceDataset(1, HeadKind.CLASSIFICATION, 1, OutputMode.LAST_STEP, list);
    }

    private static final float[][][] QUERIES = {{{0.9f}, {-0.2f}, {0.1f}}, {{-0.7f}, {0.5f}}, {{0.3f}, {0.3f}, {0.3f}, {-1f}}};

    @Test
    void sameSeedTrainsTheSameModelAndASavedModelPredictsTheSame(@TempDir Path dir) throws IOException {
        SequenceDataset train = firstSign(200, 1);
        SequenceDataset test = firstSign(60, 2);
        float[][] before;
        try (RnnModel a = Rnn4j.model(CLASSIFIER).optSeed(5).optBackend("native").build();
             RnnModel b = Rnn4j.model(CLASSIFIER).optSeed(5).optBackend("native").build()) {
            TrainingResult r = a.fit(train, test, TRAINING);
            b.fit(train, test, TRAINING);
            assertEquals(30, r.steps());
            ModelAssertions.assertParametersClose(a.parameters(), b.parameters(), 0, "same seed, same parameters");
            assertEquals("native", a.provenance().engine());
            assertEquals(5L, a.provenance().seed());
            before = a.predictLast(QUERIES);
            a.optProvenance("first-sign", new Shape(200, 60)).save(dir.resolve("model"));
            a.exportOnnx(dir.resolve("model.onnx"));
        }
        try (RnnModel loaded = Rnn4j.load(dir.resolve("model"), "native")) {
            float[][] after = loaded.predictLast(QUERIES);
            for (int n = 0; n < QUERIES.length; n++) {
                assertArrayEquals(before[n], after[n], 0f, "sequence " + n + " after save and load");
            }
            assertEquals("first-sign", loaded.provenance().task());
            assertEquals(new Shape(200, 60), loaded.provenance().data(Shape.class));
        }
        Provenance inOnnx = OnnxModels.provenance(OnnxModels.read(dir.resolve("model.onnx"))).orElseThrow();
        assertEquals("first-sign", inOnnx.task());
        assertEquals(5L, inOnnx.seed());
        assertEquals("native", inOnnx.engine());
        assertEquals(Rnn4j.version(), inOnnx.rnn4jVersion());
    }

    /** A stand-in for a data set's Config record. */
    record Shape(int trainSize, int testSize) {
    }

    @Test
    void paddingInABatchDoesNotChangeAnyPrediction() {
        try (RnnModel m = Rnn4j.model(CLASSIFIER).optSeed(3).optBackend("native").build()) {
            float[][] together = m.predictLast(QUERIES);
            int[] classes = m.predictClasses(QUERIES);
            for (int n = 0; n < QUERIES.length; n++) {
                float[][] alone = m.predictLast(new float[][][] {QUERIES[n]});
                // one sequence alone has no padding; in the batch it is padded to 4 steps: same numbers (1e-6)
                assertArrayEquals(alone[0], together[n], 1e-6f, "sequence " + n);
                assertEquals(together[n][1] > together[n][0] ? 1 : 0, classes[n], "class of sequence " + n);
            }
            Output all = m.predict(QUERIES);
            assertEquals(3, all.size());
            assertEquals(1, all.steps());
            assertEquals(2, all.width());
        }
    }

    @Test
    void aTrainingSessionSavesAModelTheFrontDoorLoads(@TempDir Path dir) throws IOException {
        SequenceDataset train = firstSign(120, 3);
        SequenceDataset test = firstSign(40, 4);
        TrainingSession.Builder session = TrainingSession.builder().setSpec(CLASSIFIER)
                .setData(new DataSplit(train, test)).setTrainer(TRAINING).optSeed(9)
                .optProvenance(Provenance.of("first-sign", new Shape(120, 40), 9, null));
        IllegalStateException noOut = assertThrows(IllegalStateException.class, session::build);
        assertTrue(noOut.getMessage().contains("setOutput"), noOut.getMessage());

        TrainingSession.Result r = session.setOutput(dir).build().run(Backends.create("native", Set.of(Capability.TRAINING)));
        assertEquals(30, r.lossCurve().size());
        try (RnnModel loaded = Rnn4j.load(dir, "native")) {
            ModelAssertions.assertParametersClose(r.parameters(), loaded.parameters(), 0, "saved by the session");
            assertEquals("first-sign", loaded.provenance().task());
            assertEquals("native", loaded.provenance().engine());
            assertEquals(9L, loaded.provenance().seed());
        }
        assertTrue(Files.isRegularFile(TrainingSession.checkpointDir(dir).resolve("model.json")), "checkpoint written");
    }

    @Test
    void misuseFailsWithAMessageThatSaysWhat() {
        IllegalStateException noSpec = assertThrows(IllegalStateException.class, () -> RnnModel.builder().build());
        assertTrue(noSpec.getMessage().contains("setSpec"), noSpec.getMessage());
        BackendException unknown = assertThrows(BackendException.class,
                () -> Rnn4j.model(CLASSIFIER).optBackend("no-such-engine").build());
        assertTrue(unknown.getMessage().contains("native"), "lists the available engines: " + unknown.getMessage());
        ModelSpec regression = CLASSIFIER.toBuilder().setHead(HeadKind.REGRESSION, 1).build();
        try (RnnModel m = Rnn4j.model(regression).optBackend("native").build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.predictClasses(QUERIES));
            assertTrue(e.getMessage().contains("predictLast"), e.getMessage());
            IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                    () -> m.predict(new float[][][] {{{1f, 2f}}}));
            assertTrue(wide.getMessage().contains("I = 1"), wide.getMessage());
        }
    }
}
