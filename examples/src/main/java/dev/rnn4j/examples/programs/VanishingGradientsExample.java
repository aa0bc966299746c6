package dev.rnn4j.examples.programs;

import dev.rnn4j.runs.report.Report;
import com.google.gson.JsonObject;
import dev.rnn4j.data.Batch;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.datasets.AddingProblem;
import dev.rnn4j.datasets.RememberFirst;
import dev.rnn4j.runs.report.Plots;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Introspection;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.train.Losses;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainerConfig;
import dev.rnn4j.train.TrainingListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Vanishing and exploding gradients: the norm of dL/dh_t against the distance to the loss for RNN, GRU and LSTM,
 * at initialisation and after training on remember-first, and what gradient clipping does for an RNN whose
 * recurrent weights make gradients explode. Needs an engine that exposes its internals ({@link Introspection}).
 */
public final class VanishingGradientsExample implements Example {

    @Override
    public String name() {
        return "vanishing-gradients";
    }

    @Override
    public String summary() {
        return "Norm of dL/dh_t against the distance to the loss for RNN, GRU and LSTM, before and after training; clipping an exploding RNN";
    }

    private static ModelSpec spec(CellType cell, int inputs) {
        return ModelSpec.builder().setCell(cell).setInputSize(inputs).setHiddenSize(32).setHead(HeadKind.REGRESSION, 1)
                .setOutputMode(OutputMode.LAST_STEP).build();
    }

