package dev.rnn4j.examples.programs;

import dev.rnn4j.runs.report.Report;
import com.google.gson.JsonObject;
import dev.rnn4j.data.Batch;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.runs.TrainingRun;
import dev.rnn4j.runs.report.Plots;
import dev.rnn4j.datasets.FunctionShapes;
import dev.rnn4j.datasets.RememberFirst;
import dev.rnn4j.datasets.TaskConfig;
import dev.rnn4j.datasets.TemporalOrder;
import dev.rnn4j.runs.Tasks;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Introspection;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.TrainerConfig;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What a trained LSTM's gates do: heat maps of the input, forget and output gates and the cell state over time for
 * a few sequences of each task. Needs an engine that exposes its internals ({@link Introspection}).
 */
public final class GatesExample implements Example {

    @Override
    public String name() {
        return "gates";
    }

    @Override
    public String summary() {
        return "Heat maps of a trained LSTM's input, forget and output gates and cell state over time";
    }

    @Override
    public Report run(ExampleContext ctx) throws IOException {
        Report report = new Report("LSTM gates at work");
        int steps = ctx.pick(400, 3000);
        report.text("For each task an LSTM (hidden 16, " + steps + " steps, backend `" + ctx.backend().name() + "`) is "
                + "trained, then run on its first test sequence. Each heat map shows one quantity: time on the x axis, the "
                + "16 units on the y axis.");
        JsonObject json = new JsonObject();
        int train = ctx.pick(2000, 10000);
        long seed = ctx.seed();
        List<TaskConfig<?>> tasks = List.of(
                new TaskConfig<>(Tasks.REMEMBER_FIRST, new RememberFirst.Config(train, 200, 20, seed)),
                new TaskConfig<>(Tasks.FUNCTION_SHAPES, new FunctionShapes.Config(train, 200, 8, 8, 4, 4,
                        FunctionShapes.Coefficients.FIXED, true, OutputMode.EVERY_STEP, seed)),
                new TaskConfig<>(Tasks.TEMPORAL_ORDER, new TemporalOrder.Config(train, 200, 30, 35, seed)));
        for (TaskConfig<?> task : tasks) {
            String name = task.name();
            ModelSpec spec = task.specFor().setCell(CellType.LSTM).setHiddenSize(16).build();
            TrainerConfig config = TrainerConfig.builder().optMaxSteps(steps).optBatchSize(32).optEvalEvery(Math.max(50, steps / 4))
                    .optOptimizer(OptimizerConfig.adam(3e-3f)).optClipNorm(5).optSeed(ctx.seed()).build();
            TrainingRun.Outcome o = new TrainingRun(task, spec, config, 1f, ctx.seed()).run(ctx.backend(),
                    ctx.out().resolve("models").resolve(name));
            json.addProperty(name + "_" + task.task().reportedMetric(), o.testMetric());
            DataSplit split = task.generate();
            Batch one = split.test().batch(0, 1);
            try (TrainableModel m = ctx.backend().newTrainableModel(spec, o.parameters(), ctx.seed())) {
                if (!(m instanceof Introspection probe)) {
                    throw new IllegalArgumentException("the gates example needs an engine that exposes gate activations (native)");
                }
                m.forwardTrain(one);
                Map<String, float[]> act = probe.activations(0);
                report.heading(name + " (" + task.task().reportedMetric() + " " + Report.fmt(o.testMetric()) + ")");
                for (String key : List.of("i", "f", "o", "c")) {
                    String file = name + "-" + key + ".png";
                    heat(act.get(key), one.steps(), 16, name + ": " + label(key), ctx.out().resolve(file));
                    report.figure(file, label(key) + " on " + name);
                }
            }
        }
        report.metrics().add("test_metrics", json);
        report.write(ctx.out());
        return report;
    }

    private static String label(String key) {
        return switch (key) {
            case "i" -> "input gate";
            case "f" -> "forget gate";
            case "o" -> "output gate";
            default -> "cell state";
        };
    }

    private static void heat(float[] values, int steps, int units, String title, java.nio.file.Path file) throws IOException {
        double[] xs = new double[steps];
        double[] ys = new double[units];
        double[][] z = new double[steps][units];
        for (int t = 0; t < steps; t++) {
            xs[t] = t + 1;
            for (int j = 0; j < units; j++) {
                z[t][j] = values[t * units + j];
            }
        }
        for (int j = 0; j < units; j++) {
            ys[j] = j;
        }
        Plots.heatmap(title, "step", "unit", xs, ys, z, file);
    }
}
