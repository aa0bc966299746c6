package dev.rnn4j.cli;

import com.google.gson.JsonObject;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.runs.report.MetricsJson;
import dev.rnn4j.datasets.CharText;
import dev.rnn4j.datasets.CharTextTask;
import dev.rnn4j.datasets.Task;
import dev.rnn4j.datasets.TaskConfig;
import dev.rnn4j.runs.Tasks;
import dev.rnn4j.io.ModelStore;
import dev.rnn4j.io.SavedModel;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.model.Model;
import dev.rnn4j.train.Metrics;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rnn4j eval}: re-evaluates a saved model on its task's test set, on any backend. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model on its task's test set (regenerated from the saved configuration).")
final class EvalCommand implements Callable<Integer> {

    @Mixin
    BackendOption backendOption = new BackendOption();

    @Option(names = "--model", required = true, description = "A model folder written by train.")
    Path modelDir;

    @Option(names = "--out", description = "Folder for metrics.json.")
    Path out;

    @Option(names = "--stateful", description = "char-text models trained without --stateful: evaluate statefully "
            + "anyway (the whole validation text in order, each chunk from the state the previous one ended with), as "
            + "stateful models always are.")
    boolean stateful;

    @Override
    public Integer call() throws Exception {
        SavedModel saved = ModelStore.load(modelDir);
        if (!saved.info().has("task") || !saved.info().has("data")) {
            throw new IllegalArgumentException(modelDir + " has no task configuration: it was not written by train");
        }
        Task<?> def = Tasks.get(saved.info().get("task").getAsString());
        TaskConfig<?> config = TaskConfig.fromJson(def, saved.info().getAsJsonObject("data"));
        if (stateful && !(config.config() instanceof CharTextTask.Config c && c.mode() == CharText.Mode.SEQUENCE)) {
            throw new IllegalArgumentException("--stateful is for char-text models in sequence mode: " + modelDir
                    + " is a " + def.name() + " model");
        }
        DataSplit data = config.generate();
        Backend backend = backendOption.start(EnumSet.noneOf(Capability.class));
        Map<String, Double> metrics;
        Map<String, Double> reported;
        try (Model model = dev.rnn4j.runs.TrainingRun.load(backend, modelDir, saved.spec(), saved.parameters())) {
            metrics = stateful ? Metrics.evaluateStateful(model, data.test(), Metrics.STATEFUL_STREAMS)
                    : config.evaluate(model, data.test());
            reported = config.finalMetrics(model); // e.g. a forecast's test error in the data's units, with baselines
        }
        String name = def.reportedMetric();
        double value = reported.getOrDefault(name, metrics.get(def.metric()));
        System.out.printf(Locale.ROOT, "%s = %.4f (%s, %d test sequences)%n", name, value, backend.name(),
                reported.containsKey("test_examples") ? reported.get("test_examples").intValue() : data.test().size());
        if (out != null) {
            JsonObject m = new JsonObject();
            m.addProperty("task", def.name());
            m.addProperty("cell", saved.spec().cell().cliName());
            m.addProperty("backend", backend.name());
            m.addProperty("seed", saved.info().has("seed") ? saved.info().get("seed").getAsLong() : 0);
            m.addProperty("model", modelDir.toString());
            m.addProperty("test_metric_name", name);
            m.addProperty("test_metric", value);
            metrics.forEach((k, v) -> m.addProperty(def.heldOutPrefix() + k, v));
            reported.forEach(m::addProperty);
            MetricsJson.write(out.resolve("metrics.json"), m);
        }
        return 0;
    }
}
