package dev.rnn4j.nativeengine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.data.Batch;
import dev.rnn4j.model.Model;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.State;
import dev.rnn4j.model.StatefulOutput;
import dev.rnn4j.nativeengine.cells.RecurrentCell;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Introspection;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.testing.ModelAssertions;
import dev.rnn4j.testing.TestData;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A batch of at least {@link RecurrentCell#STEPWISE_PROJECTION} sequences projects its inputs step by step, just
 * before each step; a smaller one projects all steps at once. The conformance suite's batches are the smaller kind,
 * so the step-by-step path is checked here: each sequence's outputs are the same, bit for bit, in a padded batch of
 * sixteen as alone, and the batch's gradients match finite differences (the suite's step and tolerance). An
 * inference pass of such a batch keeps only the latest steps: it must give the training pass's outputs and states.
 */
class BatchPathsTest {
    private static final int SEQUENCES = 16;

    /**
     * Every cell, small (each step of the batch on one thread), bidirectional, and wide (H = 128: enough work that two
     * threads take half the batch each through every step).
     */
    static Stream<ModelSpec> cells() {
        return cellTypes().flatMap(cell -> Stream.of(
                TestData.spec(cell, 2, OutputMode.EVERY_STEP, HeadKind.CLASSIFICATION),
                TestData.spec(cell, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION),
                TestData.spec(cell, 2, OutputMode.EVERY_STEP, HeadKind.REGRESSION).toBuilder().optBidirectional(true)
                        .build(),
                wide(cell, 128)));
    }

    /** Every cell small, and the LSTM family at H = 64 (the batch split across threads; the GRU and RNN need more). */
    static Stream<ModelSpec> gradientCells() {
        return cellTypes().flatMap(cell -> Stream.concat(Stream.of(
                TestData.spec(cell, 2, OutputMode.EVERY_STEP, HeadKind.CLASSIFICATION),
                TestData.spec(cell, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION)),
                cell.name().startsWith("LSTM") ? Stream.of(wide(cell, 64)) : Stream.empty()));
    }

    private static Stream<CellType> cellTypes() {
        return Stream.of(CellType.LSTM, CellType.LSTM_PEEPHOLE, CellType.LSTM_CIFG, CellType.GRU, CellType.RNN_TANH);
    }

