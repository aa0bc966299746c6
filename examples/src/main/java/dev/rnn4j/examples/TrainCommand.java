package dev.rnn4j.examples;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.examples.report.MetricsJson;
import dev.rnn4j.examples.report.Plots;
import dev.rnn4j.examples.tasks.TaskDefinition;
import dev.rnn4j.examples.tasks.TaskOptions;
import dev.rnn4j.examples.tasks.Tasks;
import dev.rnn4j.io.ModelStore;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.train.CheckpointListener;
import dev.rnn4j.train.CsvCurveListener;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.ProgressListener;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainerConfig;
import dev.rnn4j.train.TrainingResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnn4j train}: trains a model on a task and leaves in {@code --out} the model folder
 * ({@code model.json}, {@code parameters.bin}), {@code metrics.json}, {@code curve.csv} and {@code loss.png}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on a task, evaluate it on the task's test set and save it.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    BackendOption backendOption = new BackendOption();

    @Option(names = "--task", required = true, description = "Task: ${COMPLETION-CANDIDATES}",
            completionCandidates = TaskNames.class)
    String task;

    @Option(names = "--cell", defaultValue = "lstm",
            description = "rnn, lstm, gru, lstm-peephole, lstm-cifg or mlp (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--hidden", defaultValue = "32", description = "Hidden units per layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "Stacked layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--dropout", defaultValue = "0", description = "Dropout between layers (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--gru-linear-before-reset", defaultValue = "1",
            description = "GRU variant: 1 (PyTorch, cuDNN) or 0 (ONNX default) (default: ${DEFAULT-VALUE}).")
    int linearBeforeReset;

    @Option(names = "--train-length", description = "Training sequence length N or range MIN-MAX.")
    String trainLength;

    @Option(names = "--test-length", description = "Test sequence length N or range MIN-MAX.")
    String testLength;

    @Option(names = "--train-size", description = "Number of training sequences.")
    Integer trainSize;

    @Option(names = "--test-size", description = "Number of test sequences.")
    Integer testSize;

    @Option(names = "--coefficients", description = "function-shapes: fixed or per-sequence (default: fixed).")
    String coefficients;

    @Option(names = "--steps", description = "Exactly this many optimizer steps (no early stop).")
    Integer steps;

    @Option(names = "--batch-size", defaultValue = "32", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, adam or rmsprop (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.003", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--clip", defaultValue = "5", description = "Max global gradient norm, 0 for none (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--forget-bias", defaultValue = "1.0", description = "LSTM forget-gate bias (default: ${DEFAULT-VALUE}).")
    float forgetBias;

    @Option(names = "--eval-every", defaultValue = "50", description = "Evaluate every N steps (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--time-limit", description = "Stop training after this many minutes.")
    Double timeLimit;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for data, initialisation and batching (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        TaskDefinition def = Tasks.get(task);
        CellType cellType = CellType.parse(cell);
        if (linearBeforeReset != 0 && linearBeforeReset != 1) {
            throw new IllegalArgumentException("--gru-linear-before-reset must be 0 or 1, got " + linearBeforeReset);
        }
        JsonObject dataConfig = def.dataConfig(new TaskOptions(trainLength, testLength, trainSize, testSize,
                coefficients, seed));
        DataSplit data = def.generate(dataConfig);
        ModelSpec.Builder sb = def.specFor(dataConfig).setCell(cellType).setHiddenSize(hidden).optNumLayers(layers)
                .optDropout(dropout).optLinearBeforeReset(linearBeforeReset == 1);
        if (cellType == CellType.MLP) {
            sb.optWindow(data.train().maxLength()).setOutputMode(OutputMode.LAST_STEP);
        }
        ModelSpec spec = sb.build();
        TrainerConfig.Builder tb = TrainerConfig.builder().optBatchSize(batchSize)
                .optOptimizer(OptimizerConfig.parse(optimizer, lr)).optClipNorm(clip).optEvalEvery(evalEvery)
                .optSeed(seed);
        if (steps != null) {
            tb.optMaxSteps(steps);
        } else {
            tb.optMaxSteps(def.defaultSteps()).optTarget(def.metric(), def.target());
        }
        if (timeLimit != null) {
            tb.optTimeLimit(Duration.ofMillis((long) (timeLimit * 60_000)));
        }
        TrainerConfig config = tb.build();
        Backend backend = backendOption.start(EnumSet.of(Capability.TRAINING));

        JsonObject info = new JsonObject();
        info.addProperty("task", def.name());
        info.add("data", dataConfig);
        info.addProperty("seed", seed);
        info.addProperty("trained_on", backend.name());

        TrainingResult result;
        long parameterCount;
        try (TrainableModel model = backend.newTrainableModel(spec,
                Initializer.initialize(spec, seed, new Initializer.Options(forgetBias, 0f)), seed)) {
            Trainer trainer = new Trainer(config, List.of(new ProgressListener(def.name()),
                    new CsvCurveListener(out.resolve("curve.csv")),
                    new CheckpointListener(out.resolve("checkpoint"), info)));
            result = trainer.fit(model, data.train(), data.test());
            ModelStore.save(out, spec, model.parameters(), info);
            parameterCount = model.parameters().scalarCount();
        }
        String metricName = "test_" + def.metric();
        double metric = result.finalMetrics().get(def.metric());
        JsonObject m = new JsonObject();
        m.addProperty("task", def.name());
        m.addProperty("cell", cellType.cliName());
        m.addProperty("backend", backend.name());
        m.addProperty("seed", seed);
        m.addProperty("steps", result.steps());
        m.addProperty("train_seconds", result.seconds());
        m.addProperty("test_metric_name", metricName);
        m.addProperty("test_metric", metric);
        result.finalMetrics().forEach((k, v) -> m.addProperty("test_" + k, v));
        m.addProperty("stop_reason", result.stopReason().toString().toLowerCase(Locale.ROOT));
        m.addProperty("steps_to_target", result.stepsToTarget());
        m.addProperty("parameters", parameterCount);
        m.add("spec", JsonParser.parseString(spec.toJson()));
        m.add("loss_curve", MetricsJson.array(result.lossCurve()));
        MetricsJson.write(out.resolve("metrics.json"), m);
        Plots.lossCurve(result.lossCurve(), def.name() + ": " + cellType.cliName() + " " + hidden + " on "
                + backend.name(), out.resolve("loss.png"));
        System.out.printf(Locale.ROOT, "%s = %.4f after %d steps (%.1f s, %s); model and metrics in %s%n",
                metricName, metric, result.steps(), result.seconds(), result.stopReason().toString()
                        .toLowerCase(Locale.ROOT), out);
        return 0;
    }

    /** For picocli's completion list. */
    static final class TaskNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Tasks.names().iterator();
        }
    }
}
