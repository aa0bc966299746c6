package dev.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import dev.rnn4j.data.Batch;
import dev.rnn4j.data.Sequence;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.model.Model;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.State;
import dev.rnn4j.model.StatefulOutput;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.train.CheckpointListener;
import dev.rnn4j.train.LearningRateSchedule;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainerConfig;
import dev.rnn4j.train.TrainingListener;
import dev.rnn4j.train.Metrics;
import dev.rnn4j.train.TrainingResult;
import dev.rnn4j.spi.Updater;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checks every backend passes. A backend's test module extends it in two lines:
 * <pre>{@code
 * class NativeConformanceTest extends BackendConformanceTest {
 *     protected Backend backend() { return ...; }
 * }
 * }</pre>
 * Covered: every cell type, one and two layers, last-step and every-step outputs, masked variable
 * lengths, both heads. Gradient checks run only for backends with {@link Capability#TRAINING}.
 */
public abstract class BackendConformanceTest {

    /** The backend under test. */
    protected abstract Backend backend();

    /**
     * Capabilities are declared once: the backend's are its provider's (what {@code Backends.create} checks before
     * it starts), and a backend without {@code TRAINING} refuses to make a trainable model.
     */
    @Test
    void capabilitiesAreTheProvidersAndHold() {
        assertEquals(dev.rnn4j.config.Backends.provider(backend().name()).capabilities(), backend().capabilities());
        if (!backend().capabilities().contains(Capability.TRAINING)) {
            ModelSpec spec = TestData.spec(CellType.LSTM, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION);
            assertThrows(RuntimeException.class, () -> backend().newTrainableModel(spec,
                    Initializer.initialize(spec, 1), 1));
        }
    }

    /**
     * An independent engine whose forward outputs this one must match within {@link #forwardTolerance()}
     * (fp32), or {@code null} to skip that check.
     */
    protected Backend reference() {
        return null;
    }

    /**
     * How far one model's output computed on another thread may be from the calling thread's: 0 (bit for bit) unless
     * an engine says why not.
     */
    protected double otherThreadTolerance() {
        return 0;
    }

    /** Absolute tolerance for forward parity with {@link #reference()}: 1e-5 in fp32. */
    protected double forwardTolerance() {
        return 1e-5;
    }

    /**
     * Whether to run the finite-difference gradient checks. A slow engine may turn them off when it also
     * runs {@code gradientsMatchTheReferenceEngine} against a reference whose gradients these checks cover.
     */
    protected boolean finiteDifferenceChecks() {
        return true;
    }

    /** Finite-difference step; float32 forward passes need a fairly large one. */
    protected double gradientEps() {
        return 1e-2;
    }

    /**
     * Largest per-tensor relative error between analytic and numeric gradients. The issue asks for under
     * 1e-2 in fp32; the native engine's worst case over all configurations is 8.4e-4 with eps = 1e-2,
     * while a 10% error in one term of the GRU reset-gate gradient shows up as 1.1e-2 to 2.6e-2, so 3e-3
     * keeps a margin on both sides.
     */
    protected double gradientTolerance() {
        return 3e-3;
    }

    /**
     * Every cell (GRU with both linear_before_reset values) x layers x output mode x head
     * (MLP: last step only), as (label, spec).
     */
    public static Stream<Arguments> configurations() {
        List<Arguments> list = new ArrayList<>();
        for (ModelSpec base : TestData.cellVariants()) {
            for (int layers : new int[] {1, 2}) {
                for (OutputMode mode : OutputMode.values()) {
                    if (base.cell() == CellType.MLP && mode == OutputMode.EVERY_STEP) {
                        continue;
                    }
                    for (HeadKind head : HeadKind.values()) {
                        ModelSpec spec = TestData.spec(base.cell(), layers, mode, head).toBuilder()
                                .optLinearBeforeReset(base.linearBeforeReset()).build();
                        list.add(Arguments.of(TestData.label(spec), spec));
                    }
                    if (base.cell() != CellType.MLP) {
                        // bidirectional: one head per output mode
                        HeadKind head = mode == OutputMode.LAST_STEP ? HeadKind.REGRESSION : HeadKind.CLASSIFICATION;
                        ModelSpec spec = TestData.spec(base.cell(), layers, mode, head).toBuilder()
                                .optLinearBeforeReset(base.linearBeforeReset()).optBidirectional(true).build();
                        list.add(Arguments.of(TestData.label(spec), spec));
                    }
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void gradientsMatchFiniteDifferences(String label, ModelSpec spec) {
        assumeTrue(backend().capabilities().contains(Capability.TRAINING), "inference-only backend");
        assumeTrue(finiteDifferenceChecks(), "finite differences covered through the reference engine");
        // larger weights than the default init make the gates and tanh work off their linear region
        Parameters params = TestData.largeWeights(spec, 42);
        // padded: three distinct lengths, one of them a single step (the MLP's window is fixed)
        Batch batch = TestData.batch(spec, new int[] {5, 1, 3}, 7);
        if (spec.cell() != CellType.MLP) {
            assertArrayEquals(new int[] {5, 1, 3}, batch.lengths(), "the gradient check must see padding");
        }
        try (TrainableModel model = backend().newTrainableModel(spec, params, 1)) {
            ModelAssertions.checkGradients(model, batch, gradientEps(), gradientTolerance());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void forwardMatchesTheReferenceEngine(String label, ModelSpec spec) {
        Backend ref = reference();
        assumeTrue(ref != null, "no reference engine configured");
        Parameters params = Initializer.initialize(spec, 21);
        Batch batch = TestData.batch(spec, 5, 7, 13);
        try (Model expected = ref.newModel(spec, params); Model actual = backend().newModel(spec, params)) {
            ModelAssertions.assertOutputsClose(expected.forward(batch), actual.forward(batch), forwardTolerance(),
                    label + ": " + backend().name() + " vs " + ref.name());
        }
    }

    private boolean bothTrain() {
        Backend ref = reference();
        return ref != null && ref.capabilities().contains(Capability.TRAINING)
                && backend().capabilities().contains(Capability.TRAINING);
    }

    /** Per-tensor {@code ||a - b|| / max(||a||, ||b||)} must stay below {@code tol} for every parameter. */
    private static void assertGradientsClose(Parameters expected, Parameters actual, double tol, String what) {
        for (var e : expected) {
            float[] a = e.data();
            float[] b = actual.get(e.name()).data();
            double diff = 0;
            double na = 0;
            double nb = 0;
            for (int i = 0; i < a.length; i++) {
                diff += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
                na += (double) a[i] * a[i];
                nb += (double) b[i] * b[i];
            }
            double rel = Math.sqrt(diff) / Math.max(Math.max(Math.sqrt(na), Math.sqrt(nb)), 1e-12);
            assertTrue(rel < tol, what + ": gradient of " + e.name() + " differs by " + rel + " relative (max " + tol + ")");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void gradientsMatchTheReferenceEngine(String label, ModelSpec spec) {
        assumeTrue(bothTrain(), "needs a training reference and a training backend");
        Parameters params = Initializer.initialize(spec, 23);
        Batch batch = TestData.batch(spec, 5, 7, 29);
        try (TrainableModel expected = reference().newTrainableModel(spec, params, 1);
             TrainableModel actual = backend().newTrainableModel(spec, params, 1)) {
            // gradients within 1e-4 relative, per parameter tensor
            assertGradientsClose(ModelAssertions.analyticGradients(expected, batch),
                    ModelAssertions.analyticGradients(actual, batch), 1e-4, label);
        }
    }

    /** 20 Adam steps from one seed, with dropout between two layers: the loss curves agree within 1e-4 relative. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cellSpecs")
    void twentyStepsGiveTheSameLossCurve(String label, ModelSpec base) {
        assumeTrue(bothTrain(), "needs a training reference and a training backend");
        ModelSpec spec = base.toBuilder().optNumLayers(2).optDropout(base.cell() == CellType.MLP ? 0f : 0.25f).build();
        List<Batch> batches = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            batches.add(TestData.batch(spec, 6, 5, 300 + k));
        }
        double[] a = curve(reference(), spec, batches);
        double[] b = curve(backend(), spec, batches);
        for (int k = 0; k < a.length; k++) {
            assertEquals(a[k], b[k], 1e-4 * Math.abs(a[k]), label + ": loss at step " + (k + 1));
        }
    }

    private static double[] curve(Backend backend, ModelSpec spec, List<Batch> batches) {
        double[] losses = new double[batches.size()];
        try (TrainableModel model = backend.newTrainableModel(spec, Initializer.initialize(spec, 31), 77)) {
            Updater updater = model.newUpdater(OptimizerConfig.adam(0.01f));
            for (int k = 0; k < batches.size(); k++) {
                model.zeroGrad();
                Output out = model.forwardTrain(batches.get(k));
                var loss = dev.rnn4j.train.Losses.compute(spec.head(), out, batches.get(k));
                model.backward(loss.gradient());
                updater.step(1.0, 0.01f);
                losses[k] = loss.value();
            }
        }
        return losses;
    }

    /** The optimizers and their options that every engine's {@link Updater} must follow exactly. */
    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", OptimizerConfig.sgd(0.05f, 0f)),
                Arguments.of("sgd momentum + weight decay", new OptimizerConfig(OptimizerConfig.Type.SGD, 0.05f, 0.9f,
                        0.9f, 0.999f, 1e-8f, 0.99f, 1e-2f)),
                Arguments.of("adam + weight decay", new OptimizerConfig(OptimizerConfig.Type.ADAM, 0.02f, 0f, 0.8f,
                        0.99f, 1e-6f, 0.99f, 1e-2f)),
                Arguments.of("rmsprop", OptimizerConfig.rmsprop(0.01f)),
                Arguments.of("rmsprop momentum", new OptimizerConfig(OptimizerConfig.Type.RMSPROP, 0.01f, 0.5f, 0.9f,
                        0.999f, 1e-8f, 0.9f, 0f)),
                Arguments.of("adam, the recurrent layer frozen", OptimizerConfig.adam(0.02f).withFrozen(java.util.Set.of(
                        "layers.0.W", "layers.0.R", "layers.0.B"))));
    }

    /**
     * Ten updates with a cosine schedule and clipping at 0.5 (active on most steps): this engine's updater and the
     * reference's give the same loss curve and gradient norms (1e-4 relative) and the same parameters (1e-4 abs); the
     * optimizer state it hands out, restored into a fresh updater, continues identically.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void everyOptimizerUpdatesAsTheReferenceDoes(String label, OptimizerConfig optimizer) {
        assumeTrue(bothTrain(), "needs a training reference and a training backend");
        ModelSpec spec = TestData.spec(CellType.LSTM, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION);
        List<Batch> batches = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            batches.add(TestData.batch(spec, 5, 4, 700 + k));
        }
        LearningRateSchedule schedule = LearningRateSchedule.cosine(0.1);
        Parameters init = Initializer.initialize(spec, 21);
        try (TrainableModel ref = reference().newTrainableModel(spec, init, 1);
             TrainableModel model = backend().newTrainableModel(spec, init, 1)) {
            Updater refUpdater = ref.newUpdater(optimizer);
            Updater updater = model.newUpdater(optimizer);
            for (int k = 0; k < batches.size(); k++) {
                float lr = schedule.rate(optimizer.lr(), k, batches.size());
                if (k == 6) {
                    // hand over mid-run, as resuming from a checkpoint does
                    Updater fresh = model.newUpdater(optimizer);
                    fresh.restore(updater.state());
                    updater = fresh;
                }
                double[] refStep = trainStep(ref, refUpdater, batches.get(k), lr);
                double[] step = trainStep(model, updater, batches.get(k), lr);
                assertEquals(refStep[0], step[0], 1e-4 * refStep[0], label + ": loss at step " + (k + 1));
                assertEquals(refStep[1], step[1], 1e-4 * refStep[1], label + ": gradient norm at step " + (k + 1));
            }
            ModelAssertions.assertParametersClose(ref.parameters(), model.parameters(), 1e-4, label);
            assertTrue(model.parameters().maxAbsDiff(init) > 1e-3, "the updates changed the parameters");
            for (String frozen : optimizer.frozen()) {
                ModelAssertions.assertValuesClose(init.get(frozen).data(), model.parameters().get(frozen).data(), 0, 0,
                        frozen + " is frozen: exactly as it started");
            }
        }
    }

    /**
     * {@code backward} adds into the gradients; a non-finite gradient makes the updater refuse the step without touching
     * the parameters; {@code zeroGrad} clears the gradients, NaN included, so the next step is as if it never happened.
     */
    @org.junit.jupiter.api.Test
    void gradientsAccumulateAndZeroGradClearsEvenNaN() {
        assumeTrue(backend().capabilities().contains(Capability.TRAINING), "inference-only backend");
        ModelSpec spec = TestData.spec(CellType.LSTM, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION);
        Batch batch = TestData.batch(spec, 4, 5, 900);
        Parameters init = Initializer.initialize(spec, 2);
        try (TrainableModel model = backend().newTrainableModel(spec, init, 1)) {
            Updater updater = model.newUpdater(OptimizerConfig.sgd(0.1f, 0f));
            float[] d = dev.rnn4j.train.Losses.compute(spec.head(), model.forwardTrain(batch), batch).gradient();
            model.zeroGrad();
            model.backward(d);
            Parameters once = model.gradients().copy();
            model.forwardTrain(batch);
            model.backward(d);
            for (var t : once) {
                float[] twice = model.gradients().get(t.name()).data();
                for (int i = 0; i < twice.length; i++) {
                    assertEquals(2 * t.data()[i], twice[i], 1e-6 + 1e-5 * Math.abs(twice[i]), t.name() + " accumulates");
                }
            }
            float[] poisoned = d.clone();
            poisoned[0] = Float.NaN;
            model.zeroGrad();
            model.forwardTrain(batch);
            model.backward(poisoned);
            var stopped = assertThrows(dev.rnn4j.train.NonFiniteException.class, () -> updater.step(1.0, 0.1f),
                    "a NaN gradient stops the step");
            assertEquals(stopped.tensor(), init.get(stopped.tensor()).name(), "names a parameter: " + stopped.getMessage());
            ModelAssertions.assertParametersClose(init, model.parameters(), 0, "parameters after a refused step");
            model.zeroGrad();
            model.gradients().forEach(t -> {
                for (float v : t.data()) {
                    assertEquals(0f, v, t.name() + " after zeroGrad");
                }
            });
            model.forwardTrain(batch);
            model.backward(d);
            ModelAssertions.assertParametersClose(once, model.gradients(), 1e-6, "gradients after zeroGrad");
        }
    }

    /**
     * One model used from 8 threads at once: every thread gets what one thread alone gets, bit for bit (within
     * {@link #otherThreadTolerance()} where an engine's arithmetic depends on the calling thread).
     */
    @org.junit.jupiter.api.Test
    void predictionsFromEightThreadsMatchOneThread() throws Exception {
        ModelSpec spec = TestData.spec(CellType.LSTM, 2, OutputMode.EVERY_STEP, HeadKind.CLASSIFICATION);
        List<Batch> batches = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            batches.add(TestData.batch(spec, 3 + k, 2 + k, 1000 + k));
        }
        try (Model model = backend().newModel(spec, Initializer.initialize(spec, 4))) {
            List<float[]> alone = new ArrayList<>();
            for (Batch b : batches) {
                alone.add(model.forward(b).values());
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int first = t;
                    runs.add(pool.submit(() -> {
                        for (int r = 0; r < 10; r++) {
                            int k = (first + r) % batches.size();
                            float[] got = model.forward(batches.get(k)).values();
                            if (otherThreadTolerance() == 0) {
                                assertArrayEquals(alone.get(k), got, "batch " + k + " on thread " + first);
                            } else {
                                ModelAssertions.assertValuesClose(alone.get(k), got, otherThreadTolerance(), 0,
                                        "batch " + k + " on thread " + first);
                            }
                        }
                        return null;
                    }));
                }
                for (var run : runs) {
                    run.get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Two models training at once in one JVM (same engine) end exactly where each ends when trained alone. */
    @org.junit.jupiter.api.Test
    void twoModelsTrainingAtOnceMatchTrainingAlone() throws Exception {
        assumeTrue(backend().capabilities().contains(Capability.TRAINING), "inference-only backend");
        ModelSpec spec = TestData.spec(CellType.GRU, 2, OutputMode.LAST_STEP, HeadKind.REGRESSION).toBuilder()
                .optDropout(0.25f).build();
        SequenceDataset train = regressionSet(spec, 40, 1);
        SequenceDataset eval = regressionSet(spec, 10, 2);
        java.util.function.LongFunction<Parameters> trainOne = seed -> {
            TrainerConfig config = TrainerConfig.builder().optMaxSteps(12).optBatchSize(6).optEvalEvery(6)
                    .optOptimizer(OptimizerConfig.adam(0.01f)).optClipNorm(1).optSeed(seed).build();
            try (TrainableModel model = backend().newTrainableModel(spec, Initializer.initialize(spec, seed), seed)) {
                new Trainer(config, List.of()).fit(model, train, eval);
                return model.parameters();
            }
        };
        Parameters aloneA = trainOne.apply(1);
        Parameters aloneB = trainOne.apply(2);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> trainOne.apply(1));
            var b = pool.submit(() -> trainOne.apply(2));
            ModelAssertions.assertParametersClose(aloneA, a.get(120, java.util.concurrent.TimeUnit.SECONDS), 0, "model A");
            ModelAssertions.assertParametersClose(aloneB, b.get(120, java.util.concurrent.TimeUnit.SECONDS), 0, "model B");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A batch whose loss comes out NaN: by default the run stops at that step naming it; with skip-batch the batch is
     * dropped (no step, no update), the run goes on, and a run killed later and resumed from its checkpoint still ends
     * exactly where the uninterrupted one ends; ten bad batches in a row stop it.
     */
    @org.junit.jupiter.api.Test
    void aPoisonedBatchStopsTheRunOrIsSkipped(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        assumeTrue(backend().capabilities().contains(Capability.TRAINING), "inference-only backend");
        ModelSpec spec = TestData.spec(CellType.LSTM, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION);
        SequenceDataset train = regressionSet(spec, 40, 1);
        SequenceDataset eval = regressionSet(spec, 10, 2);
        Parameters init = Initializer.initialize(spec, 7);
        TrainerConfig stop = TrainerConfig.builder().optMaxSteps(12).optBatchSize(6).optEvalEvery(4)
                .optOptimizer(OptimizerConfig.adam(0.01f)).optClipNorm(1).optSeed(5).build();
        try (TrainableModel model = new PoisonedModel(backend().newTrainableModel(spec, init, 11), pass -> pass == 3)) {
            var e = assertThrows(dev.rnn4j.train.NonFiniteException.class,
                    () -> new Trainer(stop, List.of()).fit(model, train, eval));
            assertEquals(3, e.step(), e.getMessage());
            assertEquals("loss", e.tensor());
        }
        TrainerConfig skip = stop.toBuilder().optOnNonFinite(TrainerConfig.NonFinitePolicy.SKIP_BATCH).build();
        TrainingResult whole;
        Parameters wholeParams;
        try (TrainableModel model = new PoisonedModel(backend().newTrainableModel(spec, init, 11), pass -> pass == 3)) {
            whole = new Trainer(skip, List.of()).fit(model, train, eval);
            wholeParams = model.parameters();
        }
        assertEquals(12, whole.steps());
        assertEquals(1, whole.skippedBatches());
        assertTrue(whole.lossCurve().stream().allMatch(Double::isFinite), "only finite losses in the curve");
        TrainingListener killAtStep10 = killAt(10);
        Path checkpoint = dir.resolve("checkpoint");
        try (TrainableModel model = new PoisonedModel(backend().newTrainableModel(spec, init, 11), pass -> pass == 3)) {
            List<TrainingListener> listeners = List.of(new CheckpointListener(checkpoint, new JsonObject()), killAtStep10);
            assertThrows(IllegalStateException.class, () -> new Trainer(skip, listeners).fit(model, train, eval));
        }
        CheckpointListener.Checkpoint saved = CheckpointListener.load(checkpoint);
        assertEquals(1, saved.state().skippedBatches());
        try (TrainableModel model = new PoisonedModel(backend().newTrainableModel(spec, saved.model().parameters(), 11),
                pass -> pass == 3)) {
            TrainingResult resumed = new Trainer(skip, List.of()).fit(model, train, eval, saved.state());
            ModelAssertions.assertParametersClose(wholeParams, model.parameters(), 0, "parameters after a skip and a resume");
            assertEquals(whole.lossCurve(), resumed.lossCurve());
        }
        try (TrainableModel model = new PoisonedModel(backend().newTrainableModel(spec, init, 11), pass -> pass >= 3)) {
            var e = assertThrows(dev.rnn4j.train.NonFiniteException.class,
                    () -> new Trainer(skip, List.of()).fit(model, train, eval));
            assertTrue(e.getMessage().contains("10 batches in a row"), e.getMessage());
        }
    }

    /** A listener that ends the run at {@code step} as a kill would (after that step's checkpoint, if any). */
    private static TrainingListener killAt(int killStep) {
        return new TrainingListener() {
            @Override
            public void onStep(TrainableModel model, int step, double loss, double gradNorm) {
                if (step == killStep) {
                    throw new IllegalStateException("killed");
                }
            }
        };
    }

        /** One step: (loss, gradient norm before clipping at 0.5). */
    private static double[] trainStep(TrainableModel model, Updater updater, Batch batch, float lr) {
        model.zeroGrad();
        var loss = dev.rnn4j.train.Losses.compute(model.spec().head(), model.forwardTrain(batch), batch);
        model.backward(loss.gradient());
        return new double[] {loss.value(), updater.step(0.5, lr)};
    }

    /**
     * A run killed after its checkpoint at step 8 and resumed from the folder ends where the uninterrupted run
     * ends: identical parameters and step losses after the resumption (same batches, dropout masks and Adam
     * moments), and the same loss curve, the steps before the checkpoint exactly as they were.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void resumingFromACheckpointContinuesTheRunExactly(CellType cell, @org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        assumeTrue(backend().capabilities().contains(Capability.TRAINING), "inference-only backend");
        ModelSpec spec = TestData.spec(cell, 2, OutputMode.LAST_STEP, HeadKind.REGRESSION).toBuilder()
                .optDropout(cell == CellType.MLP ? 0f : 0.25f).build();
        SequenceDataset train = regressionSet(spec, 40, 1);
        SequenceDataset eval = regressionSet(spec, 10, 2);
        TrainerConfig config = TrainerConfig.builder().optMaxSteps(14).optBatchSize(6).optEvalEvery(4)
                .optOptimizer(OptimizerConfig.adam(0.01f)).optSchedule(LearningRateSchedule.cosine(0.1)).optClipNorm(1)
                .optSeed(5).build();
        assertResumeIsExact(spec, config, train, eval, dir);
    }

    /**
     * Stateful training (6 streams of 6 chunks: 14 steps cross two epoch starts, where the state resets): the state
     * carried into step 9 comes back from the step-8 checkpoint, so the resumed run is the uninterrupted one, exactly.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void resumingAStatefulRunRestoresTheCarriedState(CellType cell, @org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        assumeTrue(backend().capabilities().contains(Capability.TRAINING), "inference-only backend");
        assumeTrue(cell != CellType.MLP, "the MLP has no state");
        ModelSpec spec = TestData.spec(cell, 2, OutputMode.LAST_STEP, HeadKind.REGRESSION).toBuilder()
                .optDropout(0.25f).build();
        TrainerConfig config = TrainerConfig.builder().optMaxSteps(14).optBatchSize(6).optEvalEvery(4)
                .optOptimizer(OptimizerConfig.adam(0.01f)).optClipNorm(1).optSeed(5).optStateful(true).build();
        assertResumeIsExact(spec, config, regressionSet(spec, 40, 1), regressionSet(spec, 10, 2), dir);
    }

    /**
     * {@code keepBest}: at a rate too high to settle, the run ends with the parameters of its best held-out
     * evaluation (the initial parameters included): evaluating the returned model gives the reported metrics, no
     * evaluation was better, and a killed run resumed from its checkpoint (which carries the best so far) ends the same.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void keepingTheBestEndsWithTheBestEvaluationsParameters(CellType cell, @org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        assumeTrue(backend().capabilities().contains(Capability.TRAINING), "inference-only backend");
        ModelSpec spec = TestData.spec(cell, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION);
        SequenceDataset train = regressionSet(spec, 40, 1);
        SequenceDataset eval = regressionSet(spec, 10, 2);
        TrainerConfig config = TrainerConfig.builder().optMaxSteps(14).optBatchSize(6).optEvalEvery(2)
                .optOptimizer(OptimizerConfig.adam(0.3f)).optSeed(5).optKeepBest(Metrics.MSE).build();
        Parameters init = Initializer.initialize(spec, 7);
        try (TrainableModel model = backend().newTrainableModel(spec, init, 11)) {
            double initial = Metrics.evaluate(model, eval, 256).get(Metrics.MSE);
            TrainingResult result = new Trainer(config, List.of()).fit(model, train, eval);
            double kept = result.finalMetrics().get(Metrics.MSE);
            assertEquals(kept, Metrics.evaluate(model, eval, 256).get(Metrics.MSE), 1e-6,
                    "the model holds the parameters the reported metrics came from");
            assertTrue(kept <= initial, "the initial parameters are a candidate: " + kept + " > " + initial);
            for (TrainingResult.Evaluation e : result.evaluations()) {
                assertTrue(kept <= e.metrics().get(Metrics.MSE), "step " + e.step() + " was better than the kept "
                        + kept + ": " + e.metrics());
            }
            List<TrainingResult.Evaluation> evals = result.evaluations();
            double last = evals.get(evals.size() - 1).metrics().get(Metrics.MSE);
            assertTrue(last > kept, "this run's last evaluation (MSE " + last + ") must not be its best (" + kept
                    + "), or a keep-best that does nothing would pass");
        }
        assertResumeIsExact(spec, config, train, eval, dir);
    }

    /** Trains 14 steps whole, and again killed at step 10 and resumed from the step-8 checkpoint: the same run. */
    private void assertResumeIsExact(ModelSpec spec, TrainerConfig config, SequenceDataset train, SequenceDataset eval,
                                     Path dir) throws java.io.IOException {
        Parameters init = Initializer.initialize(spec, 7);
        TrainingResult whole;
        Parameters wholeParams;
        try (TrainableModel model = backend().newTrainableModel(spec, init, 11)) {
            whole = new Trainer(config, List.of()).fit(model, train, eval);
            wholeParams = model.parameters();
        }
        TrainingListener killAtStep10 = killAt(10);
        Path checkpoint = dir.resolve("checkpoint");
        try (TrainableModel model = backend().newTrainableModel(spec, init, 11)) {
            List<TrainingListener> listeners = List.of(new CheckpointListener(checkpoint, new JsonObject()), killAtStep10);
            assertThrows(IllegalStateException.class, () -> new Trainer(config, listeners).fit(model, train, eval));
        }
        CheckpointListener.Checkpoint saved = CheckpointListener.load(checkpoint);
        assertEquals(8, saved.state().step(), "the last checkpoint before the kill");
        assertEquals(config.stateful(), saved.state().carried() != null, "a stateful run's checkpoint has its state");
        try (TrainableModel model = backend().newTrainableModel(spec, saved.model().parameters(), 11)) {
            TrainingResult resumed = new Trainer(config, List.of()).fit(model, train, eval, saved.state());
            ModelAssertions.assertParametersClose(wholeParams, model.parameters(), 0, "parameters after 14 steps");
            assertEquals(whole.lossCurve(), resumed.lossCurve(), "the whole curve, the steps before the kill included");
            assertEquals(whole.finalMetrics(), resumed.finalMetrics());
            assertEquals(whole.evaluations(), resumed.evaluations());
        }
    }

    /** {@code size} sequences of length 1 to 5 (the MLP's window for the MLP); target: sums of the inputs. */
    private static SequenceDataset regressionSet(ModelSpec spec, int size, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        List<Sequence> list = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int t = spec.cell() == CellType.MLP ? spec.window() : 1 + rng.nextInt(5);
            float[] x = new float[t * spec.inputSize()];
            float sum = 0;
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) (rng.nextDouble() * 2 - 1);
                sum += x[k];
            }
            list.add(Sequence.regression(x, t, new float[] {sum / 4, x[0]}));
        }
        return new SequenceDataset(spec.inputSize(), HeadKind.REGRESSION, 2, OutputMode.LAST_STEP, list);
    }

    /** One spec per cell variant, as (label, spec). */
    public static Stream<Arguments> cellSpecs() {
        return TestData.cellVariants().stream().map(s -> Arguments.of(TestData.label(s), s));
    }

    /** Parameters trained on this backend, loaded into the reference, give the same outputs (1e-5). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cellSpecs")
    void parametersMoveToTheReferenceEngine(String label, ModelSpec spec) {
        assumeTrue(bothTrain(), "needs a training reference and a training backend");
        List<Batch> batches = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            batches.add(TestData.batch(spec, 4, 5, 500 + k));
        }
        Parameters trained;
        try (TrainableModel model = backend().newTrainableModel(spec, Initializer.initialize(spec, 3), 3)) {
            Updater updater = model.newUpdater(OptimizerConfig.adam(0.05f));
            for (Batch b : batches) {
                model.zeroGrad();
                model.backward(dev.rnn4j.train.Losses.compute(spec.head(), model.forwardTrain(b), b).gradient());
                updater.step(0, 0.05f);
            }
            trained = model.parameters();
            Batch probe = TestData.batch(spec, 5, 6, 600);
            try (Model other = reference().newModel(spec, trained)) {
                ModelAssertions.assertOutputsClose(model.forward(probe), other.forward(probe), forwardTolerance(), label);
            }
        }
        assertTrue(trained.maxAbsDiff(Initializer.initialize(spec, 3)) > 1e-3, "training changed the parameters");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void outputShapeAndPaddingFollowTheSpec(String label, ModelSpec spec) {
        Batch batch = TestData.batch(spec, 4, 6, 3);
        try (Model model = backend().newModel(spec, Initializer.initialize(spec, 1))) {
            Output out = model.forward(batch);
            assertEquals(batch.size(), out.size());
            assertEquals(spec.outputMode() == OutputMode.EVERY_STEP ? batch.steps() : 1, out.steps());
            assertEquals(spec.outputSize(), out.width());
            for (int n = 0; n < out.size(); n++) {
                for (int s = 0; s < out.steps(); s++) {
                    for (int c = 0; c < out.width(); c++) {
                        float v = out.get(n, s, c);
                        assertTrue(Float.isFinite(v));
                        if (out.steps() > 1 && s >= batch.lengths()[n]) {
                            assertEquals(0f, v, 0f, "padded step " + s + " of sequence " + n + " must be zero");
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void paddingDoesNotChangeValidOutputs(String label, ModelSpec spec) {
        assumeTrue(spec.cell() != CellType.MLP, "the MLP has a fixed window");
        OutputMode mode = spec.outputMode();
        Batch batch = TestData.batch(spec, 4, 6, 11);
        try (Model model = backend().newModel(spec, Initializer.initialize(spec, 5))) {
            Output together = model.forward(batch);
            for (int n = 0; n < batch.size(); n++) {
                int len = batch.lengths()[n];
                float[] x = new float[len * spec.inputSize()];
                System.arraycopy(batch.inputs(), n * batch.steps() * spec.inputSize(), x, 0, x.length);
                int s = mode == OutputMode.EVERY_STEP ? len : 1;
                Batch alone = new Batch(1, len, spec.inputSize(), x, new int[] {len}, s, 1, null, new int[s]);
                Output single = model.forward(alone);
                for (int k = 0; k < s; k++) {
                    for (int c = 0; c < spec.outputSize(); c++) {
                        assertEquals(single.get(0, k, c), together.get(n, k, c), 1e-5,
                                "sequence " + n + " step " + k + ": padded batch differs from running it alone");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void sameSeedSameResultAndParametersRoundTrip(CellType cell) {
        ModelSpec spec = TestData.spec(cell, 2, OutputMode.LAST_STEP, HeadKind.REGRESSION).toBuilder()
                .optDropout(0.3f).build();
        Parameters params = Initializer.initialize(spec, 9);
        Batch batch = TestData.batch(spec, 3, 4, 2);
        try (Model a = backend().newModel(spec, params); Model b = backend().newModel(spec, params)) {
            assertArrayEquals(a.forward(batch).values(), b.forward(batch).values());
            ModelAssertions.assertParametersClose(params, a.parameters(), 0, "parameters read back");
        }
        assertNotEquals(Initializer.initialize(spec, 9).maxAbsDiff(Initializer.initialize(spec, 10)), 0.0);
    }

    public static Stream<CellType> cells() {
        return Stream.of(CellType.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void wrongInputSizeFailsClearly(CellType cell) {
        ModelSpec spec = TestData.spec(cell, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION);
        int t = cell == CellType.MLP ? spec.window() : 2;
        Batch wrong = new Batch(1, t, 5, new float[t * 5], new int[] {t}, 1, 2, new float[2], null);
        try (Model model = backend().newModel(spec, Initializer.initialize(spec, 1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.forward(wrong));
            assertTrue(e.getMessage().contains("Input size"), e.getMessage());
        }
    }

    /** Every recurrent cell variant, 1 and 2 layers, every-step regression output (so every step can be compared). */
    public static Stream<Arguments> stateConfigurations() {
        List<Arguments> list = new ArrayList<>();
        for (ModelSpec base : TestData.cellVariants()) {
            if (base.cell() == CellType.MLP) {
                continue;
            }
            for (int layers : new int[] {1, 2}) {
                for (boolean bidirectional : new boolean[] {false, true}) {
                    ModelSpec spec = base.toBuilder().optNumLayers(layers).setOutputMode(OutputMode.EVERY_STEP)
                            .optBidirectional(bidirectional).build();
                    list.add(Arguments.of(TestData.label(spec), spec));
                }
            }
        }
        return list.stream();
    }

    /**
     * Running padded sequences in one call equals running them in two calls with the state carried (outputs and final
     * state within 1e-5; not for bidirectional layers, whose reverse direction reads the whole sequence), and the final
     * state is each sequence's state at its last valid step: what running it alone, unpadded, ends with (for a reverse
     * direction: its state after step 0).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stateConfigurations")
    void stateCarriedAcrossTwoCallsEqualsOneCall(String label, ModelSpec spec) {
        Parameters params = Initializer.initialize(spec, 31);
        Batch whole = TestData.batch(spec, new int[] {6, 4, 5}, 3);
        State start = TestData.state(spec, 3, 5);
        double tol = 1e-5;
        try (Model model = backend().newModel(spec, params)) {
            StatefulOutput one = model.forward(whole, start);
            StatefulOutput first = model.forward(TestData.steps(whole, 0, 3), start);
            StatefulOutput second = model.forward(TestData.steps(whole, 3, 6), first.state());
            ModelAssertions.assertValuesClose(model.forward(whole).values(), model.forward(whole, null).output().values(),
                    tol, 0, label + ": forward(batch) vs forward(batch, null)");
            assertTrue(one.state().maxAbsDiff(State.zeros(spec, 3)) > 0.01, "the final state is not zero");
            Output out = one.output();
            for (int n = 0; n < 3 && !spec.bidirectional(); n++) { // a reverse direction reads the future: no chunks
                for (int t = 0; t < whole.lengths()[n]; t++) {
                    Output part = t < 3 ? first.output() : second.output();
                    for (int c = 0; c < spec.outputSize(); c++) {
                        assertEquals(out.get(n, t, c), part.get(n, t % 3, c), tol, label + ": sequence " + n
                                + " step " + t + ", one call vs two");
                    }
                }
            }
            assertTrue(spec.bidirectional() || one.state().maxAbsDiff(second.state()) <= tol, label
                    + ": final state, one call vs two, differs by " + one.state().maxAbsDiff(second.state()));
            for (int n = 0; n < 3; n++) {
                State alone = model.forward(TestData.sequence(whole, n), row(start, n)).state();
                assertTrue(row(one.state(), n).maxAbsDiff(alone) <= tol, label + ": sequence " + n
                        + "'s final state differs from running it alone by " + row(one.state(), n).maxAbsDiff(alone));
            }
        }
    }

    /** Sequence {@code n} of {@code s} as a state of one sequence. */
    private static State row(State s, int n) {
        int hidden = s.hiddenSize();
        float[][] h = new float[s.layers()][s.directions() * hidden];
        float[][] c = s.hasCell() ? new float[s.layers()][s.directions() * hidden] : null;
        for (int l = 0; l < s.layers(); l++) {
            for (int d = 0; d < s.directions(); d++) {
                System.arraycopy(s.h(l), (d * s.size() + n) * hidden, h[l], d * hidden, hidden);
                if (c != null) {
                    System.arraycopy(s.c(l), (d * s.size() + n) * hidden, c[l], d * hidden, hidden);
                }
            }
        }
        return new StateBuilder(s, h, c).state;
    }

    /** Builds a state of one sequence shaped as {@code like}. */
    private record StateBuilder(State state) {
        StateBuilder(State like, float[][] h, float[][] c) {
            this(State.of(spec(like), h, c));
        }

        private static ModelSpec spec(State like) {
            return ModelSpec.builder().setCell(like.hasCell() ? CellType.LSTM : CellType.GRU).setInputSize(1)
                    .setHiddenSize(like.hiddenSize()).optNumLayers(like.layers()).setHead(HeadKind.REGRESSION, 1)
                    .optBidirectional(like.directions() == 2).build();
        }
    }

    /**
     * The final state matches the reference engine's, unpadded and padded (for the pytorch engine's fused cells it is
     * libtorch's own {@code h_n}/{@code c_n}; a padded batch runs the fused op up to each length in turn).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stateConfigurations")
    void finalStateMatchesTheReferenceEngine(String label, ModelSpec spec) {
        Backend ref = reference();
        assumeTrue(ref != null, "no reference engine configured");
        Parameters params = Initializer.initialize(spec, 37);
        State start = TestData.state(spec, 3, 41);
        try (Model expected = ref.newModel(spec, params); Model actual = backend().newModel(spec, params)) {
            for (int[] lengths : new int[][] {{5, 5, 5}, {5, 2, 4}}) {
                Batch batch = TestData.batch(spec, lengths, 43);
                StatefulOutput e = expected.forward(batch, start);
                StatefulOutput a = actual.forward(batch, start);
                String what = label + " lengths " + java.util.Arrays.toString(lengths) + ": " + backend().name() + " vs "
                        + ref.name();
                ModelAssertions.assertOutputsClose(e.output(), a.output(), forwardTolerance(), what);
                assertTrue(e.state().maxAbsDiff(a.state()) <= forwardTolerance(), what + ": final state differs by "
                        + e.state().maxAbsDiff(a.state()));
            }
        }
    }

    /** {@code dLoss/dInitialState} against finite differences on a padded batch, and against the reference engine. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stateConfigurations")
    void initialStateGradientsMatchFiniteDifferences(String label, ModelSpec spec) {
        assumeTrue(backend().capabilities().contains(Capability.TRAINING), "inference-only backend");
        Parameters params = Initializer.initialize(spec, 47);
        Batch batch = TestData.batch(spec, new int[] {5, 1, 3}, 53);
        State start = TestData.state(spec, 3, 59);
        try (TrainableModel model = backend().newTrainableModel(spec, params, 1)) {
            State analytic;
            if (finiteDifferenceChecks()) {
                analytic = ModelAssertions.checkInitialStateGradients(model, batch, start, gradientEps(),
                        gradientTolerance());
            } else {
                model.zeroGrad();
                model.backward(dev.rnn4j.train.Losses.compute(spec.head(), model.forwardTrain(batch, start).output(),
                        batch).gradient());
                analytic = model.initialStateGradient();
            }
            if (bothTrain()) {
                try (TrainableModel expected = reference().newTrainableModel(spec, params, 1)) {
                    expected.backward(dev.rnn4j.train.Losses.compute(spec.head(),
                            expected.forwardTrain(batch, start).output(), batch).gradient());
                    double diff = expected.initialStateGradient().maxAbsDiff(analytic);
                    assertTrue(diff <= 1e-5, label + ": initial-state gradient differs from " + reference().name()
                            + " by " + diff);
                }
            }
        }
    }

    /** A state of the wrong layer count, batch size or hidden size is refused, naming the expected and given shape. */
    @org.junit.jupiter.api.Test
    void aStateOfTheWrongShapeIsRefused() {
        ModelSpec spec = TestData.spec(CellType.LSTM, 2, OutputMode.LAST_STEP, HeadKind.REGRESSION);
        Batch batch = TestData.batch(spec, 3, 4, 1);
        ModelSpec oneLayer = spec.toBuilder().optNumLayers(1).build();
        ModelSpec wider = spec.toBuilder().setHiddenSize(5).build();
        ModelSpec gru = spec.toBuilder().setCell(CellType.GRU).build();
        try (Model model = backend().newModel(spec, Initializer.initialize(spec, 1))) {
            for (State wrong : List.of(State.zeros(spec, 2), State.zeros(oneLayer, 3), State.zeros(wider, 3),
                    State.zeros(gru, 3))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> model.forward(batch, wrong));
                assertTrue(e.getMessage().startsWith("State mismatch: the model expects 2 layers of h [1, 3, 4] and c "
                        + "[1, 3, 4], the state has "), e.getMessage());
            }
        }
    }
}
