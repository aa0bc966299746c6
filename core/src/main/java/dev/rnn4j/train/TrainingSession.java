package dev.rnn4j.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.rnn4j.Provenance;
import dev.rnn4j.config.BackendSelection;
import dev.rnn4j.config.Backends;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.io.AtomicFiles;
import dev.rnn4j.io.ModelStore;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole, resumable training run: initialise from the seed, train through the curriculum phases (if any) and then
 * on the data, save the model. Every evaluation saves the run to {@code out/checkpoint} (an ordinary model folder
 * that also holds the optimizer's moments and the loss curve, committed atomically); with {@link Builder#optResume},
 * a run finds that checkpoint and continues from it exactly: the same phase, batches, dropout masks and optimizer
 * moments, so it ends with the same parameters, bit for bit, as a run that was never stopped.
 *
 * <p>The step budget ({@code maxSteps}) is split evenly over the phases and the data; the time limit bounds the
 * whole run (each phase gets what is left of it). Curriculum phases run without early stop.
 *
 * <pre>{@code
 * TrainingSession.Result r = TrainingSession.builder()
 *         .setSpec(spec).setData(FunctionShapes.generate(config)).setTrainer(trainer)
 *         .optSeed(1).optProvenance(Provenance.of("function-shapes", config, 1, null))
 *         .setOutput(Path.of("out/fs")).optResume(true)
 *         .build().run();
 * }</pre>
 */
public final class TrainingSession {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingSession.class);
    private static final String PHASE = "phase";
    private static final String EARLIER_CURVE = "earlier_phases_curve";

    private final ModelSpec spec;
    private final DataSplit data;
    private final List<DataSplit> curriculum;
    private final TrainerConfig config;
    private final long seed;
    private final Initializer.Options init;
    private final Parameters initialParameters;
    private final Provenance provenance;
    private final Path out;
    private final boolean resume;
    private final String label;
    private final List<TrainingListener> listeners;
    private final List<TrainingListener> lastPhaseListeners;

    /**
     * What a run produced.
     *
     * @param parameters the trained parameters (also saved in the output folder)
     * @param last       the last phase's training result (its final metrics are the run's)
     * @param lossCurve  every step's training loss across all phases
     * @param seconds    training time, summed over phases (of this process only, after a resume)
     * @param phases     curriculum phases before the data (0 for none)
     */
    public record Result(Parameters parameters, TrainingResult last, List<Double> lossCurve, double seconds, int phases) {
    }

    private TrainingSession(Builder b) {
        this.spec = b.spec;
        this.data = b.data;
        this.curriculum = List.copyOf(b.curriculum);
        this.config = b.config;
        this.seed = b.seed;
        this.init = b.init;
        this.initialParameters = b.initialParameters;
        this.provenance = b.provenance != null ? b.provenance : Provenance.unknown();
        this.out = b.out;
        this.resume = b.resume;
        this.label = b.label != null ? b.label : provenance.task() != null ? provenance.task() : "training";
        this.listeners = List.copyOf(b.listeners);
        this.lastPhaseListeners = List.copyOf(b.lastPhaseListeners);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The checkpoint folder of a run writing into {@code out}. */
    public static Path checkpointDir(Path out) {
        return out.resolve("checkpoint");
    }

    /**
     * Copies of the model's numbers the native engine keeps on the Java heap while training: the weights, their
     * gradients, Adam's two moments, the initial weights and a checkpoint's copy.
     */
    static final int NATIVE_HEAP_COPIES = 6;
    /** Other engines train off the heap; the JVM holds the initial weights and the trained ones read back. */
    static final int OTHER_HEAP_COPIES = 2;

    /**
     * Refuses, before any work, a model whose numbers cannot fit the heap (or a tensor no Java array can hold), so a
     * too-large {@code --hidden} is one line, not an {@link OutOfMemoryError} minutes later.
     *
     * @throws IllegalArgumentException naming the parameter count, the memory it needs and the heap there is
     */
    static void requireHeapFor(ModelSpec spec, String backend, long maxHeapBytes) {
        List<ParameterLayout.Entry> layout = ParameterLayout.of(spec);
        long numbers = layout.stream().mapToLong(ParameterLayout.Entry::elements).sum();
        long largest = layout.stream().mapToLong(ParameterLayout.Entry::elements).max().orElse(0);
        long bytes = numbers * Float.BYTES * (backend.equals("native") ? NATIVE_HEAP_COPIES : OTHER_HEAP_COPIES);
        if (bytes > maxHeapBytes || largest > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the model has %,d parameters%s; training "
                    + "it on %s needs about %s of heap and the JVM may use %s: make the model smaller, or give the JVM "
                    + "more heap (-Xmx; for ./rnn4j, RNN4J_JAVA_OPTS=-Xmx...)", numbers,
                    largest > Integer.MAX_VALUE - 8 ? String.format(Locale.ROOT, ", one tensor of %,d, more than a Java "
                            + "array holds", largest) : "", backend, size(bytes), size(maxHeapBytes)));
        }
    }

    private static String size(long bytes) {
        return bytes >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    /** Runs on the configured engine ({@code rnn4j.backend}, {@code RNN4J_BACKEND}, {@code rnn4j.properties}, native). */
    public Result run() throws IOException {
        return run(Backends.create(BackendSelection.resolve(null).name(), EnumSet.of(Capability.TRAINING)));
    }

    /**
     * Runs on {@code backend} and saves the trained model into the output folder.
     *
     * @throws IllegalArgumentException before any training if the output folder cannot be written, or if resuming
     *                                  from a checkpoint made with another model, task, data or seed
     */
    public Result run(Backend backend) throws IOException {
        AtomicFiles.requireWritableFolder(out);
        requireHeapFor(spec, backend.name(), Runtime.getRuntime().maxMemory());
        Provenance info = new Provenance(provenance.task(), provenance.data(), seed, backend.name(),
                provenance.rnn4jVersion(), provenance.request());
        Path checkpointDir = checkpointDir(out);
        CheckpointListener.Checkpoint checkpoint = resume ? findCheckpoint(checkpointDir, info) : null;
        int startPhase = checkpoint == null ? 0 : checkpoint.model().info().get(PHASE).getAsInt();
        List<Double> curve = new ArrayList<>();
        if (checkpoint != null) {
            checkpoint.model().info().getAsJsonArray(EARLIER_CURVE).forEach(v -> curve.add(v.getAsDouble()));
        }
        TrainingResult result = null;
        Parameters trained;
        double seconds = 0;
        Parameters initial = checkpoint != null ? checkpoint.model().parameters()
                : initialParameters != null ? initialParameters.copy() : Initializer.initialize(spec, seed, init);
        int phases = curriculum.size();
        try (TrainableModel model = backend.newTrainableModel(spec, initial, seed)) {
            int perPhase = Math.max(1, config.maxSteps() / (phases + 1));
            long deadline = config.timeLimit() == null ? Long.MAX_VALUE : System.nanoTime() + config.timeLimit().toNanos();
            for (int k = startPhase; k <= phases; k++) {
                boolean last = k == phases;
                Duration left = config.timeLimit() == null ? null
                        : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!last && left != null && left.isZero()) {
                    continue; // out of time: straight to the data, for one step and the final evaluation
                }
                TrainerConfig phaseConfig = (last
                        ? config.toBuilder().optMaxSteps(config.maxSteps() - perPhase * phases)
                        : config.toBuilder().optMaxSteps(perPhase).optSeed(config.seed() + k + 1).optTarget(null, 0))
                        .optTimeLimit(left).build();
                JsonObject phaseInfo = info.toJson();
                phaseInfo.addProperty(PHASE, k);
                phaseInfo.add(EARLIER_CURVE, array(curve));
                List<TrainingListener> all = new ArrayList<>(List.of(
                        new ProgressListener(last ? label : label + " phase " + (k + 1)),
                        new CheckpointListener(checkpointDir, phaseInfo)));
                if (last) {
                    all.addAll(lastPhaseListeners);
                }
                all.addAll(listeners);
                DataSplit phaseData = last ? data : curriculum.get(k);
                TrainingResult r = new Trainer(phaseConfig, all).fit(model, phaseData.train(), phaseData.test(),
                        k == startPhase && checkpoint != null ? checkpoint.state() : null);
                curve.addAll(r.lossCurve()); // a resumed phase's curve starts with the steps before the checkpoint
                seconds += r.seconds();
                result = r;
            }
            trained = model.parameters();
            ModelStore.save(out, spec, trained, info);
        }
        return new Result(trained, result, List.copyOf(curve), seconds, phases);
    }

    /**
     * Refuses to resume from a folder without a checkpoint: a silent fresh start would throw away what the user
     * thinks they are continuing.
     *
     * @throws IllegalArgumentException naming the folder
     */
    public static void requireCheckpoint(Path checkpointDir) {
        if (!Files.isRegularFile(checkpointDir.resolve(ModelStore.MODEL_JSON))) {
            throw new IllegalArgumentException("Cannot resume: no checkpoint in " + checkpointDir
                    + " (a run saves one at every evaluation; start without --resume)");
        }
    }

    /** The checkpoint in {@code dir}, checked to belong to this run. */
    private CheckpointListener.Checkpoint findCheckpoint(Path dir, Provenance info) throws IOException {
        requireCheckpoint(dir);
        CheckpointListener.Checkpoint c = CheckpointListener.load(dir);
        Provenance saved = c.model().provenance();
        List<String> differences = new ArrayList<>();
        if (!c.model().spec().equals(spec)) {
            differences.add("model " + oneLine(c.model().spec().toJson()) + " vs " + oneLine(spec.toJson()));
        }
        if (!Objects.equals(saved.task(), info.task())) {
            differences.add("task " + saved.task());
        }
        if (!Objects.equals(saved.data(), info.data())) {
            differences.add("data " + saved.data() + " vs " + info.data());
        }
        if (!Objects.equals(saved.seed(), info.seed())) {
            differences.add("seed " + saved.seed() + " vs " + info.seed());
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("Cannot resume from " + dir + ": it was made with other settings ("
                    + String.join("; ", differences) + "). Use the same flags, or another --out.");
        }
        LOG.info("resuming from {} (phase {}, step {})", dir, c.model().info().get(PHASE).getAsInt() + 1, c.state().step());
        return c;
    }

    private static String oneLine(String json) {
        return com.google.gson.JsonParser.parseString(json).toString();
    }

    private static JsonArray array(List<Double> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    /** Builds a {@link TrainingSession}: {@code set*} fields are required, {@code opt*} have defaults. */
    public static final class Builder {
        private ModelSpec spec;
        private DataSplit data;
        private List<DataSplit> curriculum = List.of();
        private TrainerConfig config;
        private long seed;
        private Initializer.Options init = Initializer.Options.defaults();
        private Parameters initialParameters;
        private Provenance provenance;
        private Path out;
        private boolean resume;
        private String label;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private final List<TrainingListener> lastPhaseListeners = new ArrayList<>();

        private Builder() {
        }

        public Builder setSpec(ModelSpec spec) {
            this.spec = spec;
            return this;
        }

        /** The training data and the held-out data evaluated during training (and at the end). */
        public Builder setData(DataSplit data) {
            this.data = data;
            return this;
        }

        /** Training phases before the data (e.g. a length curriculum), trained in order; none by default. */
        public Builder optCurriculum(List<DataSplit> phases) {
            this.curriculum = phases;
            return this;
        }

        /** Budget, optimizer, evaluation and early stop. */
        public Builder setTrainer(TrainerConfig config) {
            this.config = config;
            return this;
        }

        /** Folder for the trained model, with the checkpoint in {@code checkpoint/}. */
        public Builder setOutput(Path out) {
            this.out = out;
            return this;
        }

        /** Seeds initialisation and dropout (the trainer config's seed orders the batches); 0 by default. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How the weights are initialised (forget-gate bias, chrono init). */
        /** Start from these parameters (e.g. an imported model's) instead of initialising from the seed. */
        public Builder optInitialParameters(Parameters parameters) {
            this.initialParameters = parameters;
            return this;
        }

        public Builder optInitializer(Initializer.Options init) {
            this.init = init;
            return this;
        }

        /** The task and data configuration, saved with the model and checked on resume. */
        public Builder optProvenance(Provenance provenance) {
            this.provenance = provenance;
            return this;
        }

        /** Continue from the output folder's checkpoint, which must exist (default: start from step 0). */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** The name progress lines show (default: the task). */
        public Builder optLabel(String label) {
            this.label = label;
            return this;
        }

        /** Listeners on every phase. */
        public Builder optListeners(List<TrainingListener> listeners) {
            this.listeners.addAll(listeners);
            return this;
        }

        /** Listeners on the last phase only (the one on the data), e.g. a {@link CsvCurveListener}. */
        public Builder optLastPhaseListeners(List<TrainingListener> listeners) {
            this.lastPhaseListeners.addAll(listeners);
            return this;
        }

        /** @throws IllegalStateException naming the first required field not set */
        public TrainingSession build() {
            if (spec == null || data == null || config == null || out == null) {
                throw new IllegalStateException("TrainingSession.Builder: " + (spec == null ? "setSpec"
                        : data == null ? "setData" : config == null ? "setTrainer" : "setOutput") + " is required");
            }
            return new TrainingSession(this);
        }
    }
}
