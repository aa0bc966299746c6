package dev.rnn4j.examples.programs;

import com.google.gson.JsonObject;
import dev.rnn4j.examples.TrainingRun;
import dev.rnn4j.examples.report.Plots;
import dev.rnn4j.examples.tasks.TaskDefinition;
import dev.rnn4j.examples.tasks.TaskOptions;
import dev.rnn4j.examples.tasks.Tasks;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.TrainerConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every cell type on every task with one budget, one table: final metric, parameters, seconds (in the spirit of
 * Greff et al. 2015, "LSTM: A Search Space Odyssey", at toy scale).
 */
public final class CellZooExample implements Example {

    @Override
    public String name() {
        return "cell-zoo";
    }

    @Override
    public String summary() {
        return "Every cell on every task with one budget: final metric, parameters and seconds in one table";
    }

    private static TaskOptions options(String task, ExampleContext ctx) {
        TaskOptions base = TaskOptions.seed(ctx.seed()).withSizes(ctx.pick(1000, 10000), 300);
        return switch (task) {
            case "function-shapes" -> base.withLengths("8", "8").withShapes(null, true, null);
            case "remember-first" -> base.withLength(20);
            case "adding" -> base.withLength(30);
            case "temporal-order" -> base.withLengths("30-35", null);
            case "char-text" -> base.withSizes(ctx.pick(500, 5000), null).withText(null, 50, null);
            default -> base;
        };
    }

    @Override
    public Report run(ExampleContext ctx) throws IOException {
        int steps = ctx.pick(500, 3000);
        int hidden = ctx.pick(24, 64);
        Report report = new Report("Cell zoo");
        report.text("Every cell on every task: hidden " + hidden + ", one layer, Adam lr 3e-3, batch 32, clip 5, "
                + steps + " steps, backend `" + ctx.backend().name() + "`, seed " + ctx.seed() + ". The MLP sees the "
                + "flattened window and only runs where every sequence has the same length and one target (and no "
                + "length curriculum). "
                + "Function shapes use 8-point sequences and normalised inputs; remember-first n = 20 with its recipe; "
                + "adding n = 30; temporal order with lengths 30-35; char-text on the project's own sources.");
        List<String> taskNames = Tasks.names();
        List<CellType> cells = List.of(CellType.values());
        List<List<Object>> rows = new ArrayList<>();
        Map<String, double[]> seconds = new LinkedHashMap<>();
        JsonObject json = new JsonObject();
        for (CellType cell : cells) {
            seconds.put(cell.cliName(), new double[taskNames.size()]);
        }
        for (int ti = 0; ti < taskNames.size(); ti++) {
            TaskDefinition task = Tasks.get(taskNames.get(ti));
            JsonObject data = task.dataConfig(options(task.name(), ctx));
            for (CellType cell : cells) {
                ModelSpec.Builder sb = task.specFor(data).setCell(cell).setHiddenSize(hidden);
                List<Object> row = new ArrayList<>(List.of(task.name(), cell.cliName()));
                if (cell == CellType.MLP) {
                    var split = task.generate(data);
                    boolean fixedLength = split.train().sequences().stream().allMatch(s -> s.length() == split.train().maxLength())
                            && split.test().sequences().stream().allMatch(s -> s.length() == split.train().maxLength());
                    if (!fixedLength || split.train().targetMode() == OutputMode.EVERY_STEP
                            || !task.curriculum(data).isEmpty()) {
                        row.addAll(List.of(task.reportedMetric(), "n/a", "-", "-"));
                        rows.add(row);
                        seconds.get(cell.cliName())[ti] = Double.NaN;
                        continue;
                    }
                    sb.optWindow(split.train().maxLength()).setOutputMode(OutputMode.LAST_STEP);
                }
                ModelSpec spec = sb.build();
                TrainerConfig config = TrainerConfig.builder().optMaxSteps(steps).optBatchSize(32)
                        .optEvalEvery(Math.max(50, steps / 4)).optOptimizer(OptimizerConfig.adam(3e-3f)).optClipNorm(5)
                        .optSeed(ctx.seed()).build();
                TrainingRun.Outcome o = new TrainingRun(task, data, spec, config, 1f, ctx.seed()).run(ctx.backend(),
                        ctx.out().resolve("models").resolve(task.name() + "-" + cell.cliName()));
                double s = o.metrics().get("train_seconds").getAsDouble();
                row.addAll(List.of(task.reportedMetric(), o.testMetric(), o.metrics().get("parameters").getAsLong(), s));
                rows.add(row);
                seconds.get(cell.cliName())[ti] = s;
                JsonObject m = new JsonObject();
                m.addProperty(task.reportedMetric(), o.testMetric());
                m.addProperty("parameters", o.metrics().get("parameters").getAsLong());
                m.addProperty("seconds", s);
                json.add(task.name() + "/" + cell.cliName(), m);
            }
        }
        report.metrics().add("results", json);
        report.table(List.of("task", "cell", "metric", "value", "parameters", "seconds"), rows);
        Plots.bars("training time per task and cell", "seconds", taskNames, seconds, false, ctx.out().resolve("seconds.png"));
        report.figure("seconds.png", "Training seconds for the same budget, per task and cell.");
        report.write(ctx.out());
        return report;
    }
}
