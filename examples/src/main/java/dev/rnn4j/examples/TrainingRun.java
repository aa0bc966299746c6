package dev.rnn4j.examples;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.examples.report.MetricsJson;
import dev.rnn4j.examples.report.Plots;
import dev.rnn4j.examples.tasks.TaskDefinition;
import dev.rnn4j.io.ModelStore;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.model.TrainableModel;
import dev.rnn4j.train.CheckpointListener;
import dev.rnn4j.train.CsvCurveListener;
import dev.rnn4j.train.Metrics;
import dev.rnn4j.train.ProgressListener;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainerConfig;
import dev.rnn4j.train.TrainingListener;
import dev.rnn4j.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run of a task, as {@code train} and the example programs do it: initialise from the seed (with
 * the task's recipe), train through the task's curriculum phases and then on its data, evaluate on the test
 * set, and leave in {@code out} the model folder, {@code metrics.json}, {@code curve.csv} and {@code loss.png}.
 *
 * @param task       the task
 * @param dataConfig its data configuration (saved with the model)
 * @param spec       the model
 * @param config     the trainer configuration (budget, optimizer, target...)
 * @param forgetBias LSTM forget-gate bias unless the task's recipe says otherwise
 * @param seed       initialisation and dropout seed
 */
public record TrainingRun(TaskDefinition task, JsonObject dataConfig, ModelSpec spec, TrainerConfig config, float forgetBias,
                   long seed) {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    /**
     * What a run produced.
     *
     * @param metrics    {@code metrics.json} as written
     * @param parameters the trained parameters
     * @param result     the final phase's training result
     * @param lossCurve  every step's training loss across all phases
     */
    public record Outcome(JsonObject metrics, Parameters parameters, TrainingResult result, List<Double> lossCurve) {
        public double testMetric() {
            return metrics.get("test_metric").getAsDouble();
        }
    }

    /** Trains on {@code backend} from step 0 and writes everything into {@code out}. */
    public Outcome run(Backend backend, Path out) throws IOException {
        return run(backend, out, false);
    }

    /**
     * Trains on {@code backend} and writes everything into {@code out}. Every evaluation saves the run to
     * {@code out/checkpoint}; with {@code resume}, a run finds that checkpoint (if there is one) and continues from
     * it exactly: the same curriculum phase, batches, dropout masks and optimizer moments.
     *
     * @throws IllegalArgumentException if the checkpoint was made with another task, data, seed or model
     */
    public Outcome run(Backend backend, Path out, boolean resume) throws IOException {
        return run(backend, out, resume, List.of());
    }

    /** {@link #run(Backend, Path, boolean)} with {@code extra} listeners on every phase (tests stop runs with them). */
    Outcome run(Backend backend, Path out, boolean resume, List<TrainingListener> extra) throws IOException {
        DataSplit data = task.generate(dataConfig);
        List<DataSplit> phases = task.curriculum(dataConfig);
        JsonObject info = new JsonObject();
        info.addProperty("task", task.name());
        info.add("data", dataConfig);
        info.addProperty("seed", seed);
        info.addProperty("trained_on", backend.name());

        Path checkpointDir = out.resolve("checkpoint");
        CheckpointListener.Checkpoint checkpoint = resume ? findCheckpoint(checkpointDir) : null;
        int startPhase = checkpoint == null ? 0 : checkpoint.model().info().get("phase").getAsInt();
        List<Double> curve = new ArrayList<>();
        if (checkpoint != null) {
            checkpoint.model().info().getAsJsonArray("earlier_phases_curve").forEach(v -> curve.add(v.getAsDouble()));
        }
        TrainingResult result = null;
        Parameters trained;
        double seconds = 0;
        Parameters initial = checkpoint != null ? checkpoint.model().parameters()
                : Initializer.initialize(spec, seed, task.init(dataConfig, forgetBias));
        try (TrainableModel model = backend.newTrainableModel(spec, initial, seed)) {
            int perPhase = Math.max(1, config.maxSteps() / (phases.size() + 1));
            // the time limit bounds the whole run: each phase gets what is left of it
            long deadline = config.timeLimit() == null ? Long.MAX_VALUE : System.nanoTime() + config.timeLimit().toNanos();
            for (int k = startPhase; k <= phases.size(); k++) {
                boolean last = k == phases.size();
                Duration left = config.timeLimit() == null ? null
                        : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!last && left != null && left.isZero()) {
                    continue; // out of time: straight to the task's data, for one step and the final evaluation
                }
                // curriculum phases run their share of the budget without early stop; the task's data gets the rest
                TrainerConfig phaseConfig = (last
                        ? config.toBuilder().optMaxSteps(config.maxSteps() - perPhase * phases.size())
                        : config.toBuilder().optMaxSteps(perPhase).optSeed(config.seed() + k + 1).optTarget(null, 0))
                        .optTimeLimit(left).build();
                DataSplit phaseData = last ? data : phases.get(k);
                JsonObject phaseInfo = info.deepCopy();
                phaseInfo.addProperty("phase", k);
                phaseInfo.add("earlier_phases_curve", MetricsJson.array(curve));
                List<TrainingListener> listeners = new ArrayList<>(List.of(
                        new ProgressListener(last ? task.name() : task.name() + " phase " + (k + 1)),
                        new CheckpointListener(checkpointDir, phaseInfo)));
                if (last) {
                    listeners.add(new CsvCurveListener(out.resolve("curve.csv")));
                }
                listeners.addAll(extra);
                TrainingResult r = new Trainer(phaseConfig, listeners).fit(model, phaseData.train(), phaseData.test(),
                        k == startPhase && checkpoint != null ? checkpoint.state() : null);
                curve.addAll(r.lossCurve()); // a resumed phase's curve starts with the steps before the checkpoint
                seconds += r.seconds();
                result = r;
            }
            trained = model.parameters();
            ModelStore.save(out, spec, trained, info);
        }
        int steps = curve.size();
        Map<String, Double> test = result.finalMetrics();
        JsonObject m = new JsonObject();
        m.addProperty("task", task.name());
        m.addProperty("cell", spec.cell().cliName());
        m.addProperty("backend", backend.name());
        m.addProperty("seed", seed);
        m.addProperty("steps", steps);
        m.addProperty("train_seconds", seconds);
        JsonObject trainer = new JsonObject();
        trainer.addProperty("optimizer", config.optimizer().type().toString().toLowerCase(Locale.ROOT));
        trainer.addProperty("lr", config.optimizer().lr());
        trainer.addProperty("lr_schedule", config.schedule().kind().toString().toLowerCase(Locale.ROOT));
        trainer.addProperty("batch_size", config.batchSize());
        trainer.addProperty("clip_norm", config.clipNorm());
        m.add("trainer", trainer);
        m.addProperty("test_metric_name", task.reportedMetric());
        m.addProperty("test_metric", test.get(task.metric()));
        test.forEach((k, v) -> m.addProperty("test_" + k, v));
        if (test.containsKey(Metrics.LAST_STEP_ACCURACY)) {
            m.addProperty("last_step_accuracy", test.get(Metrics.LAST_STEP_ACCURACY));
        }
        m.addProperty("stop_reason", result.stopReason().toString().toLowerCase(Locale.ROOT));
        m.addProperty("steps_to_target", result.stepsToTarget() < 0 ? -1 : steps - result.steps() + result.stepsToTarget());
        m.addProperty("curriculum_phases", phases.size());
        m.addProperty("parameters", trained.scalarCount());
        m.add("spec", JsonParser.parseString(spec.toJson()));
        m.add("data", dataConfig);
        m.add("loss_curve", MetricsJson.array(curve));
        MetricsJson.write(out.resolve("metrics.json"), m);
        Plots.lossCurve(curve, task.name() + ": " + spec.cell().cliName() + " " + spec.hiddenSize() + " on "
                + backend.name(), out.resolve("loss.png"));
        return new Outcome(m, trained, result, curve);
    }

    /** The checkpoint in {@code dir} if there is one and it belongs to this run; {@code null} if there is none. */
    private CheckpointListener.Checkpoint findCheckpoint(Path dir) throws IOException {
        if (!java.nio.file.Files.isRegularFile(dir.resolve(ModelStore.MODEL_JSON))) {
            LOG.info("no checkpoint in {}: starting from step 0", dir);
            return null;
        }
        CheckpointListener.Checkpoint c = CheckpointListener.load(dir);
        JsonObject i = c.model().info();
        List<String> differences = new ArrayList<>();
        if (!c.model().spec().equals(spec)) {
            differences.add("model " + c.model().spec().toJson() + " vs " + spec.toJson());
        }
        if (!task.name().equals(i.get("task").getAsString())) {
            differences.add("task " + i.get("task").getAsString());
        }
        if (!dataConfig.equals(i.get("data"))) {
            differences.add("data " + i.get("data") + " vs " + dataConfig);
        }
        if (seed != i.get("seed").getAsLong()) {
            differences.add("seed " + i.get("seed").getAsLong() + " vs " + seed);
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("Cannot resume from " + dir + ": it was made with other settings ("
                    + String.join("; ", differences) + "). Use the same flags, or another --out.");
        }
        LOG.info("resuming from {} (phase {}, step {})", dir, i.get("phase").getAsInt() + 1, c.state().step());
        return c;
    }
}