    private static ModelSpec wide(CellType cell, int hidden) {
        return TestData.spec(cell, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION).toBuilder().setHiddenSize(hidden)
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void eachSequenceGetsTheSameOutputsInABatchAsAlone(ModelSpec spec) {
        Batch batch = TestData.batch(spec, SEQUENCES, 5, 31);
        assertTrue(batch.size() >= RecurrentCell.STEPWISE_PROJECTION, "the batch must take the step-by-step path");
        for (int threads : new int[] {1, 2}) {
            try (Model model = NativeBackend.create(new Gemm(Kernels.best(), threads))
                    .newModel(spec, TestData.largeWeights(spec, 42))) {
                Output all = model.forward(batch);
                for (int n = 0; n < batch.size(); n++) {
                    Output alone = model.forward(TestData.sequence(batch, n));
                    for (int s = 0; s < alone.steps(); s++) {
                        for (int c = 0; c < alone.width(); c++) {
                            assertEquals(alone.get(0, s, c), all.get(n, s, c), 0f,
                                    TestData.label(spec) + ", " + threads + " threads: sequence " + n + " step " + s);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradientCells")
    void gradientsOfAPaddedBatchMatchFiniteDifferences(ModelSpec spec) {
        Batch batch = TestData.batch(spec, SEQUENCES, 5, 37);
        try (TrainableModel model = NativeBackend.create(new Gemm(Kernels.best(), 2))
                .newTrainableModel(spec, TestData.largeWeights(spec, 42), 1)) {
            // float32 central differences on the wide model's smallest gate blocks (|g| ~ 5e-3) carry up to 0.6%
            // noise (measured); a wrong term shows as an error of order 1
            ModelAssertions.checkGradients(model, batch, 1e-2, spec.hiddenSize() > 8 ? 1e-2 : 3e-3);
        }
    }

    /**
     * An inference pass keeps only the current step's pre-activations and two steps' states; from a given state it
     * gives the training pass's outputs and final states bit for bit, leaves the training pass's buffers alone (the
     * gradients after it are the same), and what needs every step refuses to follow it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void anInferencePassGivesTheTrainingPassOutputsAndStates(ModelSpec spec) {
        Batch batch = TestData.batch(spec, SEQUENCES, 5, 41);
        State initial = TestData.state(spec, SEQUENCES, 43);
        for (int threads : new int[] {1, 2}) {
            String what = TestData.label(spec) + ", " + threads + " threads";
            try (TrainableModel model = NativeBackend.create(new Gemm(Kernels.best(), threads))
                    .newTrainableModel(spec, TestData.largeWeights(spec, 42), 1)) {
                StatefulOutput trained = assertInferenceGivesTrainingBits(model, batch, initial, what);
                IllegalStateException backward = assertThrows(IllegalStateException.class,
                        () -> model.backward(new float[trained.output().values().length]));
                assertEquals("backward() needs a forwardTrain() first", backward.getMessage());
                assertThrows(IllegalStateException.class, () -> ((Introspection) model).activations(0), what);

                Parameters before = ModelAssertions.analyticGradients(model, batch);
                model.forward(batch);
                Parameters between = ModelAssertions.analyticGradients(model, batch);
                ModelAssertions.assertParametersClose(before, between, 0, what + ": gradients after an inference pass");
            }
        }
    }
    /**
     * One-hot inputs (a character out of twelve) are mostly zeros, so the input projection and W's gradient skip the
     * zeros ({@link Gemm#sparseMultiply}): outputs, gradients and an inference pass's outputs are the dense products'
     * bits, for every cell, bidirectional and wide, a padded batch, one and two threads.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void oneHotInputsGiveTheDenseProductsBits(ModelSpec small) {
        ModelSpec spec = small.toBuilder().setInputSize(12).build();
        Batch random = TestData.batch(spec, SEQUENCES, 5, 47);
        float[] oneHot = new float[random.inputs().length];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(48);
        for (int n = 0; n < random.size(); n++) {
            for (int t = 0; t < random.lengths()[n]; t++) {
                oneHot[(n * random.steps() + t) * 12 + rng.nextInt(12)] = 1f;
            }
        }
        Batch batch = new Batch(random.size(), random.steps(), 12, oneHot, random.lengths(), random.targetSteps(),
                random.targetSize(), random.targets(), random.labels());
        for (int threads : new int[] {1, 2}) {
            String what = TestData.label(spec) + ", " + threads + " threads";
            Gemm gemm = new Gemm(Kernels.best(), threads);
            assertTrue(gemm.mostlyZeros(oneHot, 0, oneHot.length), what + ": the inputs are sparse");
            try (TrainableModel sparse = NativeBackend.create(gemm)
                    .newTrainableModel(spec, TestData.largeWeights(spec, 42), 1);
                 TrainableModel dense = NativeBackend.create(gemm.denseOnly())
                         .newTrainableModel(spec, TestData.largeWeights(spec, 42), 1)) {
                assertArrayEquals(dense.forward(batch).values(), sparse.forward(batch).values(), what + ": inference");
                ModelAssertions.assertParametersClose(ModelAssertions.analyticGradients(dense, batch),
                        ModelAssertions.analyticGradients(sparse, batch), 0, what + ": gradients");
                assertArrayEquals(dense.forwardTrain(batch).values(), sparse.forwardTrain(batch).values(),
                        what + ": training outputs");
            }
        }
    }

    /**
     * LSTMs whose inference passes may take the batch along the vectors' lanes: a few input features over two layers
     * (the second's input is four features too), the same both ways (the second's input eight features, each
     * direction's cell in its own lanes), many features (12 into 20 units), and 64 units over two layers (the
     * second's input dense, and enough work to split the batch across threads); under a last-step head, whose top
     * layer writes each sequence's last output only, one way (64 units) and both ways; and cells that never do.
     */
    static Stream<ModelSpec> laneCells() {
        ModelSpec few = TestData.spec(CellType.LSTM, 2, OutputMode.EVERY_STEP, HeadKind.CLASSIFICATION);
        ModelSpec last = TestData.spec(CellType.LSTM, 2, OutputMode.LAST_STEP, HeadKind.REGRESSION);
        return Stream.of(few,
                few.toBuilder().optBidirectional(true).build(),
                few.toBuilder().setInputSize(12).setHiddenSize(20).optNumLayers(1).build(),
                few.toBuilder().setHiddenSize(64).build(),
                last.toBuilder().setHiddenSize(64).build(),
                last.toBuilder().optBidirectional(true).build(),
                TestData.spec(CellType.LSTM_PEEPHOLE, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION),
                TestData.spec(CellType.GRU, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION));
    }

    /**
     * An inference pass with the batch along the lanes gives the training pass's outputs and final states bit for bit:
     * 20 steps, sequences of unequal lengths from a given state, a last panel full (64 sequences) or part full (40),
     * one to three threads, vector and scalar kernels. It runs where it should: an LSTM without extras whose layer
     * has dense inputs or a few features on the vector kernels (the scalar kernels sum a few terms apart from a
     * product's), on one thread, and with the batch split at panels (64 units, 64 sequences on two threads); three
     * threads cut 64 sequences off the panels and go row by row.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("laneCells")
    void anInferencePassAlongTheLanesGivesTheTrainingPassBits(ModelSpec spec) {
        for (Kernels kernels : List.of(Kernels.best(), Kernels.scalar())) {
            for (int sequences : new int[] {64, 40}) {
                Batch batch = TestData.batch(spec, sequences, 20, 17);
                State initial = TestData.state(spec, sequences, 19);
                for (int threads = 1; threads <= 3; threads++) {
                    String what = TestData.label(spec) + ", " + kernels.getClass().getSimpleName() + ", " + sequences
                            + " sequences, " + threads + " threads";
                    try (TrainableModel model = NativeBackend.create(new Gemm(kernels, threads))
                            .newTrainableModel(spec, TestData.largeWeights(spec, 23), 1)) {
                        assertInferenceGivesTrainingBits(model, batch, initial, what);
                        for (int l = 0; l < spec.numLayers(); l++) {
                            boolean fits = spec.cell() == CellType.LSTM
                                    && (spec.layerInputSize(l) > Gemm.SMALL_K || kernels.fewTermsAsProductTerms());
                            boolean wide = spec.hiddenSize() == 64;
                            boolean lanes = ((NativeModel) model).passInLanes(l);
                            if (threads == 1 || wide && sequences == 64 && threads == 2) {
                                assertEquals(fits, lanes, what + ", layer " + l + ": along the lanes");
                            } else if (wide && threads == 3) {
                                assertTrue(!lanes, what + ", layer " + l + ": row by row, cut off the panels");
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * One-hot inputs (a feature out of 30 or 70, a quarter of them scaled, padded steps all zero) take the lanes with
     * each sequence's column of W picked out ({@link Kernels#hotColumns}: 70 features with AVX-512, 30 with AVX2 too)
     * and give the training pass's bits, which projects them row by row skipping the zeros: vector and scalar kernels,
     * 64 and 40 sequences, one to three threads. A batch with one row of two non-zeros takes its first layer row by
     * row, with the same bits.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {30, 70})
    void oneHotInputsTakeTheLanesWithTheTrainingPassBits(int features) {
        ModelSpec spec = TestData.spec(CellType.LSTM, 2, OutputMode.EVERY_STEP, HeadKind.CLASSIFICATION).toBuilder()
                .setInputSize(features).setHiddenSize(64).build();
        for (Kernels kernels : List.of(Kernels.best(), Kernels.scalar())) {
            for (int sequences : new int[] {64, 40}) {
                Batch random = TestData.batch(spec, sequences, 20, 17);
                float[] oneHot = new float[random.inputs().length];
                java.util.SplittableRandom rng = new java.util.SplittableRandom(18);
                for (int n = 0; n < sequences; n++) {
                    for (int t = 0; t < random.lengths()[n]; t++) {
                        oneHot[(n * random.steps() + t) * features + rng.nextInt(features)] =
                                rng.nextInt(4) == 0 ? (float) rng.nextDouble(-2, 2) : 1f;
                    }
                }
                float[] twoInARow = oneHot.clone();
                int row = sequences / 2 * random.steps() + 1;
                twoInARow[row * features + features - 1] = 0.5f; // a second non-zero (or a first)
                twoInARow[row * features] = -1f;
                State initial = TestData.state(spec, sequences, 19);
                for (int threads = 1; threads <= 3; threads++) {
                    String what = kernels.getClass().getSimpleName() + ", " + sequences + " sequences, " + threads
                            + " threads";
                    try (TrainableModel model = NativeBackend.create(new Gemm(kernels, threads))
                            .newTrainableModel(spec, TestData.largeWeights(spec, 23), 1)) {
                        assertInferenceGivesTrainingBits(model, withInputs(random, oneHot), initial, what);
                        if (threads == 1) {
                            assertEquals(features <= kernels.hotColumnsWidth(), ((NativeModel) model).passInLanes(0),
                                    what + ": one-hot along the lanes");
                        }
                        assertInferenceGivesTrainingBits(model, withInputs(random, twoInARow), initial,
                                what + ", two in a row");
                        assertTrue(!((NativeModel) model).passInLanes(0), what + ": two in a row, row by row");
                    }
                }
            }
        }
    }

    private static Batch withInputs(Batch b, float[] inputs) {
        return new Batch(b.size(), b.steps(), b.inputSize(), inputs, b.lengths(), b.targetSteps(), b.targetSize(),
                b.targets(), b.labels());
    }

    /**
     * An inference pass, a training pass and an inference pass again of {@code batch} from {@code initial}: the same
     * outputs and final states (h, and c where the cell keeps one) bit for bit. The first pass runs on the model's
     * fresh buffers, so an output it fails to write reads zero there, not the training pass's value. Returns the
     * training pass's.
     */
    private static StatefulOutput assertInferenceGivesTrainingBits(TrainableModel model, Batch batch, State initial,
                                                                   String what) {
        StatefulOutput first = model.forward(batch, initial);
        StatefulOutput trained = model.forwardTrain(batch, initial);
        StatefulOutput inferred = model.forward(batch, initial);
        for (StatefulOutput pass : List.of(first, inferred)) {
            String which = what + (pass == first ? ", first pass" : "");
            assertArrayEquals(trained.output().values(), pass.output().values(), which + ": outputs");
            for (int l = 0; l < model.spec().numLayers(); l++) {
                assertArrayEquals(trained.state().h(l), pass.state().h(l), which + ": h of layer " + l);
                if (trained.state().hasCell()) {
                    assertArrayEquals(trained.state().c(l), pass.state().c(l), which + ": c of layer " + l);
                }
            }
        }
        return trained;
    }

    /**
     * A last-step model's output gradient (zero but at each sequence's last step, in a buffer kept from pass to pass)
     * carries nothing over: batches of the same shape but other lengths, one after another, get the gradients a fresh
     * model gives each (one way and both ways, where the reverse direction's gradient sits at step 0).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void lastStepGradientsDoNotCarryOverBetweenBatches(boolean bidirectional) {
        ModelSpec spec = TestData.spec(CellType.LSTM, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION).toBuilder()
                .optBidirectional(bidirectional).build();
        Parameters weights = TestData.largeWeights(spec, 5);
        Batch[] batches = {TestData.batch(spec, new int[] {6, 2, 4, 6}, 7),
                TestData.batch(spec, new int[] {6, 5, 1, 3}, 8), TestData.batch(spec, new int[] {6, 6, 6, 6}, 9)};
        try (TrainableModel reused = NativeBackend.create(new Gemm(Kernels.best(), 1))
                .newTrainableModel(spec, weights, 1)) {
            for (Batch batch : batches) {
                Parameters fresh;
                try (TrainableModel once = NativeBackend.create(new Gemm(Kernels.best(), 1))
                        .newTrainableModel(spec, weights, 1)) {
                    fresh = ModelAssertions.analyticGradients(once, batch);
                }
                assertEquals(0.0, fresh.maxAbsDiff(ModelAssertions.analyticGradients(reused, batch)),
                        java.util.Arrays.toString(batch.lengths()));
            }
        }
    }
}
