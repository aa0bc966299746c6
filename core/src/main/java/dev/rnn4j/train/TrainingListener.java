package dev.rnn4j.train;

import dev.rnn4j.spi.TrainableModel;
import java.util.Map;

/** Hooks into the training loop; every method has an empty default. */
public interface TrainingListener {

    /** Before the first step; {@code maxSteps} is the budget. */
    default void onStart(TrainableModel model, int maxSteps) {
    }

    /** After each optimizer step (1-based), with the minibatch loss and the gradient norm before clipping. */
    default void onStep(TrainableModel model, int step, double loss, double gradNorm) {
    }

    /** After each evaluation on the held-out set. */
    default void onEval(TrainableModel model, int step, Map<String, Double> metrics) {
    }

    /** After training ends, for whatever reason. */
    default void onEnd(TrainableModel model, TrainingResult result) {
    }
}
