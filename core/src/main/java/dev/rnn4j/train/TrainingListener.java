package dev.rnn4j.train;

import dev.rnn4j.spi.TrainableModel;
import java.util.Map;

/** Hooks into the training loop; every method has an empty default. */
public interface TrainingListener {

    /** Before the first step; {@code maxSteps} is the budget. */
    default void onStart(TrainableModel model, int maxSteps) {
    }

    /** The step budget changed: an annealing schedule's budget was fitted to the time limit ({@link Trainer#fit}). */
    default void onBudget(int maxSteps) {
    }

    /** After each optimizer step (1-based), with the minibatch loss and the gradient norm before clipping. */
    default void onStep(TrainableModel model, int step, double loss, double gradNorm) {
    }

    /** After each evaluation on the held-out set. */
    default void onEval(TrainableModel model, int step, Map<String, Double> metrics) {
    }

    /**
     * After each evaluation (following {@link #onEval}), with everything needed to resume the run from here:
     * what checkpoints save.
     */
    default void onState(TrainableModel model, TrainingState state) {
    }

    /** After {@link #onStart} when a run continues from a saved state rather than from step 0. */
    default void onResume(TrainableModel model, TrainingState state) {
    }

    /** After training ends, for whatever reason. */
    default void onEnd(TrainableModel model, TrainingResult result) {
    }
}
