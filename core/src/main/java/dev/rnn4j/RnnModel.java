package dev.rnn4j;

import dev.rnn4j.config.BackendSelection;
import dev.rnn4j.config.Backends;
import dev.rnn4j.data.Batch;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.io.ModelStore;
import dev.rnn4j.io.SavedModel;
import dev.rnn4j.model.Model;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.State;
import dev.rnn4j.model.StatefulOutput;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.onnx.export.OnnxExporter;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.train.Metrics;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainerConfig;
import dev.rnn4j.train.TrainingListener;
import dev.rnn4j.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * A recurrent model on one engine: train it, predict with it, save it, export it. Build one with
 * {@link Rnn4j#model(ModelSpec)} or load one with {@link Rnn4j#load(Path)}; close it to free engine memory.
 *
 * <p>Shapes: a sequence is {@code float[T][I]} (T steps of I features); a batch of N sequences of any lengths is
 * {@code float[N][][]}, padded internally. Output: {@code [N, 1, C]} for last-step models, {@code [N, T, C]} for
 * every-step ones (C = outputs or classes; logits for classifiers).
 *
 * <p>One seed ({@link Builder#optSeed}) drives the initial weights, the dropout masks and the order of the
 * minibatches in {@link #fit}; the same seed on the same engine gives the same model, bit for bit, on any number
 * of threads. {@link #predict} and the other prediction methods may be called from several threads at once and give
 * each exactly what it would get alone (on the native engine the calls take turns: for parallel throughput give each
 * thread its own model); {@link #fit} must not run while anything else uses the model.
 */
public final class RnnModel implements AutoCloseable {
    private final Backend backend;
    private final Model model;
    private final long seed;
    private Provenance provenance;

    private RnnModel(Backend backend, Model model, long seed, Provenance provenance) {
        this.backend = backend;
        this.model = model;
        this.seed = seed;
        this.provenance = provenance;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Loads a model folder onto the configured engine ({@link Rnn4j#configuredBackend()}). */
    public static RnnModel load(Path dir) throws IOException {
        return load(dir, null);
    }

    /**
     * Loads a model folder onto the engine named {@code backend} ({@code null}: the configured one).
     *
     * @throws java.nio.file.NoSuchFileException if there is no model there
     * @throws IllegalArgumentException          if the folder is corrupt (the message says what is wrong)
     */
    public static RnnModel load(Path dir, String backend) throws IOException {
        SavedModel saved = ModelStore.load(dir);
        Provenance p = saved.provenance();
        return builder().setSpec(saved.spec()).optParameters(saved.parameters()).optBackend(backend)
                .optSeed(p.seed() == null ? 0 : p.seed()).optProvenance(p).build();
    }

    public ModelSpec spec() {
        return model.spec();
    }

    /** The engine's name, e.g. {@code native}. */
    public String backend() {
        return backend.name();
    }

    public long seed() {
        return seed;
    }

    /** Where this model came from; {@link #fit} records the engine, {@link #save} writes it. */
    public Provenance provenance() {
        return provenance;
    }

    /** Records what the model was trained on (saved with it and in its ONNX export). */
    public RnnModel optProvenance(String task, Object dataConfig) {
        this.provenance = Provenance.of(task, dataConfig, seed, provenance.engine());
        return this;
    }

    /** A copy of the parameters in the canonical (ONNX) layout. */
    public Parameters parameters() {
        return model.parameters();
    }

    /** The engine's model, for what this class does not offer (e.g. {@link dev.rnn4j.spi.Introspection}). */
    public Model engineModel() {
        return model;
    }

    /** Whether this engine can train ({@link #fit}). */
    public boolean trainable() {
        return model instanceof TrainableModel;
    }

    /**
     * Trains in place on {@code train}, evaluating on {@code validation} every {@code config.evalEvery()} steps (and
     * stopping early at the config's target, if any). The minibatch order comes from this model's seed (the
     * config's own seed is replaced by it).
     *
     * @throws IllegalStateException if this engine cannot train (it is inference-only)
     */
    public TrainingResult fit(SequenceDataset train, SequenceDataset validation, TrainerConfig config,
                              TrainingListener... listeners) {
        if (!(model instanceof TrainableModel trainable)) {
            throw new IllegalStateException("Backend '" + backend.name() + "' cannot train (it is inference-only); "
                    + "build the model on one of: " + String.join(", ", trainingBackends()));
        }
        TrainerConfig seeded = config.toBuilder().optSeed(seed).build();
        TrainingResult result = new Trainer(seeded, List.of(listeners)).fit(trainable, train, validation);
        provenance = provenance.withEngine(backend.name()).withSeed(seed);
        return result;
    }

    /** Evaluates on {@code data}: loss and accuracy or MSE, as in training's evaluations. */
    public Map<String, Double> evaluate(SequenceDataset data) {
        return Metrics.evaluate(model, data, 256);
    }

    /** Runs the model on a batch (targets, if any, are ignored). */
    public Output predict(Batch batch) {
        return model.forward(batch);
    }

    /** Runs the model on sequences {@code [N][T_n][I]} of any lengths. */
    public Output predict(float[][][] sequences) {
        return predict(Batch.of(sequences));
    }

    /**
     * The output at each sequence's last valid step: {@code [N][C]} (regression values, or logits for classifiers).
     */
    public float[][] predictLast(float[][][] sequences) {
        Batch batch = Batch.of(sequences);
        Output out = predict(batch);
        float[][] last = new float[batch.size()][out.width()];
        for (int n = 0; n < batch.size(); n++) {
            int s = lastStep(out, batch, n);
            for (int c = 0; c < out.width(); c++) {
                last[n][c] = out.get(n, s, c);
            }
        }
        return last;
    }

    /**
     * The predicted class of each sequence, read at its last valid step.
     *
     * @throws IllegalStateException if this is a regression model
     */
    public int[] predictClasses(float[][][] sequences) {
        if (spec().head() != HeadKind.CLASSIFICATION) {
            throw new IllegalStateException("predictClasses needs a classifier; this model is a regression model "
                    + "(use predictLast)");
        }
        float[][] logits = predictLast(sequences);
        int[] classes = new int[logits.length];
        for (int n = 0; n < logits.length; n++) {
            for (int c = 1; c < logits[n].length; c++) {
                if (logits[n][c] > logits[n][classes[n]]) {
                    classes[n] = c;
                }
            }
        }
        return classes;
    }

    private int lastStep(Output out, Batch batch, int n) {
        return spec().outputMode() == OutputMode.LAST_STEP || out.steps() == 1 ? 0 : batch.lengths()[n] - 1;
    }

    /**
     * {@code size} streams stepped one input at a time, each carrying its state from call to call: see
     * {@link StreamingPredictor}.
     *
     * @throws IllegalArgumentException for the MLP baseline or a bidirectional model, which cannot stream
     */
    public StreamingPredictor stream(int size) {
        return new StreamingPredictor(model, size);
    }

    /**
     * Runs the model from {@code initial} (zeros when {@code null}) and returns the outputs with the state at each
     * sequence's last valid step, to pass to the next call: see {@link Model#forward(Batch, State)}.
     */
    public StatefulOutput predict(Batch batch, State initial) {
        return model.forward(batch, initial);
    }

    /** Saves a model folder ({@code model.json}, {@code parameters.bin}), atomically; {@link #load} reads it. */
    public void save(Path dir) throws IOException {
        ModelStore.save(dir, spec(), model.parameters(), provenance);
    }

    /** Writes a standard ONNX file (opset 17) with the spec and provenance in its metadata, atomically. */
    public void exportOnnx(Path file) throws IOException {
        exportOnnx(file, false);
    }

    /**
     * Writes a standard ONNX file (opset 17), atomically; with {@code stateInputs}, each layer's initial state is a graph
     * input ({@code initial_h.l}, {@code initial_c.l}, {@code [D, N, H]}) so any ONNX runtime can stream it by feeding
     * back the {@code final_h.l}, {@code final_c.l} outputs.
     */
    public void exportOnnx(Path file, boolean stateInputs) throws IOException {
        OnnxExporter.write(spec(), model.parameters(), provenance, stateInputs, file);
    }

    /**
     * Writes the weights under PyTorch's names ({@code rnn.weight_ih_l0} ..., {@code head.weight}, {@code head.bias};
     * {@link dev.rnn4j.params.TorchStateDict}) as a safetensors file, atomically: in PyTorch,
     * {@code model.load_state_dict(safetensors.torch.load_file(path))} loads them into an {@code nn.LSTM}/{@code GRU}/
     * {@code RNN} named {@code rnn} (batch-first or not) and an {@code nn.Linear} named {@code head}.
     *
     * @throws IllegalArgumentException for a cell PyTorch has no module for (peephole, coupled-gate LSTM, MLP) or a GRU
     *                                  with {@code linear_before_reset = 0}
     */
    public void exportSafetensors(Path file) throws IOException {
        dev.rnn4j.params.TorchStateDict.save(file, spec(), model.parameters());
    }

    @Override
    public void close() {
        model.close();
    }

    private static List<String> trainingBackends() {
        return Backends.providers().stream().filter(p -> p.capabilities().contains(Capability.TRAINING))
                .map(p -> p.name()).toList();
    }

    /**
     * Builds an {@link RnnModel}: {@link #setSpec} is required; the rest has defaults (seed 0, the configured
     * engine, weights initialised from the seed).
     */
    public static final class Builder {
        private ModelSpec spec;
        private long seed;
        private String backend;
        private Parameters parameters;
        private Initializer.Options init = Initializer.Options.defaults();
        private Provenance provenance;

        private Builder() {
        }

        /** What the model is (cell, sizes, head, output mode). */
        public Builder setSpec(ModelSpec spec) {
            this.spec = spec;
            return this;
        }

        /** Seeds the initial weights, the dropout masks and the minibatch order of {@link RnnModel#fit}. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The engine by name, e.g. {@code native}, {@code pytorch}; {@code null} for the configured one. */
        public Builder optBackend(String backend) {
            this.backend = backend;
            return this;
        }

        /** Start from these parameters (canonical layout) instead of a fresh initialisation. */
        public Builder optParameters(Parameters parameters) {
            this.parameters = parameters;
            return this;
        }

        /** How fresh weights are initialised (LSTM forget-gate bias, chrono init). */
        public Builder optInitializer(Initializer.Options init) {
            this.init = init;
            return this;
        }

        /** Where the model came from (kept when loading). */
        public Builder optProvenance(Provenance provenance) {
            this.provenance = provenance;
            return this;
        }

        /**
         * Starts the engine and creates the model: trainable when the engine can train, else inference-only.
         *
         * @throws IllegalStateException                  if no spec was set
         * @throws dev.rnn4j.config.BackendException      if the engine is unknown (the message lists the known ones)
         * @throws IllegalArgumentException               if the parameters do not fit the spec
         */
        public RnnModel build() {
            if (spec == null) {
                throw new IllegalStateException("RnnModel.Builder: setSpec is required");
            }
            String name = backend != null && !backend.isBlank() ? backend.trim() : BackendSelection.resolve(null).name();
            Backend engine = Backends.create(name, EnumSet.noneOf(Capability.class));
            Parameters initial = parameters != null ? parameters : Initializer.initialize(spec, seed, init);
            Model m = engine.capabilities().contains(Capability.TRAINING)
                    ? engine.newTrainableModel(spec, initial, seed) : engine.newModel(spec, initial);
            Provenance p = provenance != null ? provenance : new Provenance(null, null, seed, null, Rnn4j.version());
            return new RnnModel(engine, m, seed, p);
        }
    }
}
