package dev.rnn4j.examples.programs;

import dev.rnn4j.runs.report.Report;
import com.google.gson.JsonObject;
import dev.rnn4j.runs.TrainingRun;
import dev.rnn4j.runs.report.Plots;
import dev.rnn4j.datasets.AddingProblem;
import dev.rnn4j.datasets.CharText;
import dev.rnn4j.datasets.FunctionShapes;
import dev.rnn4j.datasets.RememberFirst;
import dev.rnn4j.datasets.SineInverse;
import dev.rnn4j.datasets.TaskConfig;
import dev.rnn4j.datasets.TemporalOrder;
import dev.rnn4j.runs.Tasks;
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

    /** Every task in the zoo's setting. */
    private static List<TaskConfig<?>> tasks(ExampleContext ctx) {
        int train = ctx.pick(1000, 10000);
        int test = 300;
        long seed = ctx.seed();
        SineInverse.Config sine = SineInverse.Config.defaults(seed);
        TemporalOrder.Config order = TemporalOrder.Config.defaults(seed);
        return List.of(
                new TaskConfig<>(Tasks.FUNCTION_SHAPES, new FunctionShapes.Config(train, test, 8, 8, 8, 8,
                        FunctionShapes.Coefficients.FIXED, true, OutputMode.EVERY_STEP, seed)),
                new TaskConfig<>(Tasks.SINE_INVERSE, new SineInverse.Config(train, test, sine.window(), sine.noiseVariance(),
                        sine.zMin(), sine.zMax(), seed)),
                new TaskConfig<>(Tasks.REMEMBER_FIRST, new RememberFirst.Config(train, test, 20, seed)),
                new TaskConfig<>(Tasks.CHAR_TEXT, Tasks.CHAR_TEXT.configure(null, 50, CharText.Mode.SEQUENCE,
                        ctx.pick(500, 5000), seed)),
                new TaskConfig<>(Tasks.ADDING, new AddingProblem.Config(train, test, 30, seed)),
                new TaskConfig<>(Tasks.TEMPORAL_ORDER, new TemporalOrder.Config(train, test, 30, 35, seed)));
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
        List<TaskConfig<?>> tasks = tasks(ctx);
        List<String> taskNames = tasks.stream().map(TaskConfig::name).toList();
        List<CellType> cells = List.of(CellType.values());
        List<List<Object>> rows = new ArrayList<>();
        Map<String, double[]> seconds = new LinkedHashMap<>();
        JsonObject json = new JsonObject();
        for (CellType cell : cells) {
            seconds.put(cell.cliName(), new double[taskNames.size()]);
        }
        for (int ti = 0; ti < taskNames.size(); ti++) {
            TaskConfig<?> task = tasks.get(ti);
            for (CellType cell : cells) {
                ModelSpec.Builder sb = task.specFor().setCell(cell).setHiddenSize(hidden);
                List<Object> row = new ArrayList<>(List.of(task.name(), cell.cliName()));
                if (cell == CellType.MLP) {
                    var split = task.generate();
                    boolean fixedLength = split.train().sequences().stream().allMatch(s -> s.length() == split.train().maxLength())
                            && split.test().sequences().stream().allMatch(s -> s.length() == split.train().maxLength());
                    if (!fixedLength || split.train().targetMode() == OutputMode.EVERY_STEP
                            || !task.curriculum().isEmpty()) {
                        row.addAll(List.of(task.task().reportedMetric(), "n/a", "-", "-"));
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
                TrainingRun.Outcome o = new TrainingRun(task, spec, config, 1f, ctx.seed()).run(ctx.backend(),
                        ctx.out().resolve("models").resolve(task.name() + "-" + cell.cliName()));
                double s = o.metrics().get("train_seconds").getAsDouble();
                row.addAll(List.of(task.task().reportedMetric(), o.testMetric(), o.metrics().get("parameters").getAsLong(), s));
                rows.add(row);
                seconds.get(cell.cliName())[ti] = s;
                JsonObject m = new JsonObject();
                m.addProperty(task.task().reportedMetric(), o.testMetric());
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