    /** Mean over the batch of |dL/dh_t|, indexed by distance T-1-t. */
    private static double[] gradientNorms(TrainableModel model, Batch batch) {
        if (!(model instanceof Introspection probe)) {
            throw new IllegalArgumentException("the vanishing-gradients example needs an engine that exposes hidden-state "
                    + "gradients (native)");
        }
        model.zeroGrad();
        model.backward(Losses.compute(HeadKind.REGRESSION, model.forwardTrain(batch), batch).gradient());
        float[] dh = probe.hiddenGradients(0);
        int t = batch.steps();
        int n = batch.size();
        int h = model.spec().hiddenSize();
        double[] norms = new double[t];
        for (int s = 0; s < t; s++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                double sq = 0;
                for (int j = 0; j < h; j++) {
                    double v = dh[(s * n + i) * h + j];
                    sq += v * v;
                }
                total += Math.sqrt(sq);
            }
            norms[t - 1 - s] = total / n;
        }
        return norms;
    }

    @Override
    public Report run(ExampleContext ctx) throws IOException {
        Report report = new Report("Vanishing and exploding gradients");
        int n = ctx.pick(50, 100);
        int steps = ctx.pick(600, 4000);
        DataSplit data = RememberFirst.generate(new RememberFirst.Config(ctx.pick(4000, 10000), 256, n, ctx.seed()));
        Batch probeBatch = data.test().batch(0, 64);
        Map<String, double[][]> before = new LinkedHashMap<>();
        Map<String, double[][]> after = new LinkedHashMap<>();
        double[] distance = new double[n];
        for (int k = 0; k < n; k++) {
            distance[k] = k;
        }
        JsonObject json = new JsonObject();
        for (CellType cell : new CellType[] {CellType.RNN_TANH, CellType.GRU, CellType.LSTM}) {
            ModelSpec spec = spec(cell, 1);
            try (TrainableModel model = ctx.backend().newTrainableModel(spec,
                    Initializer.initialize(spec, ctx.seed(), new Initializer.Options(1f, n, false)), ctx.seed())) {
                double[] init = gradientNorms(model, probeBatch);
                before.put(cell.cliName(), new double[][] {distance, init});
                new Trainer(TrainerConfig.builder().optMaxSteps(steps).optBatchSize(32).optEvalEvery(steps)
                        .optOptimizer(OptimizerConfig.adam(3e-3f)).optClipNorm(5).optSeed(ctx.seed()).build(), List.of())
                        .fit(model, data.train(), data.test());
                double[] trained = gradientNorms(model, probeBatch);
                after.put(cell.cliName(), new double[][] {distance, trained});
                json.addProperty(cell.cliName() + "_ratio_far_to_near_init", init[n - 1] / init[0]);
                json.addProperty(cell.cliName() + "_ratio_far_to_near_trained", trained[n - 1] / trained[0]);
            }
        }
        report.text("Task: remember-first with n = " + n + ", the loss at the last step. For each cell (hidden 32, chrono "
                + "initialisation) the mean norm of dL/dh_t over 64 test sequences, against the distance T - t from the "
                + "loss, once at initialisation and once after " + steps + " Adam steps, on `" + ctx.backend().name() + "`. "
                + "A falling line means the signal from the loss fades on its way back to early steps: the vanishing "
                + "gradient. The LSTM's and GRU's gated, additive state updates keep it much flatter than the RNN's "
                + "repeated multiplication by the tanh Jacobian.");
        Plots.lines("|dL/dh_t| at initialisation", "distance to the loss (steps)", "mean |dL/dh_t|", before, true,
                ctx.out().resolve("gradients-init.png"));
        report.figure("gradients-init.png", "Gradient norm against distance at initialisation (log scale).");
        Plots.lines("|dL/dh_t| after training", "distance to the loss (steps)", "mean |dL/dh_t|", after, true,
                ctx.out().resolve("gradients-trained.png"));
        report.figure("gradients-trained.png", "The same after training.");
        report.metrics().add("gradient_ratios", json);

        // Exploding gradients and clipping
        DataSplit adding = AddingProblem.generate(new AddingProblem.Config(ctx.pick(2000, 10000), 256, 30, ctx.seed()));
        ModelSpec rnn = spec(CellType.RNN_TANH, 2);
        Parameters big = Initializer.initialize(rnn, ctx.seed());
        float[] r = big.get(ParameterLayout.r(0)).data();
        for (int i = 0; i < r.length; i++) {
            r[i] *= 6f; // spectral radius well above 1: gradients explode
        }
        Map<String, List<Double>> curves = new LinkedHashMap<>();
        List<List<Object>> rows = new ArrayList<>();
        int clipSteps = ctx.pick(300, 2000);
        for (double clip : new double[] {0, 1}) {
            List<Double> loss = new ArrayList<>();
            List<Double> norms = new ArrayList<>();
            String label = clip == 0 ? "no clipping" : "clip at norm 1";
            String outcome;
            try (TrainableModel model = ctx.backend().newTrainableModel(rnn, big, ctx.seed())) {
                new Trainer(TrainerConfig.builder().optMaxSteps(clipSteps).optBatchSize(32).optEvalEvery(clipSteps)
                        .optOptimizer(OptimizerConfig.sgd(0.05f, 0.9f)).optClipNorm(clip).optSeed(ctx.seed()).build(),
                        List.of(new TrainingListener() {
                            @Override
                            public void onStep(TrainableModel m, int step, double l, double g) {
                                loss.add(l);
                                norms.add(g);
                            }
                        })).fit(model, adding.train(), adding.test());
                outcome = "finished";
            } catch (IllegalStateException e) {
                outcome = "diverged at step " + (loss.size() + 1);
            }
            curves.put(label, List.copyOf(loss));
            double maxNorm = norms.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            double lastLoss = loss.isEmpty() ? Double.NaN : loss.get(loss.size() - 1);
            rows.add(List.of(label, outcome, maxNorm, lastLoss));
            report.metrics().addProperty((clip == 0 ? "no_clip" : "clip") + "_max_grad_norm", maxNorm);
        }
        report.heading("Clipping an exploding RNN");
        report.text("A simple RNN on the adding problem (n = 30) with its recurrent weights scaled by 6, trained with SGD "
                + "(lr 0.05, momentum 0.9) for " + clipSteps + " steps, with and without clipping the global gradient "
                + "norm at 1.");
        report.table(List.of("run", "outcome", "largest gradient norm (before clipping)", "last training loss"), rows);
        Plots.lossCurves("adding problem, exploding RNN", curves, ctx.out().resolve("clipping.png"));
        report.figure("clipping.png", "Training loss with and without gradient clipping (log scale; every step faint, "
                + "smoothed over it).");
        report.write(ctx.out());
        return report;
    }
}
