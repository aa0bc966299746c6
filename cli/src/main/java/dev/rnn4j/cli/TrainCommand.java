package dev.rnn4j.cli;

import com.google.gson.JsonObject;
import dev.rnn4j.datasets.Task;
import dev.rnn4j.datasets.TaskOption;
import dev.rnn4j.runs.Tasks;
import dev.rnn4j.runs.TrainingRequest;
import dev.rnn4j.runs.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn4j train}: trains a model on a task and leaves in {@code --out} the model folder
 * ({@code model.json}, {@code parameters.bin}), {@code metrics.json}, {@code curve.csv} and {@code loss.png}. The flags
 * are a {@link TrainingRequest}'s settings under their own names (the fields below declare them for help and type
 * checks; each task's own flags come from the task); the request does the rest.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model on a task, evaluate it on the task's test set and save it.")
class TrainCommand implements Callable<Integer> {

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

    @Option(names = "--loss", description = "What a regression head trains on: mse or mae (the median; MAE, MASE and "
            + "sMAPE weigh errors so) (default: the task's recipe; mse for most). Keep-best then chooses by the same "
            + "measure on the held-out set.")
    String loss;

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

    @Option(names = "--init-from", description = "Start from the parameters of a model folder (one trained, or made "
            + "by import): its cell and sizes; it must read the task's inputs and give its outputs.")
    Path initFrom;

    @Option(names = "--new-head", description = "With --init-from: keep the model's recurrent layers and give it a "
            + "fresh head for this task (its outputs or classes), initialised from the seed.")
    boolean newHead;

    @Option(names = "--freeze", description = "Parameters kept as they start (not updated, not in the clipping norm), "
            + "by name or prefix, comma-separated: layers.0, head, layers.1.R.")
    String freeze;

    @Spec
    CommandSpec commandSpec;

    /**
     * Collects the flags given into a {@link TrainingRequest} (each under its own name), checks it before any work,
     * and runs it.
     */
    @Override
    public Integer call() throws Exception {
        backendOption.applyDevice();
        TrainingRequest request = request(); // every flag checked before the engine starts
        backendOption.checkDevice(request.backend());
        TrainingRun.Outcome outcome = request.run();
        JsonObject m = outcome.metrics();
        System.out.printf(Locale.ROOT, "%s = %.4f after %d steps (%.1f s, %s)%s; model and metrics in %s%n",
                request.data().task().reportedMetric(), outcome.testMetric(), m.get("steps").getAsInt(),
                m.get("train_seconds").getAsDouble(), m.get("stop_reason").getAsString(), outcome.summary(), request.out());
        return 0;
    }

    /** The request the parsed flags make, checked ({@link TrainingRequest.Builder#build()}). */
    TrainingRequest request() {
        TrainingRequest.Builder builder = TrainingRequest.builder();
        for (OptionSpec o : commandSpec.commandLine().getParseResult().matchedOptions()) {
            String key = o.longestName().substring(2);
            if (NOT_REQUEST.contains(key) || ownFlags().contains(key)) {
                continue;
            }
            builder.option(key, o.arity().max() == 0 ? String.valueOf((Object) o.getValue())
                    : o.originalStringValues().get(o.originalStringValues().size() - 1));
        }
        return builder.build();
    }

    /** Flags of the command line that are not settings of the run. */
    private static final Set<String> NOT_REQUEST = Set.of("help", "version", "verbose", "device");

    /** Flags a command built on {@code train} adds of its own, which are not settings of the run (none here). */
    Set<String> ownFlags() {
        return Set.of();
    }

    /**
     * Adds every task's own options ({@link dev.rnn4j.datasets.Task#options()}) to {@code train}: one flag per name,
     * its help naming the tasks that take it.
     */
    static void addTaskOptions(CommandSpec train) {
        Map<String, List<String>> help = new LinkedHashMap<>();
        Map<String, TaskOption> first = new LinkedHashMap<>();
        for (Task<?> t : Tasks.all()) {
            for (TaskOption o : t.options()) {
                first.putIfAbsent(o.name(), o);
                help.computeIfAbsent(o.name(), k -> new ArrayList<>()).add(t.name() + ": " + o.description() + ".");
            }
        }
        first.forEach((name, o) -> {
            OptionSpec.Builder b = OptionSpec.builder("--" + name).type(String.class)
                    .description(String.join(" ", help.get(name)).replace("%", "%%"));
            if (o.label() != null) {
                b.paramLabel(o.label());
            }
            if (o.fallback() != null) {
                b.arity("0..1").fallbackValue(o.fallback());
            }
            train.addOption(b.build());
        });
    }

    /** For picocli's completion list. */
    static final class TaskNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Tasks.names().iterator();
        }
    }
}
