package dev.rnn4j.train;

import java.util.List;
import java.util.Map;

/**
 * What a training run did.
 *
 * @param steps         optimizer steps taken
 * @param lossCurve     the minibatch training loss of every step, in order
 * @param evaluations   every evaluation, in order
 * @param finalMetrics  the last evaluation on the held-out set
 * @param stopReason    why it stopped
 * @param stepsToTarget the step at which the target metric was first reached, or -1
 * @param seconds       wall-clock training time
 * @param skippedBatches batches dropped for a NaN or infinite loss or gradient ({@code --on-nonfinite skip-batch})
 */
public record TrainingResult(int steps, List<Double> lossCurve, List<Evaluation> evaluations,
                             Map<String, Double> finalMetrics, StopReason stopReason, int stepsToTarget,
                             double seconds, int skippedBatches) {

    /** Why training stopped. */
    public enum StopReason { BUDGET, TARGET_REACHED, TIME_LIMIT }

    /** One evaluation: the step and its metrics. */
    public record Evaluation(int step, Map<String, Double> metrics) {
    }
}
