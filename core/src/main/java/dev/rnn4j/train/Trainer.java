package dev.rnn4j.train;

import dev.rnn4j.spi.Updater;
import dev.rnn4j.data.Batch;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.State;
import dev.rnn4j.model.StatefulOutput;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop, the same for every engine.
 *
 * <p>Each step: draw the next minibatch (the training set is reshuffled every epoch from the seed),
 * forward in training mode, loss, backward, clip by global norm, optimizer update at the schedule's rate. Every
 * {@code evalEvery} steps and after the last one it evaluates on the held-out set and stops early once
 * the target metric is reached. With {@link TrainerConfig#keepBest()} it ends with the parameters of the best
 * evaluation instead of the last. Same seed, same engine and same thread count give the same run.
 */
public final class Trainer {
    /** With {@code --on-nonfinite skip-batch}, this many skipped batches in a row stop the run. */
    public static final int MAX_SKIPS_IN_A_ROW = 10;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Trainer.class);
    private final TrainerConfig config;
    private final List<TrainingListener> listeners;

    public Trainer(TrainerConfig config, List<TrainingListener> listeners) {
        this.config = config;
        this.listeners = List.copyOf(listeners);
    }

    /** Number of steps the budget allows for a training set of {@code n} sequences. */
    public int budget(int n) {
        if (config.epochs() <= 0) {
            return config.maxSteps();
        }
        long perEpoch = (n + config.batchSize() - 1) / config.batchSize();
        return (int) Math.min(config.maxSteps(), perEpoch * config.epochs());
    }

    /**
     * Trains {@code model} in place from step 0.
     *
     * @param train the training set
     * @param eval  the held-out set used for evaluation and early stop
     */
    public TrainingResult fit(TrainableModel model, SequenceDataset train, SequenceDataset eval) {
        return fit(model, train, eval, null);
    }

    /** Steps run before the time per step is measured ({@link #fit}'s budget fitted to a time limit). */
    static final int WARM_UP_STEPS = 20;
    /** The share of the time left a fitted budget plans to use: the last steps should end before the clock does. */
    static final double TIME_MARGIN = 0.97;

    /**
     * The step budget that fits in the time left: {@code step} steps done, of which {@code timedSteps} took
     * {@code timedNanos}; at least {@code step} (nothing more when the time is up).
     */
    static int fittedBudget(int step, int timedSteps, long timedNanos, long nanosLeft) {
        double perStep = (double) timedNanos / timedSteps;
        double more = Math.max(0, nanosLeft) * TIME_MARGIN / perStep;
        return (int) Math.min(Integer.MAX_VALUE, step + Math.floor(more));
    }

    /**
     * Trains {@code model} in place, continuing from {@code resume} (a state a listener received from a run with
     * the same configuration and data, and the model holding that run's parameters at that step), or from step 0
     * when it is {@code null}. A resumed run draws the same batches and dropout masks and applies the same updates
     * as the uninterrupted one; the time limit counts from the resumption.
     *
     * <p>Under a time limit, an annealing schedule (cosine) anneals over the steps that fit in the time rather than
     * over {@link TrainerConfig#maxSteps()} (which stays an upper bound): from the first evaluation on, the budget is
     * re-estimated at every evaluation from the time per step so far, evaluations included. Such a run (like any run
     * a clock stops) is not repeatable step for step; the budget it settled on is logged, and {@code --steps} with it
     * repeats the schedule without a clock.
     */
    public TrainingResult fit(TrainableModel model, SequenceDataset train, SequenceDataset eval, TrainingState resume) {
        int maxSteps = budget(train.size());
        Updater updater = model.newUpdater(config.optimizer());
        BatchOrder batches = new BatchOrder(train, config.batchSize(), new SplittableRandom(config.seed()),
                config.stateful());
        State carried = null;
        TrainingState.Best best = null;
        long start = System.nanoTime();
        long deadline = config.timeLimit() == null ? Long.MAX_VALUE : start + config.timeLimit().toNanos();
        List<Double> curve = new ArrayList<>();
        List<Double> gradNorms = new ArrayList<>();
        List<TrainingResult.Evaluation> evaluations = new ArrayList<>();
        int step = 0;
        int skipped = 0;
        int skipsInARow = 0;
        if (resume != null) {
            if (resume.step() > maxSteps) {
                throw new IllegalArgumentException("Cannot resume at step " + resume.step() + ": the budget is "
                        + maxSteps + " steps");
            }
            updater.restore(resume.optimizer());
            model.seekTrainingPasses(resume.trainingPasses());
            curve.addAll(resume.lossCurve());
            gradNorms.addAll(resume.gradNorms());
            evaluations.addAll(resume.evaluations());
            skipped = resume.skippedBatches();
            carried = resume.carried();
            best = resume.best();
            for (int b = 0; b < resume.step() + skipped; b++) {
                batches.next();
            }
            step = resume.step();
        }
        if (config.keepBest() != null && best == null) {
            best = new TrainingState.Best(0, evaluate(model, eval), model.parameters());
        }
        int planned = maxSteps;
        listeners.forEach(l -> l.onStart(model, planned));
        if (resume != null) {
            listeners.forEach(l -> l.onResume(model, resume));
        }

        // a schedule that anneals over the budget, under a time limit: the budget becomes the steps that fit in the
        // time, re-estimated at every evaluation from the time per step so far (evaluations included)
        boolean fitToTime = config.timeLimit() != null && config.schedule().annealsOverBudget();
        int firstTimedStep = step + WARM_UP_STEPS; // time per step from here: the first steps run before the JIT's code
        long firstTimed = -1; // when firstTimedStep ended; -1 until then
        int stepsToTarget = -1;
        TrainingResult.StopReason reason = TrainingResult.StopReason.BUDGET;
        Map<String, Double> metrics = evaluations.isEmpty() ? Map.of() : evaluations.get(evaluations.size() - 1).metrics();
        while (step < maxSteps) {
            if (batches.atEpochStart()) {
                carried = null; // stateful: every pass over the text starts from the zero state
            }
            Batch batch = train.batch(batches.next());

            model.zeroGrad();
            LossResult loss;
            double norm;
            State next = null;
            try {
                Output out;
                if (config.stateful()) {
                    StatefulOutput so = model.forwardTrain(batch, carried); // detached: gradients stop at the boundary
                    out = so.output();
                    next = so.state();
                } else {
                    out = model.forwardTrain(batch);
                }
                loss = Losses.compute(config.loss(), model.spec().head(), out, batch);
                if (!Double.isFinite(loss.value())) {
                    throw new NonFiniteException("loss", loss.value(), step + 1);
                }
                model.backward(loss.gradient());
                float lr = config.schedule().rate(config.optimizer().lr(), step, maxSteps);
                norm = updater.step(config.clipNorm(), lr);
            } catch (NonFiniteException e) {
                NonFiniteException at = e.step() > 0 ? e : e.atStep(step + 1);
                if (config.onNonFinite() != TrainerConfig.NonFinitePolicy.SKIP_BATCH
                        || ++skipsInARow >= MAX_SKIPS_IN_A_ROW) {
                    throw skipsInARow >= MAX_SKIPS_IN_A_ROW ? at.afterSkips(skipsInARow) : at;
                }
                skipped++;
                LOG.warn("{}: batch skipped ({} so far)", at.getMessage().replaceFirst(": training diverged.*", ""),
                        skipped);
                continue;
            }
            skipsInARow = 0;
            carried = next;
            step++;
            curve.add(loss.value());
            gradNorms.add(norm);
            for (TrainingListener l : listeners) {
                l.onStep(model, step, loss.value(), norm);
            }

            boolean outOfTime = System.nanoTime() > deadline;
            if (fitToTime && step == firstTimedStep) {
                firstTimed = System.nanoTime();
            }
            if (step % config.evalEvery() == 0 || step == maxSteps || outOfTime) {
                metrics = evaluate(model, eval);
                if (firstTimed >= 0 && step > firstTimedStep) {
                    long now = System.nanoTime();
                    maxSteps = Math.min(budget(train.size()),
                            fittedBudget(step, step - firstTimedStep, now - firstTimed, deadline - now));
                    int fitted = maxSteps;
                    listeners.forEach(l -> l.onBudget(fitted));
                }
                if (best != null && better(metrics, best.metrics())) {
                    best = new TrainingState.Best(step, metrics, model.parameters());
                }
                evaluations.add(new TrainingResult.Evaluation(step, metrics));
                for (TrainingListener l : listeners) {
                    l.onEval(model, step, metrics);
                }
                TrainingState state = new TrainingState(step, model.trainingPasses(), updater.state(), curve, gradNorms,
                        evaluations, skipped, carried, best);
                for (TrainingListener l : listeners) {
                    l.onState(model, state);
                }
                if (stepsToTarget < 0 && reached(metrics)) {
                    stepsToTarget = step;
                    reason = TrainingResult.StopReason.TARGET_REACHED;
                    break;
                }
            }
            if (outOfTime) {
                reason = TrainingResult.StopReason.TIME_LIMIT;
                break;
            }
        }
        if (fitToTime) {
            LOG.info("The {} schedule annealed over {} steps, fitted to the time limit", config.schedule().kind()
                    .name().toLowerCase(java.util.Locale.ROOT), maxSteps);
        }
        if (best != null && best.step() != step) {
            restore(model, best);
            metrics = best.metrics();
            LOG.info("Kept the parameters of step {} (best {} {})", best.step(), config.keepBest(),
                    best.metrics().get(config.keepBest()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        TrainingResult result = new TrainingResult(step, List.copyOf(curve), List.copyOf(evaluations), metrics,
                reason, stepsToTarget, seconds, skipped);
        listeners.forEach(l -> l.onEnd(model, result));
        return result;
    }

    /**
     * The minibatch order: the training set reshuffled from the seed at every epoch, cut into batches; or, stateful,
     * the same parallel streams of consecutive chunks every epoch ({@link SequenceDataset#streamBatches}).
     */
    private static final class BatchOrder {
        private final SequenceDataset data;
        private final int batchSize;
        private final SplittableRandom rng;
        private final List<int[]> streams;
        private int[] order;
        private int cursor;

        BatchOrder(SequenceDataset data, int batchSize, SplittableRandom rng, boolean stateful) {
            this.data = data;
            this.batchSize = batchSize;
            this.rng = rng;
            this.streams = stateful ? data.streamBatches(batchSize, false) : null;
            this.order = stateful ? null : data.shuffledOrder(rng);
        }

        /** Whether the next batch is the first of an epoch. */
        boolean atEpochStart() {
            return cursor == 0 || cursor >= (streams != null ? streams.size() : order.length);
        }

        /** The indices of the next minibatch (shorter at the end of an epoch). */
        int[] next() {
            if (streams != null) {
                cursor = cursor % streams.size();
                return streams.get(cursor++);
            }
            if (cursor >= order.length) {
                order = data.shuffledOrder(rng);
                cursor = 0;
            }
            int count = Math.min(batchSize, order.length - cursor);
            int[] idx = new int[count];
            System.arraycopy(order, cursor, idx, 0, count);
            cursor += count;
            return idx;
        }
    }

    private Map<String, Double> evaluate(TrainableModel model, SequenceDataset eval) {
        return config.stateful() ? Metrics.evaluateStateful(model, eval, Metrics.STATEFUL_STREAMS)
                : Metrics.evaluate(model, eval, Math.max(config.batchSize(), 256));
    }

    /** Whether {@code metrics} beat {@code best} in {@link TrainerConfig#keepBest()} (ties keep the earlier). */
    private boolean better(Map<String, Double> metrics, Map<String, Double> best) {
        String name = config.keepBest();
        Double value = metrics.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Metric '" + name + "' to keep the best of is not computed; available: "
                    + metrics.keySet());
        }
        return Metrics.higherIsBetter(name) ? value > best.get(name) : value < best.get(name);
    }

    /** Puts the best evaluation's parameters back into the model. */
    private static void restore(TrainableModel model, TrainingState.Best best) {
        Parameters live = model.trainableParameters();
        for (Tensor t : best.parameters()) {
            float[] target = live.get(t.name()).data();
            System.arraycopy(t.data(), 0, target, 0, target.length);
        }
        model.parametersUpdated();
    }

    private boolean reached(Map<String, Double> metrics) {
        String name = config.targetMetric();
        if (name == null) {
            return false;
        }
        Double value = metrics.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Target metric '" + name + "' is not computed; available: "
                    + metrics.keySet());
        }
        return Metrics.higherIsBetter(name) ? value >= config.targetValue() : value <= config.targetValue();
    }
}
