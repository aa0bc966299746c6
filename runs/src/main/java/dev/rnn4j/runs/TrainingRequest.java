package dev.rnn4j.runs;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rnn4j.config.BackendSelection;
import dev.rnn4j.config.Backends;
import dev.rnn4j.datasets.Recipe;
import dev.rnn4j.datasets.Task;
import dev.rnn4j.datasets.TaskConfig;
import dev.rnn4j.datasets.TaskOption;
import dev.rnn4j.datasets.TaskOptions;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.train.LearningRateSchedule;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.RegressionLoss;
import dev.rnn4j.train.TrainerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One training run, as {@code ./rnn4j train} makes it, a Java program asks for it and a Spark sweep ships it to its
 * executors: the task with its typed data configuration, the model and training settings, seed, engine and output
 * folder. A setting left {@code null} is the task's recipe ({@link Recipe}). {@link #run()} does what the command
 * does: checkpoints in {@code out/checkpoint}, {@code --resume}, {@code metrics.json}, {@code curve.csv},
 * {@code loss.png} and the task's figures; {@code model.json}'s provenance holds this request.
 *
 * <p>Every setting has one name, the same as the {@code train} flag without its dashes, the request's JSON key and a
 * sweep spec's key: {@link #KEYS} and each task's {@link Task#options()}.
 *
 * <pre>{@code
 * TrainingRequest request = TrainingRequest.builder()
 *         .setTask("function-shapes").option("train-length", "8").option("test-length", "4")
 *         .optCell(CellType.LSTM).optHidden(100).optSeed(1).setOut(Path.of("out/fs"))
 *         .build();                                   // every setting checked here, before any work
 * TrainingRun.Outcome outcome = request.run();
 * }</pre>
 *
 * @param data              the task and its data configuration
 * @param cell              the cell (or the MLP baseline)
 * @param hidden            hidden units per layer, or {@code null} for the recipe's
 * @param layers            stacked layers, or {@code null} for the recipe's
 * @param dropout           dropout between layers, or {@code null} for the recipe's
 * @param linearBeforeReset GRU variant: PyTorch's (true) or ONNX's default
 * @param bidirectional     every recurrent layer also reads each sequence backwards
 * @param forgetBias        LSTM forget-gate bias unless the task's recipe says otherwise
 * @param steps             exactly this many optimizer steps (no early stop), or {@code null} for the recipe's budget
 *                          and early-stop target
 * @param batchSize         minibatch size, or {@code null} for the recipe's
 * @param optimizer         sgd, adam or rmsprop
 * @param lr                learning rate, or {@code null} for the recipe's
 * @param lrSchedule        constant or cosine, or {@code null} for the recipe's
 * @param clip              maximum global gradient norm, 0 for none
 * @param onNonFinite       stop or skip-batch on a NaN or infinite loss or gradient
 * @param loss              what a regression head trains on, or {@code null} for the recipe's (MSE for most)
 * @param evalEvery         evaluate every this many steps, or {@code null} for the recipe's
 * @param keepBest          end with the best evaluation's parameters, or {@code null} for the recipe's choice
 * @param timeLimitMinutes  stop training after this many minutes, or {@code null} for no limit
 * @param seed              seed of data, initialisation, dropout and batch order
 * @param backend           the engine, or {@code null} for the configured one ({@link BackendSelection})
 * @param out               the output folder
 * @param resume            continue from {@code out/checkpoint}
 * @param initFrom          a model folder whose parameters training starts from (its cell and sizes are the model's;
 *                          it must read the task's inputs and give its outputs), or {@code null} for a fresh start
 * @param freeze            parameters left as they start, by name or prefix ({@code layers.0}, {@code head}); empty
 *                          for none
 * @param newHead           with {@code initFrom}: keep the model's recurrent layers and give it a fresh head for the
 *                          task (its outputs, classes and steps), initialised from the seed
 */
public record TrainingRequest(TaskConfig<?> data, CellType cell, Integer hidden, Integer layers, Float dropout,
                              boolean linearBeforeReset, boolean bidirectional, float forgetBias, Integer steps,
                              Integer batchSize, String optimizer, Float lr, String lrSchedule, double clip,
                              String onNonFinite, RegressionLoss loss, Integer evalEvery, Boolean keepBest,
                              Double timeLimitMinutes, long seed, String backend, Path out, boolean resume,
                              Path initFrom, List<String> freeze, boolean newHead) {

    public TrainingRequest {
        freeze = freeze == null ? List.of() : List.copyOf(freeze);
    }

    /** The settings every task has (each task adds its own, {@link Task#options()}), as flags, JSON and sweep keys. */
    public static final List<String> KEYS = List.of("task", "cell", "hidden", "layers", "dropout",
            "gru-linear-before-reset", "bidirectional", "forget-bias", "steps", "batch-size", "optimizer", "lr",
            "lr-schedule", "clip", "on-nonfinite", "loss", "eval-every", "keep-best", "time-limit", "seed", "backend", "out",
            "resume", "init-from", "freeze", "new-head");

    public static Builder builder() {
        return new Builder();
    }

    /** Every key a request of {@code task} takes: {@link #KEYS} and the task's own options. */
    public static Set<String> keys(Task<?> task) {
        Set<String> keys = new TreeSet<>(KEYS);
        task.options().forEach(o -> keys.add(o.name()));
        return keys;
    }

    /** The model and trainer this request resolves to, with the task's recipe for every setting left open. */
    public record Plan(ModelSpec spec, TrainerConfig trainer) {
    }

    /**
     * The model and trainer, checked: what {@link Builder#build()} runs so that a bad setting is refused before any
     * work.
     *
     * @throws IllegalArgumentException naming the flag of a bad or conflicting setting
     */
    public Plan plan() {
        Recipe recipe = data.recipe();
        ModelSpec.Builder sb = data.specFor().setCell(cell).setHiddenSize(hidden != null ? hidden : recipe.hidden())
                .optNumLayers(layers != null ? layers : recipe.layers())
                .optDropout(dropout != null ? dropout : recipe.dropout()).optLinearBeforeReset(linearBeforeReset)
                .optBidirectional(bidirectional);
        if (cell == CellType.MLP) {
            sb.optWindow(data.generate().train().maxLength()).setOutputMode(OutputMode.LAST_STEP);
        }
        if (newHead && initFrom == null) {
            throw new IllegalArgumentException("--new-head replaces the head of an --init-from model; there is none");
        }
        ModelSpec spec = initFrom == null ? sb.build() : initSpec(sb.build(), initModel().spec());
        Task<?> task = data.task();
        java.util.Set<String> frozen = frozen(spec);
        if (loss != null && spec.head() != dev.rnn4j.spec.HeadKind.REGRESSION) {
            throw new IllegalArgumentException("--loss is for regression tasks: " + task.name()
                    + " classifies (cross-entropy)");
        }
        RegressionLoss regression = loss != null ? loss : recipe.loss();
        LearningRateSchedule schedule = lrSchedule != null ? LearningRateSchedule.parse(lrSchedule) : recipe.schedule();
        TrainerConfig.Builder tb = TrainerConfig.builder()
                .optBatchSize(batchSize != null ? batchSize : recipe.batchSize())
                .optOptimizer(OptimizerConfig.parse(optimizer, lr != null ? lr : recipe.lr()).withFrozen(frozen))
                .optSchedule(schedule)
                .optClipNorm(clip).optEvalEvery(evalEvery != null ? evalEvery : recipe.evalEvery())
                .optLoss(regression)
                .optKeepBest((keepBest != null ? keepBest : recipe.keepBest()) ? Recipe.kept(task.metric(), regression)
                        : null)
                .optSeed(seed).optOnNonFinite(TrainerConfig.NonFinitePolicy.parse(onNonFinite))
                .optStateful(data.stateful());
        if (steps != null) {
            tb.optMaxSteps(steps);
        } else {
            // an annealing schedule under a time limit runs the steps that fit in the time (the trainer fits them)
            boolean byTime = timeLimitMinutes != null && schedule.annealsOverBudget();
            tb.optMaxSteps(byTime ? Integer.MAX_VALUE : recipe.steps());
            if (!Double.isNaN(task.target())) {
                tb.optTarget(task.metric(), task.target());
            }
        }
        if (timeLimitMinutes != null) {
            tb.optTimeLimit(Duration.ofMillis((long) (timeLimitMinutes * 60_000)));
        }
        TrainerConfig trainer = tb.build();
        if (trainer.stateful()) {
            if (cell == CellType.MLP) {
                throw new IllegalArgumentException("--stateful needs a recurrent cell: the MLP baseline has no state");
            }
            if (bidirectional) {
                throw new IllegalArgumentException("--stateful and --bidirectional do not go together: the reverse "
                        + "direction would need the text after each chunk");
            }
            data.generate().train().streamBatches(trainer.batchSize(), false); // enough chunks for the streams
        }
        return new Plan(spec, trainer);
    }

    /**
     * The {@code --init-from} model's parameters for {@code spec}: all of them, or with {@code --new-head} its
     * recurrent layers and a head initialised from the seed as the task's recipe would.
     */
    private dev.rnn4j.params.Parameters initial(ModelSpec spec) {
        dev.rnn4j.params.Parameters from = initModel().parameters();
        if (!newHead) {
            return from;
        }
        dev.rnn4j.params.Parameters fresh = dev.rnn4j.params.Initializer.initialize(spec, seed, data.init(forgetBias));
        for (dev.rnn4j.params.Tensor t : from) {
            if (!t.name().startsWith("head.")) {
                fresh.put(t);
            }
        }
        return fresh;
    }

    /** The {@code --init-from} model, read. */
    private dev.rnn4j.io.SavedModel initModel() {
        try {
            return dev.rnn4j.io.ModelStore.load(initFrom);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--init-from " + initFrom + ": " + e.getMessage());
        }
    }

    /**
     * The {@code --init-from} model's spec, when it fits the task ({@code task}: the spec the task would build): the
     * same inputs per step, head and outputs; a cell or size given that differs from the model's is refused.
     */
    private ModelSpec initSpec(ModelSpec task, ModelSpec model) {
        String from = "--init-from " + initFrom + ": ";
        String name = data.name();
        if (model.inputSize() != task.inputSize()) {
            throw new IllegalArgumentException(from + "the model reads " + model.inputSize() + " inputs per step; "
                    + name + " gives " + task.inputSize());
        }
        if (newHead) {
            return model.toBuilder().setHead(task.head(), task.outputSize()).setOutputMode(task.outputMode())
                    .optDropout(task.dropout()).build();
        }
        if (model.head() != task.head() || model.outputSize() != task.outputSize()) {
            throw new IllegalArgumentException(from + "the model's head gives " + model.outputSize() + " "
                    + model.head().toString().toLowerCase(Locale.ROOT) + " outputs; " + name + " needs "
                    + task.outputSize() + " " + task.head().toString().toLowerCase(Locale.ROOT) + " outputs (--new-head "
                    + "gives it a fresh one)");
        }
        if (model.outputMode() != task.outputMode()) {
            throw new IllegalArgumentException(from + "the model's head reads " + (model.outputMode()
                    == OutputMode.LAST_STEP ? "the last step" : "every step") + "; " + name + " needs "
                    + (task.outputMode() == OutputMode.LAST_STEP ? "the last step" : "every step"));
        }
        if (cell != CellType.LSTM && cell != model.cell() || hidden != null && hidden != model.hiddenSize()
                || layers != null && layers != model.numLayers() || bidirectional && !model.bidirectional()) {
            throw new IllegalArgumentException(from + "the model is a " + model.cell().cliName() + " of "
                    + model.numLayers() + " x " + model.hiddenSize() + (model.bidirectional() ? " bidirectional" : "")
                    + "; leave out --cell, --hidden, --layers and --bidirectional, or give the model's");
        }
        return model.toBuilder().optDropout(task.dropout()).build();
    }

    /** The parameters {@code --freeze} names, each entry a name or a prefix before a dot. */
    private java.util.Set<String> frozen(ModelSpec spec) {
        List<String> names = dev.rnn4j.params.ParameterLayout.of(spec).stream()
                .map(dev.rnn4j.params.ParameterLayout.Entry::name).toList();
        java.util.Set<String> frozen = new java.util.TreeSet<>();
        for (String f : freeze) {
            List<String> matched = names.stream().filter(n -> n.equals(f) || n.startsWith(f + ".")).toList();
            if (matched.isEmpty()) {
                throw new IllegalArgumentException("--freeze " + f + " matches no parameter (the model's: "
                        + String.join(", ", names) + ")");
            }
            frozen.addAll(matched);
        }
        if (!freeze.isEmpty() && frozen.size() == names.size()) {
            throw new IllegalArgumentException("--freeze " + String.join(",", freeze) + " freezes every parameter: "
                    + "nothing would train");
        }
        return frozen;
    }

    /**
     * Starts the engine and trains, exactly as {@code ./rnn4j train}: everything lands in {@link #out()}.
     *
     * @throws IllegalArgumentException for a setting that does not fit, a missing checkpoint on resume, or an engine
     *                                  that cannot train
     */
    public TrainingRun.Outcome run() throws IOException {
        Plan plan = plan();
        dev.rnn4j.params.Parameters initial = initFrom == null ? null : initial(plan.spec());
        Backend engine = Backends.create(BackendSelection.resolve(backend).name(), EnumSet.of(Capability.TRAINING));
        // an ensemble's other members first, each a whole run of its own in out/members/member-K (seed + K)
        List<dev.rnn4j.params.Parameters> others = new java.util.ArrayList<>();
        for (int k = 1; k < data.ensembleSize(); k++) {
            TrainerConfig trainer = plan.trainer().toBuilder().optSeed(seed + k).build();
            others.add(new TrainingRun(data, plan.spec(), trainer, forgetBias, seed + k, initial)
                    .run(engine, TrainingRun.memberFolder(out, k), resume, this, List.of()).parameters());
        }
        return new TrainingRun(data, plan.spec(), plan.trainer(), forgetBias, seed, initial).run(engine, out, resume,
                this, others);
    }

    /** This request writing into another folder (a sweep's trial on an executor). */
    public TrainingRequest withOut(Path folder) {
        return with(data, folder);
    }

    /** This request on other data of its task (a backtest's origin), writing into {@code folder}. */
    public TrainingRequest with(TaskConfig<?> otherData, Path folder) {
        if (otherData.task() != data.task()) {
            throw new IllegalArgumentException("a request of " + data.name() + " given data of " + otherData.name());
        }
        return new TrainingRequest(otherData, cell, hidden, layers, dropout, linearBeforeReset, bidirectional, forgetBias,
                steps, batchSize, optimizer, lr, lrSchedule, clip, onNonFinite, loss, evalEvery, keepBest,
                timeLimitMinutes, seed, backend, folder, resume, initFrom, freeze, newHead);
    }

    /**
     * As JSON: the settings under their keys (open ones left out), and the task's typed data configuration under
     * {@code data}. {@link #fromJson} reads it back to an equal request.
     */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("task", data.name());
        o.add("data", data.toJson());
        o.addProperty("cell", cell.cliName());
        put(o, "hidden", hidden);
        put(o, "layers", layers);
        put(o, "dropout", dropout);
        o.addProperty("gru-linear-before-reset", linearBeforeReset ? 1 : 0);
        o.addProperty("bidirectional", bidirectional);
        o.addProperty("forget-bias", forgetBias);
        put(o, "steps", steps);
        put(o, "batch-size", batchSize);
        o.addProperty("optimizer", optimizer);
        put(o, "lr", lr);
        if (lrSchedule != null) {
            o.addProperty("lr-schedule", lrSchedule);
        }
        o.addProperty("clip", clip);
        o.addProperty("on-nonfinite", onNonFinite);
        if (loss != null) {
            o.addProperty("loss", loss.cliName());
        }
        put(o, "eval-every", evalEvery);
        if (keepBest != null) {
            o.addProperty("keep-best", keepBest);
        }
        put(o, "time-limit", timeLimitMinutes);
        o.addProperty("seed", seed);
        if (backend != null) {
            o.addProperty("backend", backend);
        }
        if (out != null) {
            o.addProperty("out", out.toString());
        }
        o.addProperty("resume", resume);
        if (initFrom != null) {
            o.addProperty("init-from", initFrom.toString());
        }
        if (!freeze.isEmpty()) {
            o.addProperty("freeze", String.join(",", freeze));
        }
        if (newHead) {
            o.addProperty("new-head", true);
        }
        return o;
    }

    /**
     * A request written by {@link #toJson}.
     *
     * @throws IllegalArgumentException for an unknown task or key, or a bad value
     */
    public static TrainingRequest fromJson(JsonObject json) {
        Builder b = builder();
        Task<?> task = Tasks.get(json.get("task").getAsString());
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            if (!e.getKey().equals("task") && !e.getKey().equals("data")) {
                b.option(e.getKey(), e.getValue().getAsString());
            }
        }
        return b.setTask(TaskConfig.fromJson(task, json.getAsJsonObject("data"))).build();
    }

    /** {@link #fromJson(JsonObject)} from text. */
    public static TrainingRequest fromJson(String json) {
        return fromJson(JsonParser.parseString(json).getAsJsonObject());
    }

    private static void put(JsonObject o, String key, Number value) {
        if (value != null) {
            o.addProperty(key, value);
        }
    }

    /**
     * Builds a request: {@code set*} for what it needs (the task and the output folder), {@code opt*} for the rest,
     * and {@link #option(String, String)} for any setting by its key, as text (what the command line and sweeps use).
     */
    public static final class Builder {
        private String taskName;
        private TaskConfig<?> data;
        private final Map<String, String> taskOptions = new LinkedHashMap<>();
        private CellType cell = CellType.LSTM;
        private Integer hidden;
        private Integer layers;
        private Float dropout;
        private boolean linearBeforeReset = true;
        private boolean bidirectional;
        private float forgetBias = 1f;
        private Integer steps;
        private Integer batchSize;
        private String optimizer = "adam";
        private Float lr;
        private String lrSchedule;
        private double clip = 5;
        private String onNonFinite = "stop";
        private RegressionLoss loss;
        private Path initFrom;
        private List<String> freeze = List.of();
        private boolean newHead;
        private Integer evalEvery;
        private Boolean keepBest;
        private Double timeLimitMinutes;
        private long seed = 1;
        private String backend;
        private Path out;
        private boolean resume;

        private Builder() {
        }

        /** The task by name; its data configuration comes from its options ({@link #option}) and the seed. */
        public Builder setTask(String name) {
            this.taskName = name;
            this.data = null;
            return this;
        }

        /** The task with a data configuration of the caller's (its options are then not taken). */
        public Builder setTask(TaskConfig<?> data) {
            this.data = data;
            this.taskName = data.name();
            return this;
        }

        public Builder setOut(Path out) {
            this.out = out;
            return this;
        }

        public Builder optCell(CellType v) {
            cell = v;
            return this;
        }

        public Builder optHidden(int v) {
            hidden = v;
            return this;
        }

        public Builder optLayers(int v) {
            layers = v;
            return this;
        }

        public Builder optDropout(float v) {
            dropout = v;
            return this;
        }

        public Builder optBidirectional(boolean v) {
            bidirectional = v;
            return this;
        }

        public Builder optSteps(int v) {
            steps = v;
            return this;
        }

        public Builder optBatchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder optLr(float v) {
            lr = v;
            return this;
        }

        public Builder optKeepBest(boolean v) {
            keepBest = v;
            return this;
        }

        public Builder optTimeLimit(Duration v) {
            timeLimitMinutes = v.toMillis() / 60_000.0;
            return this;
        }

        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        public Builder optBackend(String v) {
            backend = v;
            return this;
        }

        public Builder optResume(boolean v) {
            resume = v;
            return this;
        }

        /**
         * Any setting by its key ({@link #KEYS}, or an option of the task), as text: {@code option("lr", "0.01")},
         * {@code option("window", "9")}. A switch takes {@code true} or {@code false}.
         *
         * @throws IllegalArgumentException for a bad value, naming the flag (unknown keys are refused by {@link #build})
         */
        public Builder option(String key, String value) {
            String v = value.trim();
            switch (key) {
                case "task" -> setTask(v);
                case "cell" -> cell = CellType.parse(v);
                case "hidden" -> hidden = whole(key, v);
                case "layers" -> layers = whole(key, v);
                case "dropout" -> dropout = (float) number(key, v);
                case "gru-linear-before-reset" -> {
                    if (!v.equals("0") && !v.equals("1")) {
                        throw new IllegalArgumentException("--gru-linear-before-reset must be 0 or 1, got " + v);
                    }
                    linearBeforeReset = v.equals("1");
                }
                case "bidirectional" -> bidirectional = bool(key, v);
                case "forget-bias" -> forgetBias = (float) number(key, v);
                case "steps" -> steps = whole(key, v);
                case "batch-size" -> batchSize = whole(key, v);
                case "optimizer" -> optimizer = v;
                case "lr" -> lr = (float) number(key, v);
                case "lr-schedule" -> lrSchedule = v;
                case "clip" -> clip = number(key, v);
                case "on-nonfinite" -> onNonFinite = v;
                case "loss" -> loss = RegressionLoss.parse(v);
                case "eval-every" -> evalEvery = whole(key, v);
                case "keep-best" -> keepBest = bool(key, v);
                case "time-limit" -> timeLimitMinutes = number(key, v);
                case "seed" -> seed = (long) whole(key, v);
                case "backend" -> backend = v;
                case "out" -> out = Path.of(v);
                case "resume" -> resume = bool(key, v);
                case "init-from" -> initFrom = Path.of(v);
                case "new-head" -> newHead = bool(key, v);
                case "freeze" -> freeze = java.util.Arrays.stream(v.split(",")).map(String::trim)
                        .filter(f -> !f.isEmpty()).toList();
                default -> taskOptions.put(key, v);
            }
            return this;
        }

        /**
         * The request, checked: the task's options are known to it and parse, and the model and trainer they give
         * ({@link #plan()}) are valid.
         *
         * @throws IllegalArgumentException naming the flag of the first problem
         */
        public TrainingRequest build() {
            if (taskName == null) {
                throw new IllegalArgumentException("no task: give --task (one of " + String.join(", ", Tasks.names())
                        + ")");
            }
            Task<?> task = Tasks.get(taskName);
            Set<String> known = task.options().stream().map(TaskOption::name)
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
            for (String key : taskOptions.keySet()) {
                if (!known.contains(key)) {
                    boolean other = Tasks.all().stream().anyMatch(t -> t.options().stream()
                            .anyMatch(o -> o.name().equals(key)));
                    throw new IllegalArgumentException("--" + key + (other ? " is not an option of --task " + taskName
                            : " is not a training setting") + " (" + taskName + " takes: "
                            + (known.isEmpty() ? "none" : "--" + String.join(", --", known)) + ")");
                }
            }
            if (out == null) {
                throw new IllegalArgumentException("no output folder: give --out DIR");
            }
            TaskConfig<?> resolved = data != null ? data : configure(task, TaskOptions.of(taskOptions), seed);
            if (onNonFinite != null) {
                TrainerConfig.NonFinitePolicy.parse(onNonFinite);
            }
            TrainingRequest r = new TrainingRequest(resolved, cell, hidden, layers, dropout, linearBeforeReset,
                    bidirectional, forgetBias, steps, batchSize, optimizer.toLowerCase(Locale.ROOT), lr, lrSchedule,
                    clip, onNonFinite, loss, evalEvery, keepBest, timeLimitMinutes, seed, backend, out, resume, initFrom,
                    freeze, newHead);
            r.plan();
            return r;
        }

        private static <C extends Record> TaskConfig<C> configure(Task<C> task, TaskOptions options, long seed) {
            return new TaskConfig<>(task, task.configure(options, seed));
        }

        private static int whole(String key, String v) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + key + " must be a whole number, got '" + v + "'");
            }
        }

        private static double number(String key, String v) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + key + " must be a number, got '" + v + "'");
            }
        }

        private static boolean bool(String key, String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("--" + key + " is a switch: true or false, got '" + v
                        + "'");
            };
        }
    }
}
