package dev.rnn4j.cli;

import dev.rnn4j.examples.TrainingRun;
import com.google.gson.JsonObject;
import dev.rnn4j.datasets.Recipe;
import dev.rnn4j.datasets.Task;
import dev.rnn4j.datasets.TaskConfig;
import dev.rnn4j.examples.tasks.Tasks;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.train.LearningRateSchedule;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.TrainerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnn4j train}: trains a model on a task and leaves in {@code --out} the model folder
 * ({@code model.json}, {@code parameters.bin}), {@code metrics.json}, {@code curve.csv} and {@code loss.png}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
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

    @Option(names = "--hidden", description = "Hidden units per layer (default: the task's recipe; 32 for most).")
    Integer hidden;

    @Option(names = "--layers", defaultValue = "1", description = "Stacked layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--dropout", defaultValue = "0", description = "Dropout between layers (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--gru-linear-before-reset", defaultValue = "1",
            description = "GRU variant: 1 (PyTorch, cuDNN) or 0 (ONNX default) (default: ${DEFAULT-VALUE}).")
    int linearBeforeReset;

    @Option(names = "--bidirectional", description = "Each recurrent layer also reads every sequence backwards, from its "
            + "last valid step, with its own parameters; outputs [forward, reverse] side by side (2 x hidden).")
    boolean bidirectional;

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Option(names = "--steps", description = "Exactly this many optimizer steps (no early stop).")
    Integer steps;

    @Option(names = "--batch-size", description = "Minibatch size (default: the task's recipe; 32 for most).")
    Integer batchSize;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, adam or rmsprop (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate (default: the task's recipe; 0.003 for most).")
    Float lr;

    @Option(names = "--lr-schedule",
            description = "constant or cosine (anneals to 1%% of --lr over the step budget) (default: the task's recipe).")
    String lrSchedule;

    @Option(names = "--clip", defaultValue = "5", description = "Max global gradient norm, 0 for none (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--on-nonfinite", defaultValue = "stop",
            description = "stop (exit 3) or skip-batch (drop that batch's update; stop after 10 in a row) when a loss "
                    + "or gradient is NaN or infinite (default: ${DEFAULT-VALUE}).")
    String onNonFinite;

    @Option(names = "--forget-bias", defaultValue = "1.0", description = "LSTM forget-gate bias (default: ${DEFAULT-VALUE}).")
    float forgetBias;

    @Option(names = "--eval-every", description = "Evaluate every N steps (default: the task's recipe; 50 for most).")
    Integer evalEvery;

    @Option(names = "--keep-best", negatable = true, description = "End with the parameters of the best held-out "
            + "evaluation, the initial ones included, not the last step's (default: the task's recipe; the csv tasks "
            + "keep the best of their validation rows). The generated tasks evaluate on their test set, so there it "
            + "would choose on the test set.")
    Boolean keepBest;

    @Option(names = "--time-limit", description = "Stop training after this many minutes.")
    Double timeLimit;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for data, initialisation and batching (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--resume", description = "Continue from OUT/checkpoint (saved at every evaluation; an error if there "
            + "is none): same flags, same result as an uninterrupted run.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        CellType cellType = CellType.parse(cell);
        if (linearBeforeReset != 0 && linearBeforeReset != 1) {
            throw new IllegalArgumentException("--gru-linear-before-reset must be 0 or 1, got " + linearBeforeReset);
        }
        TaskConfig<?> data = dataOptions.configure(task, seed);
        Recipe recipe = data.recipe();
        ModelSpec.Builder sb = data.specFor().setCell(cellType).setHiddenSize(hidden != null ? hidden : recipe.hidden()).optNumLayers(layers)
                .optDropout(dropout).optLinearBeforeReset(linearBeforeReset == 1).optBidirectional(bidirectional);
        if (cellType == CellType.MLP) {
            sb.optWindow(data.generate().train().maxLength()).setOutputMode(OutputMode.LAST_STEP);
        }
        ModelSpec spec = sb.build();
        Task<?> def = data.task();
        TrainerConfig.Builder tb = TrainerConfig.builder()
                .optBatchSize(batchSize != null ? batchSize : recipe.batchSize())
                .optOptimizer(OptimizerConfig.parse(optimizer, lr != null ? lr : recipe.lr()))
                .optSchedule(lrSchedule != null ? LearningRateSchedule.parse(lrSchedule) : recipe.schedule())
                .optClipNorm(clip).optEvalEvery(evalEvery != null ? evalEvery : recipe.evalEvery())
                .optKeepBest((keepBest != null ? keepBest : recipe.keepBest()) ? def.metric() : null)
                .optSeed(seed).optOnNonFinite(TrainerConfig.NonFinitePolicy.parse(onNonFinite)).optStateful(data.stateful());
        if (steps != null) {
            tb.optMaxSteps(steps);
        } else {
            tb.optMaxSteps(recipe.steps());
            if (!Double.isNaN(def.target())) {
                tb.optTarget(def.metric(), def.target());
            }
        }
        if (timeLimit != null) {
            tb.optTimeLimit(Duration.ofMillis((long) (timeLimit * 60_000)));
        }
        TrainerConfig trainer = tb.build(); // checks the training flags before the engine starts
        if (trainer.stateful()) {
            if (cellType == CellType.MLP) {
                throw new IllegalArgumentException("--stateful needs a recurrent cell: the MLP baseline has no state");
            }
            if (bidirectional) {
                throw new IllegalArgumentException("--stateful and --bidirectional do not go together: the reverse "
                        + "direction would need the text after each chunk");
            }
            data.generate().train().streamBatches(trainer.batchSize(), false); // enough chunks for --batch-size streams
        }
        Backend backend = backendOption.start(EnumSet.of(Capability.TRAINING));
        TrainingRun.Outcome outcome = new TrainingRun(data, spec, trainer, forgetBias, seed)
                .run(backend, out, resume);
        JsonObject m = outcome.metrics();
        StringBuilder baselines = new StringBuilder();
        for (String b : new String[] {"persistence", "seasonal", "ar"}) {
            if (m.has("baseline_" + b + "_rmse")) {
                baselines.append(String.format(Locale.ROOT, "%s %s %.4f", baselines.length() == 0 ? "; baselines:" : ",",
                        b.equals("ar") ? "AR" : b, m.get("baseline_" + b + "_rmse").getAsDouble()));
            }
        }
        System.out.printf(Locale.ROOT, "%s = %.4f after %d steps (%.1f s, %s)%s; model and metrics in %s%n",
                def.reportedMetric(), outcome.testMetric(), m.get("steps").getAsInt(),
                m.get("train_seconds").getAsDouble(), m.get("stop_reason").getAsString(), baselines, out);
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
