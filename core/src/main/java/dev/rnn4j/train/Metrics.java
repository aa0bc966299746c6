package dev.rnn4j.train;

import dev.rnn4j.data.Batch;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.model.Model;
import dev.rnn4j.model.Output;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluation of a model on a data set, over valid positions only.
 *
 * <p>Classification gives {@code loss} (mean cross-entropy), {@code accuracy} (share of correct
 * predictions over all valid positions: every valid step for per-step targets) and, for per-step
 * targets, {@code last_step_accuracy} (only each sequence's last valid step). Regression gives
 * {@code loss} and {@code mse} (the same number: mean squared error per output value).
 */
public final class Metrics {
    public static final String LOSS = "loss";
    public static final String ACCURACY = "accuracy";
    public static final String LAST_STEP_ACCURACY = "last_step_accuracy";
    public static final String MSE = "mse";

    private Metrics() {
    }

    /** Whether a larger value of the named metric is better. */
    public static boolean higherIsBetter(String metric) {
        return metric.contains("accuracy");
    }

    /** Evaluates {@code model} on all of {@code data} in batches of {@code batchSize}. */
    public static Map<String, Double> evaluate(Model model, SequenceDataset data, int batchSize) {
        HeadKind head = model.spec().head();
        double lossSum = 0;
        long positions = 0;
        long correct = 0;
        long lastCorrect = 0;
        long sequences = 0;
        for (Batch batch : data.batches(batchSize)) {
            Output out = model.forward(batch);
            LossResult loss = Losses.compute(head, out, batch);
            long valid = Losses.validPositions(out, batch);
            lossSum += loss.value() * valid;
            positions += valid;
            if (head == HeadKind.CLASSIFICATION) {
                for (int n = 0; n < out.size(); n++) {
                    int steps = Losses.validSteps(out, batch, n);
                    for (int s = 0; s < steps; s++) {
                        boolean ok = argmax(out, n, s) == batch.labels()[n * out.steps() + s];
                        if (ok) {
                            correct++;
                        }
                        if (s == steps - 1 && ok) {
                            lastCorrect++;
                        }
                    }
                    sequences++;
                }
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(LOSS, lossSum / positions);
        if (head == HeadKind.CLASSIFICATION) {
            m.put(ACCURACY, (double) correct / positions);
            m.put(LAST_STEP_ACCURACY, (double) lastCorrect / sequences); // equal to accuracy for last-step models
        } else {
            m.put(MSE, lossSum / positions);
        }
        return m;
    }

    /** Index of the largest output at (n, s); ties go to the lowest index. */
    public static int argmax(Output out, int n, int s) {
        int best = 0;
        for (int k = 1; k < out.width(); k++) {
            if (out.get(n, s, k) > out.get(n, s, best)) {
                best = k;
            }
        }
        return best;
    }
}
