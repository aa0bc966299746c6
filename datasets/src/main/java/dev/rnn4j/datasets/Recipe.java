package dev.rnn4j.datasets;

import dev.rnn4j.train.LearningRateSchedule;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.RegressionLoss;
import dev.rnn4j.train.TrainerConfig;

/**
 * A task's working recipe: the model size and training settings {@code train} uses for every flag the user leaves
 * out, so that the command with only the task's own flags reproduces what README reports for it. (The flags that
 * define the data, such as a window, a noise level or sequence lengths, are the user's; see each task's
 * {@code Config.defaults}.)
 *
 * <pre>{@code
 * Recipe r = task.recipe(config);                   // e.g. hidden 32, Adam 3e-3, batch 32, 4000 steps
 * TrainerConfig trainer = r.trainer(task.metric()).optSeed(1).build();
 * }</pre>
 *
 * @param hidden    hidden units per layer
 * @param layers    stacked recurrent layers
 * @param dropout   dropout between layers
 * @param lr        Adam's learning rate
 * @param batchSize sequences per minibatch
 * @param schedule  the learning rate over the budget
 * @param steps     the optimizer-step budget (the task's early-stop target may end training sooner)
 * @param evalEvery evaluate on the held-out set every this many steps
 * @param keepBest  end with the parameters of the best held-out evaluation (the initial ones included) rather than
 *                  the last step's ({@link dev.rnn4j.train.TrainerConfig.Builder#optKeepBest})
 * @param loss      what a regression head trains on
 */
public record Recipe(int hidden, int layers, float dropout, float lr, int batchSize, LearningRateSchedule schedule,
                     int steps, int evalEvery, boolean keepBest, RegressionLoss loss) {

    public Recipe {
        if (hidden < 1 || layers < 1 || !(dropout >= 0 && dropout < 1) || !(lr > 0) || batchSize < 1 || steps < 1
                || evalEvery < 1 || schedule == null || loss == null) {
            throw new IllegalArgumentException("invalid recipe: " + this);
        }
    }

    /**
     * The trainer this recipe describes: Adam at {@link #lr()}, {@link #batchSize()}, {@link #schedule()},
     * {@link #steps()}, evaluation every {@link #evalEvery()}, clipping at 5, {@link #loss()}, and with
     * {@link #keepBest()} the best evaluation of {@code metric} kept ({@link #kept}). Seed and early-stop target are
     * the caller's.
     */
    public TrainerConfig.Builder trainer(String metric) {
        return TrainerConfig.builder().optOptimizer(OptimizerConfig.adam(lr)).optBatchSize(batchSize)
                .optSchedule(schedule).optMaxSteps(steps).optEvalEvery(evalEvery).optClipNorm(5).optLoss(loss)
                .optKeepBest(keepBest ? kept(metric, loss) : null);
    }

    /**
     * The held-out metric keep-best chooses by: a regression task's loss metric ({@code mse}) becomes the loss trained
     * on ({@code mae} for {@link RegressionLoss#MAE}); any other metric stays.
     */
    public static String kept(String taskMetric, RegressionLoss loss) {
        return taskMetric.equals(dev.rnn4j.train.Metrics.MSE) ? loss.cliName() : taskMetric;
    }

    /**
     * LSTM-sized defaults (one layer of 32, no dropout, Adam 3e-3 at a constant rate, batch 32, evaluation every 50
     * steps) and this budget.
     */
    public static Recipe steps(int steps) {
        return new Recipe(32, 1, 0f, 3e-3f, 32, LearningRateSchedule.constant(), steps, 50, false, RegressionLoss.MSE);
    }

    public Recipe withLayers(int v) {
        return new Recipe(hidden, v, dropout, lr, batchSize, schedule, steps, evalEvery, keepBest, loss);
    }

    public Recipe withDropout(float v) {
        return new Recipe(hidden, layers, v, lr, batchSize, schedule, steps, evalEvery, keepBest, loss);
    }

    public Recipe withHidden(int v) {
        return new Recipe(v, layers, dropout, lr, batchSize, schedule, steps, evalEvery, keepBest, loss);
    }

    public Recipe withLr(float v) {
        return new Recipe(hidden, layers, dropout, v, batchSize, schedule, steps, evalEvery, keepBest, loss);
    }

    public Recipe withBatchSize(int v) {
        return new Recipe(hidden, layers, dropout, lr, v, schedule, steps, evalEvery, keepBest, loss);
    }

    public Recipe withSchedule(LearningRateSchedule v) {
        return new Recipe(hidden, layers, dropout, lr, batchSize, v, steps, evalEvery, keepBest, loss);
    }

    public Recipe withEvalEvery(int v) {
        return new Recipe(hidden, layers, dropout, lr, batchSize, schedule, steps, v, keepBest, loss);
    }

    public Recipe withKeepBest(boolean v) {
        return new Recipe(hidden, layers, dropout, lr, batchSize, schedule, steps, evalEvery, v, loss);
    }

    /** What a regression head trains on (MSE unless a task's recipe says otherwise). */
    public Recipe withLoss(RegressionLoss v) {
        return new Recipe(hidden, layers, dropout, lr, batchSize, schedule, steps, evalEvery, keepBest, v);
    }
}
