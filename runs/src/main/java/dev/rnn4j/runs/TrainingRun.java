package dev.rnn4j.runs;

import dev.rnn4j.io.AtomicFiles;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.runs.report.MetricsJson;
import dev.rnn4j.runs.report.Plots;
import dev.rnn4j.runs.report.TaskFigures;
import dev.rnn4j.datasets.TaskConfig;
import dev.rnn4j.Provenance;
import dev.rnn4j.model.Model;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.train.CsvCurveListener;
import dev.rnn4j.train.Metrics;
import dev.rnn4j.train.TrainingSession;
import dev.rnn4j.train.TrainerConfig;
import dev.rnn4j.train.TrainingListener;
import dev.rnn4j.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One training run of a task, as {@code train} and the example programs do it: initialise from the seed (with
 * the task's recipe), train through the task's curriculum phases and then on its data, evaluate on the test
 * set, and leave in {@code out} the model folder, {@code metrics.json}, {@code curve.csv} and {@code loss.png}.
 *
 * @param task       the task with its data configuration (saved with the model)
 * @param spec       the model
 * @param config     the trainer configuration (budget, optimizer, target...)
 * @param forgetBias LSTM forget-gate bias unless the task's recipe says otherwise
 * @param seed       initialisation and dropout seed
 */
public record TrainingRun(TaskConfig<?> task, ModelSpec spec, TrainerConfig config, float forgetBias, long seed,
                          Parameters initial) {

    /** A run from freshly initialised parameters. */
    public TrainingRun(TaskConfig<?> task, ModelSpec spec, TrainerConfig config, float forgetBias, long seed) {
        this(task, spec, config, forgetBias, seed, null);
    }

    /**
     * What a run produced.
     *
     * @param metrics    {@code metrics.json} as written
     * @param parameters the trained parameters
     * @param result     the final phase's training result
     * @param lossCurve  every step's training loss across all phases
     * @param summary    what the task says beside the test metric ({@link dev.rnn4j.datasets.Task#summary})
     */
    public record Outcome(JsonObject metrics, Parameters parameters, TrainingResult result, List<Double> lossCurve,
                          String summary) {
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
     * {@code out/checkpoint}; with {@code resume}, a run continues from that checkpoint exactly: the same curriculum
     * phase, batches, dropout masks and optimizer moments.
     *
     * @throws IllegalArgumentException if there is no checkpoint to resume from, or it was made with another task,
     *                                  data, seed or model
     */
    public Outcome run(Backend backend, Path out, boolean resume) throws IOException {
        return run(backend, out, resume, List.of());
    }

    /**
     * {@link #run(Backend, Path, boolean)} for {@code request}, which the model's provenance and metrics record; with
     * {@code otherMembers}, the final figures are those of the median ensemble of this run's model and theirs.
     */
    Outcome run(Backend backend, Path out, boolean resume, TrainingRequest request, List<Parameters> otherMembers)
            throws IOException {
        return run(backend, out, resume, List.of(), request.toJson(), otherMembers);
    }

    /** Where an ensemble's member {@code k} (k >= 1; member 0 is the run in {@code out} itself) leaves its run. */
    public static Path memberFolder(Path out, int k) {
        return out.resolve("members").resolve("member-" + k);
    }

    /**
     * The model saved in {@code dir} on {@code backend}: the median ensemble of it and its members (in
     * {@code dir/members}) when it has any ({@code eval} and {@code predict} read models this way).
     */
    public static Model load(Backend backend, Path dir, ModelSpec spec, Parameters parameters) throws IOException {
        List<Model> members = new java.util.ArrayList<>(List.of(backend.newModel(spec, parameters)));
        for (int k = 1; java.nio.file.Files.exists(memberFolder(dir, k).resolve("model.json")); k++) {
            dev.rnn4j.io.SavedModel member = dev.rnn4j.io.ModelStore.load(memberFolder(dir, k));
            members.add(backend.newModel(member.spec(), member.parameters()));
        }
        return members.size() == 1 ? members.get(0) : new dev.rnn4j.model.MedianEnsemble(members);
    }

    /** {@link #run(Backend, Path, boolean)} with {@code extra} listeners on every phase (tests stop runs with them). */
    Outcome run(Backend backend, Path out, boolean resume, List<TrainingListener> extra) throws IOException {
        return run(backend, out, resume, extra, null, List.of());
    }

    private Outcome run(Backend backend, Path out, boolean resume, List<TrainingListener> extra, JsonObject request,
                        List<Parameters> otherMembers) throws IOException {
        AtomicFiles.requireWritableFolder(out); // before the data is made, not after the training
        if (resume) {
            TrainingSession.requireCheckpoint(TrainingSession.checkpointDir(out));
        }
        List<DataSplit> phases = task.curriculum();
        JsonObject dataConfig = task.toJson();
        TrainingSession.Result session = TrainingSession.builder()
                .setSpec(spec).setData(task.generate()).optCurriculum(phases).setTrainer(config)
                .optSeed(seed).optInitializer(task.init(forgetBias)).optInitialParameters(initial)
                .optProvenance(Provenance.of(task.name(), dataConfig, seed, backend.name()).withRequest(request))
                .setOutput(out).optResume(resume).optLabel(task.name())
                .optLastPhaseListeners(List.of(new CsvCurveListener(out.resolve("curve.csv"))))
                .optListeners(extra)
                .build().run(backend);
        TrainingResult result = session.last();
        Parameters trained = session.parameters();
        List<Double> curve = session.lossCurve();
        double seconds = session.seconds();
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
        Map<String, Double> reported;
        JsonObject figures;
        List<Model> models = new java.util.ArrayList<>(List.of(backend.newModel(spec, trained)));
        for (Parameters p : otherMembers) {
            models.add(backend.newModel(spec, p));
        }
        try (Model model = models.size() == 1 ? models.get(0) : new dev.rnn4j.model.MedianEnsemble(models)) {
            reported = task.finalMetrics(model);
            figures = TaskFigures.write(task, model, out);
        }
        m.addProperty("test_metric_name", task.task().reportedMetric());
        m.addProperty("test_metric", reported.getOrDefault(task.task().reportedMetric(), test.get(task.task().metric())));
        test.forEach((k, v) -> m.addProperty(task.task().heldOutPrefix() + k, v));
        reported.forEach(m::addProperty);
        figures.entrySet().forEach(e -> m.add(e.getKey(), e.getValue()));
        if (test.containsKey(Metrics.LAST_STEP_ACCURACY) && task.task().heldOutPrefix().equals("test_")) {
            m.addProperty("last_step_accuracy", test.get(Metrics.LAST_STEP_ACCURACY));
        }
        m.addProperty("stop_reason", result.stopReason().toString().toLowerCase(Locale.ROOT));
        m.addProperty("skipped_batches", result.skippedBatches());
        m.addProperty("steps_to_target", result.stepsToTarget() < 0 ? -1 : steps - result.steps() + result.stepsToTarget());
        m.addProperty("curriculum_phases", phases.size());
        m.addProperty("parameters", trained.scalarCount());
        if (!otherMembers.isEmpty()) {
            m.addProperty("ensemble_members", 1 + otherMembers.size());
        }
        m.add("spec", JsonParser.parseString(spec.toJson()));
        m.add("data", dataConfig);
        if (request != null) {
            m.add("request", request);
        }
        m.add("loss_curve", MetricsJson.array(curve));
        MetricsJson.write(out.resolve("metrics.json"), m);
        int offset = steps - result.steps(); // the last phase's steps follow the curriculum's
        List<double[]> held = result.evaluations().stream().filter(e -> e.metrics().containsKey(Metrics.LOSS))
                .map(e -> new double[] {offset + e.step(), e.metrics().get(Metrics.LOSS)}).toList();
        Plots.lossCurve(curve, held, task.name() + ": " + spec.cell().cliName() + " " + spec.hiddenSize() + " on "
                + backend.name(), out.resolve("loss.png"));
        return new Outcome(m, trained, result, curve, task.task().summary(reported));
    }
}
