package dev.rnn4j.train;

import java.time.Duration;

/**
 * How to train: budget, batching, optimizer, clipping, evaluation and early stop.
 *
 * @param batchSize    sequences per minibatch
 * @param maxSteps     optimizer steps at most (the budget); with {@code epochs > 0} the smaller of the two
 * @param epochs       passes over the training set at most; 0 for none (steps only)
 * @param evalEvery    evaluate on the held-out set every this many steps (and after the last step)
 * @param targetMetric metric that stops training early once it reaches {@code targetValue}; {@code null} for none
 * @param targetValue  the value to reach (at least, for accuracies; at most, for losses)
 * @param clipNorm     maximum global gradient norm; 0 for no clipping
 * @param optimizer    the optimizer
 * @param schedule     the learning rate over the step budget (constant by default)
 * @param seed         seeds batch order and the engine's dropout
 * @param timeLimit    wall-clock bound on training; {@code null} for none
 * @param onNonFinite  what a NaN or infinite loss or gradient does: stop (default) or skip that batch
 * @param stateful     carry the state from batch to batch over parallel streams of consecutive chunks (see
 *                     {@link Builder#optStateful})
 * @param keepBest     the metric whose best evaluation's parameters the run ends with ({@link Builder#optKeepBest});
 *                     {@code null}: the last step's
 * @param loss         what a regression head trains on (MSE by default; a classification head: cross-entropy)
 */
public record TrainerConfig(int batchSize, int maxSteps, int epochs, int evalEvery, String targetMetric,
                            double targetValue, double clipNorm, OptimizerConfig optimizer,
                            LearningRateSchedule schedule, long seed, Duration timeLimit, NonFinitePolicy onNonFinite,
                            boolean stateful, String keepBest, RegressionLoss loss) {

    /** What a NaN or infinite loss or gradient does. */
    public enum NonFinitePolicy {
        /** Stop at that step ({@link NonFiniteException}); parameters and checkpoint stay the last good ones. */
        STOP,
        /**
         * Drop that batch's update and go on (the batch does not count as a step); stop after
         * {@link Trainer#MAX_SKIPS_IN_A_ROW} skips in a row.
         */
        SKIP_BATCH;

        /** Parses {@code stop|skip-batch}. */
        public static NonFinitePolicy parse(String name) {
            return switch (name) {
                case "stop" -> STOP;
                case "skip-batch" -> SKIP_BATCH;
                default -> throw new IllegalArgumentException("Unknown --on-nonfinite '" + name
                        + "'. Expected stop or skip-batch");
            };
        }
    }

    public TrainerConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
        }
        if (epochs < 0 || evalEvery < 1 || clipNorm < 0) {
            throw new IllegalArgumentException("invalid trainer configuration: " + this);
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("an optimizer is required");
        }
        if (schedule == null) {
            throw new IllegalArgumentException("a learning-rate schedule is required (LearningRateSchedule.constant())");
        }
        if (onNonFinite == null) {
            onNonFinite = NonFinitePolicy.STOP;
        }
        if (loss == null) {
            loss = RegressionLoss.MSE;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().optBatchSize(batchSize).optMaxSteps(maxSteps).optEpochs(epochs).optEvalEvery(evalEvery)
                .optTarget(targetMetric, targetValue).optClipNorm(clipNorm).optOptimizer(optimizer).optSchedule(schedule).optSeed(seed)
                .optTimeLimit(timeLimit).optOnNonFinite(onNonFinite).optStateful(stateful).optKeepBest(keepBest).optLoss(loss);
    }

    /** Builder with defaults: batch 32, 1000 steps, eval every 100, Adam 1e-3, constant rate, no clipping, seed 0. */
    public static final class Builder {
        private int batchSize = 32;
        private int maxSteps = 1000;
        private int epochs;
        private int evalEvery = 100;
        private String targetMetric;
        private double targetValue;
        private double clipNorm;
        private OptimizerConfig optimizer = OptimizerConfig.adam(1e-3f);
        private NonFinitePolicy onNonFinite = NonFinitePolicy.STOP;
        private LearningRateSchedule schedule = LearningRateSchedule.constant();
        private long seed;
        private Duration timeLimit;
        private boolean stateful;
        private String keepBest;
        private RegressionLoss loss = RegressionLoss.MSE;

        public Builder optBatchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder optMaxSteps(int v) {
            maxSteps = v;
            return this;
        }

        public Builder optEpochs(int v) {
            epochs = v;
            return this;
        }

        public Builder optEvalEvery(int v) {
            evalEvery = v;
            return this;
        }

        public Builder optTarget(String metric, double value) {
            targetMetric = metric;
            targetValue = value;
            return this;
        }

        public Builder optClipNorm(double v) {
            clipNorm = v;
            return this;
        }

        public Builder optOptimizer(OptimizerConfig v) {
            optimizer = v;
            return this;
        }

        public Builder optSchedule(LearningRateSchedule v) {
            schedule = v;
            return this;
        }

        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        /** What a NaN or infinite loss or gradient does (default: stop). */
        public Builder optOnNonFinite(NonFinitePolicy v) {
            onNonFinite = v;
            return this;
        }

        public Builder optTimeLimit(Duration v) {
            timeLimit = v;
            return this;
        }

        /**
         * Stateful training (truncated BPTT, char-rnn's and Keras' {@code stateful=True}): the training set's sequences
         * are consecutive chunks of one text, cut into {@code batchSize} parallel streams
         * ({@link dev.rnn4j.data.SequenceDataset#streamBatches}); each batch continues every stream from the state the
         * previous batch ended with (gradients stop at the batch boundary), and every epoch starts from the zero state.
         * Evaluation runs statefully too, over the whole held-out set.
         */
        public Builder optStateful(boolean v) {
            stateful = v;
            return this;
        }

        /**
         * Early stopping's other half (Keras' {@code restore_best_weights}): the run ends with the parameters of the
         * evaluation at which {@code metric} was best, the initial parameters included (evaluated before the first
         * step), instead of the last step's. Small data sets that overfit within the budget want it; {@code null}
         * (the default) keeps the last step's.
         */
        public Builder optKeepBest(String metric) {
            keepBest = metric;
            return this;
        }

        /** What a regression head trains on: MSE (the default) or MAE. */
        public Builder optLoss(RegressionLoss v) {
            loss = v;
            return this;
        }

        public TrainerConfig build() {
            return new TrainerConfig(batchSize, maxSteps, epochs, evalEvery, targetMetric, targetValue, clipNorm,
                    optimizer, schedule, seed, timeLimit, onNonFinite, stateful, keepBest, loss);
        }
    }
}
